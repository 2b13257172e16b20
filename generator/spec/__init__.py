"""Stages 1-2, the spec: read the files (YAML or JSON) with their positions and within limits,
resolve `$ref`s, validate the document as written (openapi-spec-validator, its errors located), then
hand on OpenAPI 3: a Swagger 2.0 document is converted once validated. `read.read_spec` runs these
steps in order; nothing here knows of the model or of generated code."""

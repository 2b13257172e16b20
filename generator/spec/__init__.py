"""Stages 1-2, the spec: read files (YAML or JSON) with positions, resolve `$ref`s, convert Swagger 2.0 to
OpenAPI 3.0, and validate with openapi-spec-validator, turning its errors into located diagnostics."""

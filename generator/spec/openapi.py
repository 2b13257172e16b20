"""Facts of the OpenAPI Specification itself that the Swagger 2.0 converter and the model builder read."""

from __future__ import annotations

# The operations a path item may hold (OpenAPI 3), in the order the generated methods follow.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Swagger 2.0 path items have no `trace`.
SWAGGER2_METHODS = tuple(method for method in HTTP_METHODS if method != "trace")

"""Swagger 2.0 documents converted to OpenAPI 3.0 as they are read (after validation, which reads
them as written: read.py), so one model builder serves both.

The converted document keeps a map from its pointers back to the original ones, so a warning
about `/components/schemas/Pet` is still located at `definitions: Pet:` in the source file.
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import join_pointer
from generator.spec import swagger2_values as values
from generator.spec.loader import SpecSource
from generator.spec.openapi import SWAGGER2_METHODS

_REF_PREFIXES = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/responses/", "#/components/responses/"),
)
_SCHEMA_KEYS = ("items", "additionalProperties", "not")
_SCHEMA_LISTS = ("allOf", "oneOf", "anyOf")


def convert_if_swagger2(source: SpecSource) -> None:
    spec = source.root.data
    if not str(spec.get("swagger", "")).startswith("2"):
        return
    converter = _Converter(spec)
    source.root.data = converter.convert()
    origins = getattr(source.root, "origins", None)
    if isinstance(origins, dict):
        origins.update(converter.origins)


def convert(spec: dict[str, Any]) -> dict[str, Any]:
    return _Converter(spec).convert()


class _Converter:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.origins: dict[str, str] = {}  # converted pointer -> original pointer
        self.body_params: dict[str, Any] = {}  # global body parameters, by name
        self.form_params: set[str] = set()  # global formData parameters, by name
        consumes = spec.get("consumes")
        produces = spec.get("produces")
        self.consumes = (
            [str(c) for c in consumes]
            if isinstance(consumes, list) and consumes
            else ["application/json"]
        )
        self.produces = (
            [str(p) for p in produces]
            if isinstance(produces, list) and produces
            else ["application/json"]
        )

    def origin(self, new: tuple[object, ...], old: tuple[object, ...]) -> None:
        self.origins[join_pointer(list(new))] = join_pointer(list(old))

    # ---- document ----------------------------------------------------------------------------

    def convert(self) -> dict[str, Any]:
        spec = self.spec
        out: dict[str, Any] = {"openapi": "3.0.3"}
        for key in ("info", "tags", "externalDocs", "security"):
            if key in spec:
                out[key] = spec[key]
        for key, value in spec.items():
            if isinstance(key, str) and key.startswith("x-"):
                out[key] = value
        out["servers"] = values.servers(self.spec)
        components: dict[str, Any] = {}
        definitions = spec.get("definitions")
        if isinstance(definitions, dict):
            components["schemas"] = {
                name: self.schema(value, ("definitions", name))
                for name, value in definitions.items()
            }
            self.origin(("components", "schemas"), ("definitions",))
        parameters = spec.get("parameters")
        if isinstance(parameters, dict):
            converted, bodies = {}, {}
            for name, param in parameters.items():
                if isinstance(param, dict) and param.get("in") == "body":
                    self.body_params[str(name)] = param
                    bodies[name] = self._body_from_param(param, self.consumes, ("parameters", name))
                    self.origin(("components", "requestBodies", name), ("parameters", name))
                elif isinstance(param, dict) and param.get("in") == "formData":
                    self.form_params.add(str(name))
                else:
                    converted[name] = self.parameter(param, ("parameters", name))
                    self.origin(("components", "parameters", name), ("parameters", name))
            if converted:
                components["parameters"] = converted
            if bodies:
                components["requestBodies"] = bodies
        responses = spec.get("responses")
        if isinstance(responses, dict):
            components["responses"] = {
                name: self.response(value, self.produces, ("responses", name))
                for name, value in responses.items()
            }
            self.origin(("components", "responses"), ("responses",))
        schemes = spec.get("securityDefinitions")
        if isinstance(schemes, dict):
            components["securitySchemes"] = {
                name: values.security_scheme(value) for name, value in schemes.items()
            }
            self.origin(("components", "securitySchemes"), ("securityDefinitions",))
        if components:
            out["components"] = components
        paths = spec.get("paths")
        out["paths"] = {}
        if isinstance(paths, dict):
            for path, item in paths.items():
                out["paths"][path] = self.path_item(item, ("paths", path))
        return out

    # ---- schemas -----------------------------------------------------------------------------

    def ref(self, ref: Any) -> Any:
        if not isinstance(ref, str):
            return ref
        for old, new in _REF_PREFIXES:
            if ref.startswith(old):
                return new + ref[len(old) :]
        if ref.startswith("#/parameters/"):
            name = ref[len("#/parameters/") :]
            if name in self.body_params:
                return "#/components/requestBodies/" + name
            return "#/components/parameters/" + name
        return ref

    def schema(self, schema: Any, at: tuple[object, ...]) -> Any:
        if not isinstance(schema, dict):
            return schema
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key == "$ref":
                out[key] = self.ref(value)
            elif key == "x-nullable":
                out[key] = value
                if value is True:
                    out["nullable"] = True
            elif key == "type" and value == "file":
                out["type"] = "string"
                out["format"] = "binary"
            elif key == "discriminator" and isinstance(value, str):
                out[key] = {"propertyName": value}
            elif key == "properties" and isinstance(value, dict):
                out[key] = {n: self.schema(v, (*at, key, n)) for n, v in value.items()}
            elif key in _SCHEMA_KEYS and isinstance(value, dict):
                out[key] = self.schema(value, (*at, key))
            elif (
                key in _SCHEMA_LISTS
                and isinstance(value, list)
                or key == "items"
                and isinstance(value, list)
            ):
                out[key] = [self.schema(v, (*at, key, n)) for n, v in enumerate(value)]
            else:
                out[key] = value
        return out

    # ---- paths -------------------------------------------------------------------------------

    def path_item(self, item: Any, at: tuple[object, ...]) -> Any:
        if not isinstance(item, dict):
            return item
        out: dict[str, Any] = {}
        if "$ref" in item:
            out["$ref"] = item["$ref"]
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        plain_shared = []
        for n, p in enumerate(shared):
            if not self._is_body_or_form(p):
                plain_shared.append(self.parameter(p, (*at, "parameters", n)))
                self.origin((*at, "parameters", len(plain_shared) - 1), (*at, "parameters", n))
        if plain_shared:
            out["parameters"] = plain_shared
        for key, value in item.items():
            if key in SWAGGER2_METHODS and isinstance(value, dict):
                out[key] = self.operation(value, shared, (*at, key))
            elif isinstance(key, str) and key.startswith("x-"):
                out[key] = value
        return out

    def _is_body_or_form(self, param: Any) -> bool:
        if not isinstance(param, dict):
            return False
        if param.get("in") in ("body", "formData"):
            return True
        ref = param.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/parameters/"):
            name = ref[len("#/parameters/") :]
            return name in self.body_params or name in self.form_params
        return False

    def _resolve_param(self, param: Any) -> Any:
        ref = param.get("$ref") if isinstance(param, dict) else None
        if isinstance(ref, str) and ref.startswith("#/parameters/"):
            shared = self.spec.get("parameters")
            found = shared.get(ref[len("#/parameters/") :]) if isinstance(shared, dict) else None
            return found if isinstance(found, dict) else param
        return param

    def operation(
        self, op: dict[str, Any], shared: list[Any], at: tuple[object, ...]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        consumes = op.get("consumes")
        consumes = (
            [str(c) for c in consumes] if isinstance(consumes, list) and consumes else self.consumes
        )
        produces = op.get("produces")
        produces = (
            [str(p) for p in produces] if isinstance(produces, list) and produces else self.produces
        )
        own = op.get("parameters") if isinstance(op.get("parameters"), list) else []
        params: list[Any] = []
        body: tuple[Any, tuple[object, ...]] | None = None
        form: list[tuple[dict[str, Any], tuple[object, ...]]] = []
        shared_at = (*at[:-1], "parameters")
        # Shared body/formData parameters first; the operation's own override them by name.
        entries = [(p, (*shared_at, n)) for n, p in enumerate(shared) if self._is_body_or_form(p)]
        entries += [(p, (*at, "parameters", n)) for n, p in enumerate(own)]
        for param, param_at in entries:
            resolved = self._resolve_param(param)
            where = resolved.get("in") if isinstance(resolved, dict) else None
            if where == "body":
                body = (resolved, param_at)
            elif where == "formData":
                form = [f for f in form if f[0].get("name") != resolved.get("name")] + [
                    (resolved, param_at)
                ]
            else:
                params.append(self.parameter(param, param_at))
                self.origin((*at, "parameters", len(params) - 1), param_at)
        for key, value in op.items():
            if key in ("parameters", "consumes", "produces", "schemes"):
                continue
            if key == "responses" and isinstance(value, dict):
                out[key] = {
                    status: self.response(resp, produces, (*at, "responses", status))
                    for status, resp in value.items()
                }
            else:
                out[key] = value
        if params:
            out["parameters"] = params
        if (
            body is not None
        ):  # inlined even when shared: the operation's `consumes` decides its media types
            out["requestBody"] = self._body_from_param(body[0], consumes, body[1])
            self.origin((*at, "requestBody"), body[1])
        elif form:
            out["requestBody"] = self._form_body(form, consumes, at)
        return out

    def parameter(self, param: Any, at: tuple[object, ...]) -> Any:
        if not isinstance(param, dict):
            return param
        if "$ref" in param:
            return {"$ref": self.ref(param["$ref"])}
        out: dict[str, Any] = {}
        for key in ("name", "in", "description", "required", "deprecated", "allowEmptyValue"):
            if key in param:
                out[key] = param[key]
        schema = {k: param[k] for k in values.PARAM_SCHEMA_KEYS if k in param}
        if param.get("x-nullable") is True:
            schema["nullable"] = True
        if isinstance(schema.get("items"), dict):
            schema["items"] = self.schema(values.items_schema(schema["items"]), (*at, "items"))
        out["schema"] = schema
        fmt = param.get("collectionFormat")
        if param.get("type") == "array" and isinstance(fmt, str) and fmt in values.COLLECTION_STYLE:
            style, explode = values.COLLECTION_STYLE[fmt]
            if param.get("in") in ("path", "header") and style == "form":
                style, explode = "simple", False  # csv (`multi` is for query and form data only)
            out["style"], out["explode"] = style, explode
        elif param.get("type") == "array" and param.get("in") == "query":
            out["style"], out["explode"] = "form", False  # Swagger 2.0's default is csv
        for key, value in param.items():
            if isinstance(key, str) and key.startswith("x-"):
                out[key] = value
        return out

    def _body_from_param(
        self, param: dict[str, Any], consumes: list[str], at: tuple[object, ...]
    ) -> dict[str, Any]:
        schema = self.schema(param.get("schema", {}), (*at, "schema"))
        media = [m for m in consumes if "form" not in m] or ["application/json"]
        body: dict[str, Any] = {"content": {m: {"schema": schema} for m in media}}
        if param.get("required") is True:
            body["required"] = True
        if isinstance(param.get("description"), str):
            body["description"] = param["description"]
        return body

    def _form_body(
        self,
        form: list[tuple[dict[str, Any], tuple[object, ...]]],
        consumes: list[str],
        at: tuple[object, ...],
    ) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        has_file = False
        encoding: dict[str, Any] = {}
        for param, param_at in form:
            name = str(param.get("name"))
            prop = {k: param[k] for k in values.PARAM_SCHEMA_KEYS if k in param}
            if isinstance(prop.get("items"), dict):
                prop["items"] = self.schema(
                    values.items_schema(prop["items"]), (*param_at, "items")
                )
            if param.get("type") == "file":
                prop = {"type": "string", "format": "binary"}
                has_file = True
            if isinstance(param.get("description"), str):
                prop["description"] = param["description"]
            properties[name] = prop
            if param.get("type") == "array":  # 2.0 arrays are comma-separated unless said otherwise
                encoding[name] = values.FORM_COLLECTIONS.get(
                    str(param.get("collectionFormat", "csv")), {"style": "form", "explode": False}
                )
            if param.get("required") is True:
                required.append(name)
        multipart = (
            has_file
            or any(m.startswith("multipart/") for m in consumes)
            and not any(m == "application/x-www-form-urlencoded" for m in consumes)
        )
        media = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        body: dict[str, Any] = {"content": {media: {"schema": schema}}}
        if encoding and not multipart:  # multipart sends each array item as a part of its own
            body["content"][media]["encoding"] = encoding
        if required:
            body["required"] = True
        self.origin((*at, "requestBody"), (*at, "parameters"))
        return body

    def response(self, response: Any, produces: list[str], at: tuple[object, ...]) -> Any:
        if not isinstance(response, dict):
            return response
        if "$ref" in response:
            return {"$ref": self.ref(response["$ref"])}
        out: dict[str, Any] = {"description": response.get("description", "")}
        if "schema" in response:
            schema = self.schema(response["schema"], (*at, "schema"))
            out["content"] = {m: {"schema": schema} for m in produces}
            for m in produces:
                self.origin((*at, "content", m, "schema"), (*at, "schema"))
        headers = response.get("headers")
        if isinstance(headers, dict):
            out["headers"] = {
                name: {
                    "description": h.get("description", ""),
                    "schema": {k: h[k] for k in values.PARAM_SCHEMA_KEYS if k in h},
                }
                for name, h in headers.items()
                if isinstance(h, dict)
            }
        for key, value in response.items():
            if isinstance(key, str) and key.startswith("x-"):
                out[key] = value
        return out

"""The hostile corpus: small specs that try to inject code into the generated client.

Every case is a function of the sentinel path: each payload, if it ever ran, would create that
file. `CASES` maps a case name to (builder, options); a builder returns {relative path: spec
document} (the first entry is the root spec) so cases can bring referenced files along.
Options: `package` (None: let oasgen derive the package name from the title), `cli` (extra
arguments), `expect` ("ok", "exit2" or "either").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Spec = dict[str, Any]


def payloads(sentinel: str) -> list[str]:
    """Strings that run code (creating `sentinel`) if they land in generated code unescaped."""
    s = sentinel.replace("\\", "/")
    touch = f"__import__('os').system('touch {s}')"
    write = f"open('{s}', 'w')"
    write2 = f'open("{s}", "w")'
    return [
        touch,
        write,
        f'"""\n{write}\n"""',
        f"'''\n{write}\n'''",
        f'""" + {write2} + """',
        f"''' + {write} + '''",
        f'\\"""\n{write}\n#',
        f'"\n{write}\n#',
        f"'\n{write}\n#",
        f'"); {write2}; ("',
        f"'); {write}; ('",
        f'" + {write2} + "',
        f"' + {write} + '",
        f"\\\n{write}\n",
        f"\r{write}\r",
        f"\r\n{write}\r\n",
        f"\u2028{write}\u2029",
        f"\x0c{write}\x0b",
        f"\x00{write}\x00",
        f"{{{{ {write} }}}}",
        "{{ 7 * 7 }}",
        f"{{% set x = {write} %}}{{{{ x }}}}",
        f"${{{{ {write} }}}}",
        f"{{# {write} #}}",
        f"#{{{write}}}",
        f"f'{{{write}}}'",
        f"\\\\\\\n{write}",
        "ends with a backslash \\",
        'ends with a quote "',
        "ends with a single quote '",
        '"starts with a quote',
        '"""',
        "'''",
        '""""',
        '"""""',
        "\\",
        '\\"',
        "\\'",
        '\\"""',
    ]


def _base(title: str = "Hostile", version: str = "1.0.0") -> Spec:
    return {"openapi": "3.0.3", "info": {"title": title, "version": version}, "paths": {}}


def _obj(properties: dict[str, Any], **extra: Any) -> Spec:
    return {"type": "object", "properties": properties, **extra}


def _json(schema: Any) -> Spec:
    return {"application/json": {"schema": schema}}


def _op(op_id: str | None = None, **extra: Any) -> Spec:
    op: Spec = {"responses": {"200": {"description": "ok", "content": _json({"type": "string"})}}}
    if op_id is not None:
        op["operationId"] = op_id
    op.update(extra)
    return op


# ---- texts: descriptions, summaries, titles -----------------------------------------------------


def descriptions(sentinel: str) -> dict[str, Spec]:
    p = payloads(sentinel)
    text = "\n".join(p)
    spec = _base(title=p[2], version=p[4])
    spec["info"]["description"] = text
    spec["info"]["termsOfService"] = p[1]
    spec["info"]["contact"] = {"name": p[0], "url": p[1], "email": p[9]}
    spec["servers"] = [{"url": "https://example.test/v1", "description": text}]
    spec["tags"] = [{"name": "pets", "description": text}]
    schemas: Spec = {}
    for n, payload in enumerate(p):
        schemas[f"Model{n}"] = _obj(
            {
                "a": {"type": "string", "description": payload, "title": payload},
                "b": {"$ref": f"#/components/schemas/Enum{n}"},
            },
            description=payload,
            title=payload,
        )
        schemas[f"Enum{n}"] = {"type": "string", "enum": ["x", "y"], "description": payload}
        schemas[f"Alias{n}"] = {
            "type": "array",
            "items": {"type": "string"},
            "description": payload,
        }
    spec["components"] = {
        "schemas": schemas,
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": text},
            "key": {"type": "apiKey", "in": "header", "name": "X-Key", "description": text},
        },
    }
    spec["security"] = [{"bearer": []}]
    for n, payload in enumerate(p):
        spec["paths"][f"/things/{n}"] = {
            "summary": payload,
            "description": payload,
            "get": _op(
                f"getThing{n}",
                tags=["pets"],
                summary=payload,
                description=text,
                parameters=[
                    {
                        "name": "q",
                        "in": "query",
                        "description": payload,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "h",
                        "in": "header",
                        "description": payload,
                        "schema": {"type": "string", "default": payload},
                    },
                ],
                requestBody={
                    "description": payload,
                    "content": _json({"$ref": f"#/components/schemas/Model{n}"}),
                },
                responses={
                    "200": {
                        "description": payload,
                        "content": _json({"$ref": f"#/components/schemas/Model{n}"}),
                    },
                    "404": {
                        "description": payload,
                        "content": _json({"$ref": f"#/components/schemas/Model{n}"}),
                    },
                },
            ),
        }
    return {"spec.json": spec}


def docstring_edges(sentinel: str) -> dict[str, Spec]:
    """Docstrings whose text starts or ends with quotes or backslashes, one per model."""
    texts = [
        '"',
        '""',
        '"""',
        '""""',
        "'",
        "'''",
        "\\",
        "\\\\",
        '\\"',
        '"\\',
        "a\\",
        'a"',
        "a'''",
        '"a"',
        '\\"""',
        "\n\n\\\n\n",
        '"""\n"""',
        '\t"""\t',
        "x" * 300 + '"""',
    ]
    spec = _base(title=texts[0], version="\\")
    spec["info"]["description"] = texts[1]
    spec["components"] = {
        "schemas": {
            f"M{n}": _obj({"f": {"type": "integer", "description": t}}, description=t)
            for n, t in enumerate(texts)
        }
    }
    spec["paths"] = {
        f"/p{n}": {"get": _op(f"op{n}", summary=t, description=t + "x")}
        for n, t in enumerate(texts)
    }
    return {"spec.json": spec}


# ---- names ------------------------------------------------------------------------------------------

KEYWORDS = [
    "class",
    "def",
    "None",
    "True",
    "False",
    "import",
    "lambda",
    "match",
    "case",
    "type",
    "_",
    "self",
    "cls",
    "async",
    "await",
    "return",
    "from",
    "global",
    "nonlocal",
    "yield",
    "del",
    "pass",
    "raise",
]
BUILTINS = [
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "list",
    "dict",
    "set",
    "print",
    "exec",
    "eval",
    "open",
    "compile",
    "object",
    "type",
    "id",
    "len",
    "Ellipsis",
    "NotImplemented",
    "__import__",
    "getattr",
]
DUNDERS = [
    "__init__",
    "__class__",
    "__dict__",
    "__new__",
    "__getattr__",
    "__slots__",
    "__annotations__",
    "__module__",
    "__qualname__",
    "__all__",
    "__builtins__",
    "__init_subclass__",
    "_abc_impl",
    "__",
]
RESERVED = [
    "model_config",
    "model_fields",
    "model_dump",
    "Field",
    "BaseModel",
    "Any",
    "Literal",
    "cast",
    "request_options",
    "NOT_GIVEN",
    "NotGiven",
    "RequestOptions",
    "DateTime",
    "_dt",
    "datetime",
    "os",
    "OpenStrEnum",
    "OpenIntEnum",
    "annotations",
    "cached_property",
    "httpx",
    "with_raw_response",
    "with_streaming_response",
    "_client",
    "json",
    "copy",
    "validate",
    "schema",
    "fields",
    "UNKNOWN",
    "mro",
    "_missing_",
    "name",
    "value",
    "List",
    "Dict",
    "Mapping",
    "TYPE_CHECKING",
    "importlib",
    "body",
]
ODD = [
    "l",
    "O",
    "I",
    "",
    " ",
    "0",
    "123",
    "1abc",
    "-",
    "+",
    "-1",
    "1.5",
    "a-b",
    "a b",
    "a.b",
    "a/b",
    "$ref",
    "@type",
    "café",
    "naïve",
    "Ωmega",
    "日本語",
    "مرحبا",
    "🐍",
    "\u200bzero",
    "ﬁ",
    "Ⅸ",
    "x\u0301",
]
QUOTED = [
    'a"b',
    "a'b",
    "a\\b",
    "a\nb",
    "a\rb",
    "a\x00b",
    '"',
    "'",
    "\\",
    "{{ x }}",
    "{% if x %}",
    "${{ x }}",
    "a\tb",
    '"""',
    "'''",
]


def all_names(sentinel: str) -> list[str]:
    return KEYWORDS + BUILTINS + DUNDERS + RESERVED + ODD + QUOTED + payloads(sentinel)[:12]


def _name_spec(names: list[str], title: str = "Names") -> Spec:
    spec = _base(title=title)
    spec["components"] = {
        "schemas": {
            # the same names as property names of one model, as component (class) names, as enum values
            "Everything": _obj({n: {"type": "string"} for n in names}, required=names[:5]),
            **{n: _obj({"value": {"type": "integer"}, n: {"type": "boolean"}}) for n in names},
            "Values": {"type": "string", "enum": names},
        }
    }
    spec["paths"] = {
        "/items/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "post": _op(
                "createItem",
                parameters=[
                    {"name": n, "in": where, "schema": {"type": "string"}}
                    for where in ("query", "header", "cookie")
                    for n in names
                ],
                requestBody={
                    "content": {
                        "multipart/form-data": {
                            "schema": _obj(
                                {n: {"type": "string"} for n in names}
                                | {"file": {"type": "string", "format": "binary"}}
                            )
                        }
                    }
                },
            ),
        },
        "/form": {
            "post": _op(
                "form",
                requestBody={
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": _obj({n: {"type": "integer"} for n in names})
                        }
                    }
                },
            )
        },
    }
    # every name as an operationId and as a tag
    for n, name in enumerate(names):
        spec["paths"][f"/op{n}"] = {"get": _op(name, tags=[name])}
    return spec


def names_keywords(sentinel: str) -> dict[str, Spec]:
    return {"spec.json": _name_spec(KEYWORDS + BUILTINS)}


def names_dunders_reserved(sentinel: str) -> dict[str, Spec]:
    return {"spec.json": _name_spec(DUNDERS + RESERVED)}


def names_odd(sentinel: str) -> dict[str, Spec]:
    return {"spec.json": _name_spec(ODD)}


def names_quoted(sentinel: str) -> dict[str, Spec]:
    return {"spec.json": _name_spec(QUOTED + payloads(sentinel)[:12])}


def reserved_names_spec() -> Spec:
    """Issue 11: every name the package reserves for itself (generator.model.naming.RESERVED: what
    generated modules import and bind, the runtime's names, builtins and keywords) as a schema, a
    property, a tag, an operationId and a path and query parameter; the names generated modules
    import also as multipart fields and with binary bodies (FileContent, FileTypes, os, List,
    Dict, DateTime, _dt all in use)."""
    from generator.codegen import imports
    from generator.model import naming

    spec = _base(title="Reserved")
    schemas: Spec = {}
    paths: Spec = {}
    for n, name in enumerate(sorted(naming.RESERVED)):
        ref = {"$ref": f"#/components/schemas/{name}"}
        schemas[name] = _obj(
            {
                name: {"type": "string"},
                "at": {"type": "string", "format": "date-time"},
                "day": {"type": "string", "format": "date"},
                "kind": {"enum": ["a", name]},
            }
        )
        item: Spec = {
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            ]
        }
        item["post"] = {
            "operationId": name,
            "tags": [name],
            "parameters": [{"name": name, "in": "query", "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": _json(ref)},
            "responses": {"200": {"description": "ok", "content": _json(ref)}},
        }
        if name in imports.CATALOGUE or name in naming.TEMPLATE_NAMES:
            item["put"] = {
                "operationId": name + "Upload",
                "tags": [name],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": _obj(
                                {
                                    name: {"type": "string", "format": "binary"},
                                    "at": {"type": "string", "format": "date-time"},
                                    "notes": {"type": "array", "items": {"type": "string"}},
                                },
                                required=[name],
                            )
                        }
                    },
                },
                "responses": {
                    "200": {"description": "ok", "content": _json({"type": "array", "items": ref})}
                },
            }
            item["patch"] = {
                "operationId": name + "Raw",
                "tags": [name],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"type": "object", "additionalProperties": ref}),
                    }
                },
            }
        paths[f"/r{n}/{{{name}}}"] = item
    spec["components"] = {"schemas": schemas}
    spec["paths"] = paths
    return spec


def reserved_names(sentinel: str) -> dict[str, Spec]:
    return {"spec.json": reserved_names_spec()}


def title_keyword(sentinel: str) -> dict[str, Spec]:
    """No --package-name: the package name is derived from a title that is a keyword."""
    return {"spec.json": _base(title="class")}


def title_numeric(sentinel: str) -> dict[str, Spec]:
    return {"spec.json": _base(title="123 API")}


def title_payload(sentinel: str) -> dict[str, Spec]:
    return {"spec.json": _base(title=payloads(sentinel)[0], version=payloads(sentinel)[1])}


def title_empty(sentinel: str) -> dict[str, Spec]:
    return {"spec.json": _base(title="", version="")}


def title_non_ascii(sentinel: str) -> dict[str, Spec]:
    return {"spec.json": _base(title="日本語 API ☃", version="версия 1")}


# ---- values: enums, defaults, examples --------------------------------------------------------------


def values(sentinel: str) -> dict[str, Spec]:
    p = payloads(sentinel)
    odd_values = p + [
        "",
        " ",
        "a\nb",
        "a\x00b",
        "\x00",
        "mro",
        "name",
        "value",
        "_missing_",
        "UNKNOWN",
        "unknown",
        "a-b",
        "a_b",
        "A B",
        "a.b",
        "1",
        "01",
        "None",
        "True",
        "日本",
        "🐍",
        "\ud7ff",
    ]
    spec = _base()
    props: Spec = {}
    for n, v in enumerate(p):
        props[f"s{n}"] = {"type": "string", "default": v, "example": v, "examples": [v]}
        props[f"e{n}"] = {"type": "string", "enum": [v, "plain"], "default": v}
        props[f"c{n}"] = {"const": v}
        props[f"l{n}"] = {"type": "array", "items": {"type": "string"}, "default": [v, v]}
    props["ints"] = {"type": "integer", "enum": [-1, 0, 1, 2**70, -(2**70)], "default": 2**70}
    props["floats"] = {"type": "number", "enum": [1.5, -0.0, 1e300, 1e-300], "default": 1e300}
    props["mixed"] = {"enum": ["a", 1, 1.5, True, None, p[0]], "default": p[1]}
    props["bools"] = {"type": "boolean", "default": "True; " + p[1]}
    props["obj_default"] = {"type": "object", "default": {p[0]: p[1], "k": [p[2]]}}
    props["num_str_default"] = {"type": "number", "default": p[0]}
    props["int_str_default"] = {"type": "integer", "default": "1; " + p[0]}
    props["nan"] = {"type": "number", "default": ".nan"}
    spec["components"] = {
        "schemas": {
            "Values": _obj(props, example={"s0": p[0]}),
            "OddEnum": {"type": "string", "enum": odd_values},
            "IntEnum": {"type": "integer", "enum": [-5, 0, 7, 2**64, -(2**64)]},
            "NullableEnum": {"type": "string", "enum": [p[0], None], "nullable": True},
        }
    }
    spec["paths"] = {
        "/values": {
            "get": _op(
                "getValues",
                parameters=[
                    {
                        "name": f"p{n}",
                        "in": "query",
                        "schema": {"type": "string", "default": v, "example": v},
                        "example": v,
                    }
                    for n, v in enumerate(p)
                ]
                + [
                    {
                        "name": "e",
                        "in": "query",
                        "schema": {"type": "string", "enum": odd_values, "default": p[1]},
                    },
                    {
                        "name": "lst",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}, "default": p},
                    },
                ],
                responses={
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Values"},
                                "example": {"s0": p[0]},
                                "examples": {p[0]: {"value": p[1], "summary": p[2]}},
                            }
                        },
                    }
                },
            )
        }
    }
    return {"spec.json": spec}


# ---- URLs and paths ---------------------------------------------------------------------------------


def urls_and_paths(sentinel: str) -> dict[str, Spec]:
    p = payloads(sentinel)
    spec = _base()
    spec["servers"] = [
        {"url": f"https://example.test/{p[9]}", "description": p[0]},
        {
            "url": "https://{host}/{base}",
            "variables": {"host": {"default": p[10]}, "base": {"default": p[5]}},
        },
        {"url": p[0]},
    ]
    paths: Spec = {}
    for n, v in enumerate(p):
        # path templates whose literal parts and parameter names carry quotes and code
        path = f"/x{n}/{v.replace('/', '_').replace('{', '(').replace('}', ')')}/{{id{n}}}"
        paths[path] = {
            "get": _op(
                f"path{n}",
                parameters=[
                    {"name": f"id{n}", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
            )
        }
        name = v.replace("{", "(").replace("}", ")").replace("/", "_")
        paths[f"/y{n}/{{{name}}}"] = {"get": _op(f"pathName{n}")}  # undeclared: added as a string
    paths["/media"] = {
        "post": _op(
            "media",
            requestBody={"content": {f"application/x-{p[9]}": {"schema": {"type": "string"}}}},
            responses={
                "200": {
                    "description": "ok",
                    "content": {
                        f"text/{p[10]}": {"schema": {"type": "string"}},
                        f"application/{p[9]}+json": {},
                    },
                }
            },
        )
    }
    spec["paths"] = paths
    spec["components"] = {
        "securitySchemes": {
            p[9]: {"type": "apiKey", "in": "header", "name": p[10]},
            "key" + p[1]: {"type": "apiKey", "in": "query", "name": "a\r\nb: c"},
            "oauth": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": p[0], "scopes": {p[1]: p[2]}}},
            },
        }
    }
    spec["security"] = [{p[9]: []}, {"key" + p[1]: []}]
    return {"spec.json": spec}


# ---- collisions ---------------------------------------------------------------------------------


def operation_id_collisions(sentinel: str) -> dict[str, Spec]:
    ids = [
        "getPet",
        "get_pet",
        "GetPet",
        "get-pet",
        "get pet",
        "GET_PET",
        "getPet",
        "get__pet",
        "getPet2",
        "get_pet_2",
        "get.pet",
        "get/pet",
        "",
        " ",
        "list",
        "List",
        "list_",
        "with_options",
        "with-raw",
    ]
    spec = _base()
    spec["paths"] = {
        f"/pet{n}": {"get": _op(i, tags=["Pets"]), "post": _op(i, tags=["pets"])}
        for n, i in enumerate(ids)
    }
    spec["components"] = {
        "schemas": {
            name: _obj({"id": {"type": "integer"}})
            for name in [
                "Pet",
                "pet",
                "PET",
                "pet_",
                "Pet_",
                "pet-",
                "Pet2",
                "Pet_2",
                "pet 2",
                "PetModel",
                "Model",
                "model",
                "",
                "1",
                "Pet.Item",
                "PetItem",
            ]
        }
        | {
            "Clash": _obj(
                {
                    n: {"type": "string"}
                    for n in ["a_b", "a-b", "aB", "AB", "a b", "A_B", "a__b", "ab"]
                }
            )
        }
    }
    return {"spec.json": spec}


def param_collisions(sentinel: str) -> dict[str, Spec]:
    """Parameters (and body fields) whose Python names collide across locations and with each other."""
    spec = _base()
    params = [
        {"name": n, "in": where, "schema": {"type": "string"}}
        for where in ("query", "header", "cookie")
        for n in ("id", "Id", "ID", "i-d", "request_options", "self", "body", "cast", "NOT_GIVEN")
    ]
    spec["paths"] = {
        "/a/{id}/{Id}/{request_options}/{self}": {
            "post": _op(
                "collide",
                parameters=params
                + [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                requestBody={
                    "content": {
                        "multipart/form-data": {
                            "schema": _obj(
                                {
                                    n: {"type": "string"}
                                    for n in ("id", "Id", "body", "request_options", "self")
                                }
                            )
                        }
                    }
                },
            )
        },
        "/b/{body}": {
            "put": _op(
                "withBody",
                parameters=[{"name": "body", "in": "query", "schema": {"type": "string"}}],
                requestBody={"required": True, "content": _json({"type": "object"})},
            )
        },
    }
    return {"spec.json": spec}


# ---- references -------------------------------------------------------------------------------------


def outside_ref(sentinel: str) -> dict[str, Spec]:
    """A `$ref` to a file outside the spec's directory: refused (exit 2) unless allowed."""
    spec = _base()
    spec["paths"] = {
        "/x": {
            "get": _op(
                "x",
                responses={
                    "200": {
                        "description": "ok",
                        "content": _json({"$ref": "../outside.json#/Thing"}),
                    }
                },
            )
        }
    }
    return {"api/spec.json": spec, "outside.json": {"Thing": _obj({"a": {"type": "string"}})}}


def absolute_ref(sentinel: str) -> dict[str, Spec]:
    spec = _base()
    spec["paths"] = {
        "/x": {
            "get": _op(
                "x",
                responses={
                    "200": {"description": "ok", "content": _json({"$ref": "/etc/passwd#/x"})}
                },
            )
        }
    }
    return {"spec.json": spec}


def recursive_refs(sentinel: str) -> dict[str, Spec]:
    spec = _base()
    p = payloads(sentinel)
    spec["components"] = {
        "schemas": {
            "Node": _obj(
                {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "parent": {"$ref": "#/components/schemas/Node"},
                    p[0]: {"$ref": "#/components/schemas/A"},
                }
            ),
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"},
            "Self": {"$ref": "#/components/schemas/Self"},
            "Arr": {"type": "array", "items": {"$ref": "#/components/schemas/Arr"}},
            "U": {"oneOf": [{"$ref": "#/components/schemas/U"}, {"type": "string"}]},
            "All": {
                "allOf": [{"$ref": "#/components/schemas/All"}, _obj({"x": {"type": "string"}})]
            },
            # an inline allOf that collects its owner's properties, itself among them (found by fuzzing)
            "Owner": _obj(
                {
                    "p": {
                        "allOf": [
                            {"$ref": "#/components/schemas/Owner"},
                            _obj({"q": {"type": "string"}}),
                        ]
                    }
                }
            ),
        }
    }
    spec["paths"] = {
        "/n": {
            "get": _op(
                "n",
                responses={
                    "200": {
                        "description": "ok",
                        "content": _json({"$ref": "#/components/schemas/Node"}),
                    }
                },
            )
        }
    }
    return {"spec.json": spec}


def surrogates(sentinel: str) -> dict[str, Spec]:
    """JSON can carry lone surrogates (\\ud800), which cannot be written as UTF-8."""
    bad = "\ud800 \udfff"
    spec = _base(title="Surrogate " + bad, version=bad)
    spec["info"]["description"] = bad
    spec["tags"] = [{"name": bad, "description": bad}]
    spec["components"] = {
        "schemas": {
            "S" + bad: _obj(
                {bad: {"type": "string", "description": bad, "default": bad, "enum": [bad, "x"]}},
                description=bad,
            ),
        }
    }
    spec["paths"] = {
        "/s/" + bad: {
            "get": _op(
                "get" + bad,
                tags=[bad],
                summary=bad,
                description=bad,
                parameters=[
                    {
                        "name": bad,
                        "in": "query",
                        "description": bad,
                        "schema": {"type": "string", "default": bad},
                    }
                ],
            )
        }
    }
    spec["servers"] = [{"url": "https://example.test/" + bad}]
    return {"spec.json": spec}


def swagger2(sentinel: str) -> dict[str, Spec]:
    """The Swagger 2.0 path (converted first): the same payloads in its own places."""
    p = payloads(sentinel)
    spec: Spec = {
        "swagger": "2.0",
        "info": {"title": p[2], "version": p[4], "description": "\n".join(p)},
        "host": "example.test",
        "basePath": "/v1/" + p[9].replace("/", "_"),
        "schemes": ["https"],
        "consumes": ["application/json", p[10]],
        "produces": ["application/json"],
        "securityDefinitions": {
            "key": {"type": "apiKey", "in": "header", "name": p[10].replace("\n", " ")},
            "basic": {"type": "basic", "description": p[0]},
        },
        "definitions": {
            f"M{n}": {
                "type": "object",
                "description": v,
                "title": v,
                "properties": {
                    "a": {"type": "string", "default": v, "enum": [v, "x"], "description": v},
                    v: {"type": "integer"},
                },
            }
            for n, v in enumerate(p)
        },
        "paths": {
            f"/p{n}/{{id}}": {
                "post": {
                    "operationId": v,
                    "summary": v,
                    "description": v,
                    "tags": [v],
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "type": "string",
                            "description": v,
                        },
                        {"name": v, "in": "query", "type": "string", "default": v},
                        {"name": "f", "in": "formData", "type": "file", "description": v},
                        {"name": v, "in": "formData", "type": "string", "enum": [v]},
                    ],
                    "responses": {
                        "200": {"description": v, "schema": {"$ref": f"#/definitions/M{n}"}},
                        "default": {"description": v, "schema": {"type": "string", "default": v}},
                    },
                }
            }
            for n, v in enumerate(p)
        },
    }
    return {"spec.json": spec}


def yaml_tags(sentinel: str) -> dict[str, Any]:
    """YAML that asks the loader to build Python objects (and run code): refused, never executed."""
    s = sentinel.replace("\\", "/")
    text = f"""openapi: 3.0.3
info:
  title: !!python/object/apply:os.system ["touch {s}"]
  version: !!python/name:os.system
paths:
  /x:
    get:
      description: !!python/object/new:subprocess.Popen [["touch", "{s}"]]
      responses:
        "200": {{description: ok}}
"""
    return {"spec.yaml": text}


def yaml_bomb(sentinel: str) -> dict[str, Any]:
    """Billion laughs: aliases that expand exponentially."""
    lines = [
        "openapi: 3.0.3",
        "info: {title: t, version: '1'}",
        "x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol]",
    ]
    for n in range(1, 10):
        lines.append(
            f"x-a{n}: &a{n} [*a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}]"
        )
    lines.append("paths: {}")
    return {"spec.yaml": "\n".join(lines) + "\n"}


Builder = Callable[[str], dict[str, Any]]  # a value that is a str is written as it is (raw YAML)

CASES: dict[str, tuple[Builder, dict[str, Any]]] = {
    "descriptions": (descriptions, {}),
    "docstring_edges": (docstring_edges, {}),
    "names_keywords": (names_keywords, {}),
    "names_dunders_reserved": (names_dunders_reserved, {}),
    "names_odd": (names_odd, {}),
    "names_quoted": (names_quoted, {}),
    "reserved_names": (reserved_names, {}),
    "title_keyword": (title_keyword, {"package": None}),
    "title_numeric": (title_numeric, {"package": None}),
    "title_payload": (title_payload, {"package": None}),
    "title_empty": (title_empty, {"package": None}),
    "title_non_ascii": (title_non_ascii, {"package": None}),
    "values": (values, {}),
    "urls_and_paths": (urls_and_paths, {}),
    "operation_id_collisions": (operation_id_collisions, {}),
    "param_collisions": (param_collisions, {}),
    "outside_ref_refused": (outside_ref, {}),
    "outside_ref_strict": (outside_ref, {"cli": ["--strict"], "expect": "exit2"}),
    "outside_ref_allowed": (outside_ref, {"cli": ["--allow-outside-refs"]}),
    "absolute_ref": (absolute_ref, {}),
    "absolute_ref_strict": (absolute_ref, {"cli": ["--strict"], "expect": "exit2"}),
    "recursive_refs": (recursive_refs, {}),
    "surrogates": (surrogates, {"expect": "either"}),
    "swagger2": (swagger2, {}),
    "yaml_tags": (yaml_tags, {"expect": "exit2"}),
    "yaml_bomb": (yaml_bomb, {"expect": "either"}),
}

"""Stage 4: the model rendered to source files with Jinja2. Returns {relative path: text}."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from generator import __version__
from generator.codegen import imports, layout
from generator.codegen.error_views import errors_view
from generator.codegen.literals import docstring, inline_text, py_literal, toml_string
from generator.codegen.model_modules import model_modules
from generator.codegen.package_views import (
    client_view,
    oauth_view,
    package_view,
    readme_examples,
    servers_view,
    upload_example,
)
from generator.codegen.pagination_views import pagination_readme
from generator.codegen.param_views import params_view
from generator.codegen.request_types import RequestTypes
from generator.codegen.resource_views import resource_views
from generator.codegen.views import AliasView, ClassView, class_views, models_imports
from generator.codegen.webhook_views import WEBHOOK_EXPORTS, webhooks_view
from generator.model.api import Api
from generator.model.types import NO_DEFAULT
from generator.paths import cache_root, templates_dir

RUNTIME_FILES = (
    "_base_client.py",
    "_deprecation.py",
    "_encoding.py",
    "_hooks.py",
    "_params.py",
    "_exceptions.py",
    "_models.py",
    "_pagination.py",
    "_oauth.py",
    "_oauth_session.py",
    "_resource.py",
    "_response.py",
    "_retries.py",
    "_streaming.py",
    "_types.py",
    "_wire_model.py",
)


def _template_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (compiling them is most of a small spec's run);
    Jinja keys each by its name and source, so an override or an edit is compiled afresh."""
    root = cache_root()
    if root is None:
        return None
    try:
        (root / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home: no cache, the same output
    return jinja2.FileSystemBytecodeCache(str(root / "templates"))


@lru_cache(maxsize=4)
def environment(override: str | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if override:
        loaders.append(jinja2.FileSystemLoader(override))
    loaders.append(jinja2.FileSystemLoader(str(templates_dir())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Python: spec strings go through the py and docstring filters
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_template_cache(),
    )
    env.filters["py"] = py_literal
    env.filters["docstring"] = docstring
    env.filters["doctext"] = inline_text
    env.filters["toml"] = toml_string
    return env


def runtime_text(name: str, override: str | None = None) -> str:
    if override and (Path(override) / "runtime" / name).is_file():
        return (Path(override) / "runtime" / name).read_text(encoding="utf-8")
    return (templates_dir() / "runtime" / name).read_text(encoding="utf-8")


def render_package(
    api: Api,
    override: str | None = None,
    dist_version: str | None = None,
    sources: dict[str, str] | None = None,
) -> dict[str, str]:
    """Every file of the client project, keyed by path relative to the output directory.
    `dist_version`: the project's version when oasgen keeps it (a client's `changelog`), else the
    spec's own. `sources`, when given, is filled with the template each path is rendered from (a
    runtime file: `runtime/<name>`)."""
    sources = {} if sources is None else sources
    env = environment(override)
    pkg = api.package_name
    enums, models, aliases = class_views(api)
    modules = model_modules(api)
    request_types = RequestTypes.of(api)
    resources = resource_views(api, modules, request_types)
    params = params_view(request_types)
    webhooks = webhooks_view(api)
    context = {
        "api": api,
        "pkg": pkg,
        "enums": enums,
        "models": models,
        "aliases": aliases,
        "resources": resources,
        "oasgen_version": __version__,
        "example": _example(api),
        "package": package_view(
            api,
            _runtime_exports("_exceptions.py", override),
            WEBHOOK_EXPORTS if webhooks else None,
            _runtime_exports("_oauth.py", override) if api.oauth_flows else [],
        ),
        "dist_version": dist_version or spec_dist_version(api.version),
        "client_doc": _client_doc(api),
        "default_security": py_literal(tuple(tuple(req) for req in api.default_security)),
        "examples": readme_examples(api),
        "upload": upload_example(resources),
        "pagination": pagination_readme(
            api, {(e.resource, e.method): e.call for e in readme_examples(api)}
        ),
        "client": client_view(api),
        "servers": servers_view(api),
        "webhooks": webhooks,
        "deprecated_operations": sum(1 for op in api.operations if op.deprecated),
        "oauth": oauth_view(api),
        "errors": errors_view(api),
    }
    files: dict[str, str] = {}

    def render(template: str, target: str, **extra: object) -> None:
        files[target] = env.get_template(template).render({**context, **extra})
        sources[target] = template

    render("pyproject.toml.j2", "pyproject.toml")
    render("README.md.j2", "README.md")
    render("package_init.py.j2", f"{pkg}/__init__.py")
    render("client.py.j2", f"{pkg}/_client.py")
    render("errors.py.j2", f"{pkg}/_errors.py")
    if webhooks is not None:
        render("webhooks.py.j2", f"{pkg}/_webhooks.py")
        files[f"{pkg}/_deliveries.py"] = runtime_text("_deliveries.py", override)
    definitions = set(modules.module_of)
    for module, parts in _split_models(modules.module_of, enums, models, aliases).items():
        block = models_imports(
            parts["enums"],
            parts["models"],
            parts["aliases"],
            modules.imports.get(module, {}),
            definitions,
            modules.type_imports.get(module, {}),
        )
        render("models.py.j2", f"{pkg}/models/{module}.py", **parts, models_imports=block)
    models_index = _models_index(modules.module_of)
    render("models_init.py.j2", f"{pkg}/models/__init__.py", models_index=models_index)
    render("models_init.pyi.j2", f"{pkg}/models/__init__.pyi", models_index=models_index)
    if params is not None:
        render("params.py.j2", f"{pkg}/params.py", params=params)
    render("resources_init.py.j2", f"{pkg}/resources/__init__.py")
    for view in resources:
        render("resource.py.j2", f"{pkg}/resources/{view.module}.py", resource=view)
    files[f"{pkg}/py.typed"] = ""
    for name in RUNTIME_FILES:
        files[f"{pkg}/{name}"] = runtime_text(name, override)
        sources[f"{pkg}/{name}"] = f"runtime/{name}"
    return files


def _split_models(
    module_of: dict[str, str],
    enums: list[ClassView],
    models: list[ClassView],
    aliases: list[AliasView],
) -> dict[str, dict[str, list[Any]]]:
    """The class views of each model module, in their global order."""
    split: dict[str, dict[str, list[Any]]] = {
        module: {"enums": [], "models": [], "aliases": []}
        for module in sorted(set(module_of.values()))
    }
    for kind, views in (("enums", enums), ("models", models), ("aliases", aliases)):
        for view in views:
            split[module_of[view.name]][kind].append(view)
    return split


def _models_index(module_of: dict[str, str]) -> dict[str, Any]:
    """The laid-out parts of `models/__init__.py` (the lazy index) and of `models/__init__.pyi`
    (the typed re-exports and `__all__`)."""
    return {
        # Sorted as isort sorts them, in the form type checkers take as explicit re-exports.
        "type_imports": [
            imports.block(
                imports.imports_of(
                    sorted(module_of),
                    depth=0,
                    reexport=True,
                    own={name: "." + module for name, module in module_of.items()},
                )
            )
        ]
        if module_of
        else [],
        "table": _index_table(module_of),
        "all": layout.collection("", "__all__ = ", "[", [py_literal(n) for n in sorted(module_of)]),
    }


def _index_table(module_of: dict[str, str]) -> str:
    """`_INDEX`, lines `<name> <module>` sorted by name, as `lazy_exports` reads them: one string
    constant (a literal a line), where a look-up is one search, without building a table."""
    lines = [f"{name} {module_of[name]}\n" for name in sorted(module_of)]
    whole = py_literal("".join(lines))
    if layout.fits(f"_INDEX = {whole}"):
        return f"_INDEX = {whole}"
    return "_INDEX = (\n" + "".join(f"    {py_literal(line)}\n" for line in lines) + ")"


_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")


def _runtime_exports(name: str, override: str | None) -> list[str]:
    """The `__all__` of a runtime module, so the package's lazy exports cannot drift from it."""
    import ast

    for node in ast.parse(runtime_text(name, override)).body:
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", "") == "__all__" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    return []


def spec_dist_version(version: str) -> str:
    """The project version a client gets from its spec: `info.version` when PEP 440 allows it."""
    return version if _PEP440.match(version) else "0.0.0"


def _client_doc(api: Api) -> str:
    lines = ["Args:"]
    for argument in api.client_arguments:
        where = f"sent as the {argument.header} header" if argument.header else "credential"
        text = argument.description or where
        lines.append(f"    {argument.py_name}: {text} (default: ${argument.env_var}).")
    if api.oauth_flows:
        lines += [
            "    oauth: OAuth2 credentials: the client gets, reuses and refreshes its access tokens",
            "        (the token endpoint and scopes of the spec's OAuth2 flows unless overridden).",
        ]
    lines += [
        f"    base_url: API root (default: {api.base_url or 'none; required'}).",
        "    timeout: seconds, or an httpx.Timeout, per request (default: 60 s, 5 s to connect).",
        "    max_retries: retries on connection errors, 408, 409, 429 and 5xx (default: 2).",
        "    default_headers: headers sent with every request.",
        "    http_client: an httpx client to use instead of the client's own.",
        "    verify: TLS certificate verification; turning it off takes an explicit False.",
        "    follow_redirects: follow 3xx answers; credentials never go to another host.",
        "    server_variables: values of the variables of the spec's server URLs (else their defaults).",
        "    base_url_for_all_operations: send every operation to `base_url`, also those the spec",
        "        sends to a server of their own (by default `base_url` replaces only the root server).",
        "    hooks: event hooks, `Hooks(on_request=..., on_response=..., on_retry=..., on_error=...)`:",
        "        called before each request is sent, after each response, before each retry and when",
        "        a request fails without an answer (async hooks on the async client).",
    ]
    return "\n".join(lines)


def _example(api: Api) -> dict[str, str]:
    """One operation to show in the README: the first GET without required arguments, else the first."""
    ops = [(r, op) for r in api.resources for op in r.operations]
    if not ops:
        return {}
    simple = [
        (r, op)
        for r, op in ops
        if op.method == "GET"
        and not any(p.required and p.default is NO_DEFAULT for p in op.parameters)
    ]
    resource, op = (simple or ops)[0]
    # The call with its required arguments, as the Operations list shows it: a script can run it.
    call = next(
        e.call
        for e in readme_examples(api)
        if (e.resource, e.method) == (resource.dotted, op.py_name)
    )
    return {"resource": resource.dotted, "method": op.py_name, "call": call}

"""Template overrides keep the formatter's fast path (generator/overrides.py): an override that lays
code out as black does is formatted statement by statement like the shipped templates; one that
does not is formatted whole, and only its own files. Either way the output is black's."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, SPECS, black_changes, generate_client

from generator import overrides
from generator.format import formatter

SHIPPED_RESOURCE = (REPO / "templates" / "resource.py.j2").read_text(encoding="utf-8")
DOC_LINE = "        {{ m.doc }}\n"


def _override(tmp_path: Path, added_line: str) -> Path:
    """resource.py.j2 with a line added to each method, after its docstring."""
    assert DOC_LINE in SHIPPED_RESOURCE
    folder = tmp_path / "templates"
    folder.mkdir()
    text = SHIPPED_RESOURCE.replace(DOC_LINE, DOC_LINE + added_line)
    (folder / "resource.py.j2").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def format_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], bool]]:
    """Each call of the formatter: (the paths it is given, whether they take the fast path)."""
    calls: list[tuple[list[str], bool]] = []
    real = formatter.format_files

    def spy(files, formatter_name, laid_out=False):  # type: ignore[no-untyped-def]
        calls.append((sorted(files), laid_out))
        return real(files, formatter_name, laid_out=laid_out)

    monkeypatch.setattr(formatter, "format_files", spy)
    overrides._probe.cache_clear()
    return calls


def test_an_override_laid_out_as_black_does_keeps_the_fast_path(
    tmp_path: Path, format_calls: list[tuple[list[str], bool]]
) -> None:
    folder = _override(tmp_path, "        # Sent by {{ m.name }}.\n")
    out = tmp_path / "out"
    generate_client(SPECS / "faxplus.yaml", out, package_name="faxplus", templates=folder)
    files = out / "faxplus" / "resources" / "files.py"
    assert files.read_text().count("        # Sent by get_file.\n") == 2  # sync and async
    assert black_changes(out / "faxplus") == []
    assert overrides._laid_out_templates(folder, "black") == (
        frozenset({"resource.py.j2"}),
        frozenset(),
    )
    whole = [paths for paths, laid_out in format_calls if not laid_out and paths]
    assert all(path.startswith("probe/") for paths in whole for path in paths)  # the probe only


def test_an_override_black_would_change_is_formatted_whole_and_only_its_files(
    tmp_path: Path, format_calls: list[tuple[list[str], bool]]
) -> None:
    folder = _override(tmp_path, "        log = {'operation':'{{ m.name }}'}  # noqa\n")
    out = tmp_path / "out"
    generate_client(SPECS / "faxplus.yaml", out, package_name="faxplus", templates=folder)
    text = (out / "faxplus" / "resources" / "files.py").read_text()
    assert '        log = {"operation": "get_file"}  # noqa\n' in text  # black's quotes
    assert black_changes(out / "faxplus") == []
    assert overrides._laid_out_templates(folder, "black") == (
        frozenset(),
        frozenset({"resource.py.j2"}),
    )
    [whole] = [
        paths for paths, laid_out in format_calls if not laid_out and "probe/" not in paths[0]
    ]
    assert whole and all(path.startswith("faxplus/resources/") for path in whole)
    assert "faxplus/resources/__init__.py" not in whole  # resources_init.py.j2, not overridden


def test_the_probe_api_reaches_every_shape_of_the_resource_template(tmp_path: Path) -> None:
    """An override is trusted on what the probe shows: it must meet each branch of the template."""
    from generator.codegen.model_modules import model_modules
    from generator.codegen.resource_views import resource_views
    from generator.config import ClientConfig
    from generator.model.builder import build_api
    from generator.spec.loader import load_spec

    config = ClientConfig(spec=overrides.PROBE_SPEC, output=tmp_path, package_name="probe")
    api, _ = build_api(load_spec(overrides.PROBE_SPEC), config)
    views = resource_views(api, model_modules(api))
    methods = [m for v in views for m in v.methods]
    calls = [c for m in methods for c in m.call]
    assert {True, False} <= {m.call_one_line[0] for m in methods}
    assert {True, False} <= {m.endpoint.one_line for m in methods}
    assert any(c.value for c in calls) and any(not c.one_line for c in calls if not c.value)
    assert any("\n" in a.laid_out_annotation for m in methods for a in m.args)
    assert any(not w.one_line for v in views for w in v.variants[1].wrappers[1].methods)
    assert any(c.opener == "_Server(" for v in views for c in v.constants)
    assert {"json", "multipart", "form", "content"} <= {c.keyword for c in calls}

"""`oasgen diff` from the command line, as CI runs it: exit codes, text and JSON, git revisions,
committed manifests, `--against-committed`, `check`'s verdict, and the `changelog` option."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli.main import main

# A small API in versions: each test edits a copy of it as the next release might.
BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1.2.0"},
    "servers": [{"url": "https://shop.example.com/v1"}],
    "paths": {
        "/orders": {
            "get": {
                "tags": ["orders"],
                "operationId": "listOrders",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Order"},
                                }
                            }
                        },
                    }
                },
            },
            "delete": {
                "tags": ["orders"],
                "operationId": "purgeOrders",
                "responses": {"204": {"description": "gone"}},
            },
        }
    },
    "components": {
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "status": {"type": "string", "enum": ["open", "paid"]},
                },
            }
        }
    },
}


def _spec(path: Path, feature: bool = False, breaking: bool = False) -> Path:
    """The API: with `feature` a new optional query parameter, with `breaking` no purgeOrders."""
    spec = json.loads(json.dumps(BASE))
    get = spec["paths"]["/orders"]["get"]
    if feature:
        get["parameters"].append({"name": "status", "in": "query", "schema": {"type": "string"}})
    if breaking:
        del spec["paths"]["/orders"]["delete"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


FEATURE = "feature: client.orders.list_orders(): new optional parameter `status: str`"
BREAKING = "breaking: client.orders.purge_orders(): method removed (was DELETE /orders)"


def _diff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = main(["diff", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


# ---- two specs -----------------------------------------------------------------------------------


def test_exit_0_for_features_with_the_bump_on_the_last_line(tmp_path, capsys):
    old, new = _spec(tmp_path / "v1.yaml"), _spec(tmp_path / "v2.yaml", feature=True)
    code, out, _ = _diff(capsys, str(old), str(new))
    assert code == 0
    assert out == [FEATURE, "version bump: minor (1 feature)"]


def test_exit_1_when_something_is_breaking(tmp_path, capsys):
    old = _spec(tmp_path / "v1.yaml")
    new = _spec(tmp_path / "v2.yaml", feature=True, breaking=True)
    code, out, _ = _diff(capsys, str(old), str(new))
    assert code == 1
    assert out == [BREAKING, FEATURE, "version bump: major (1 breaking change, 1 feature)"]
    code, out, _ = _diff(capsys, str(old), str(new), "-q")
    assert code == 1 and out == ["version bump: major (1 breaking change, 1 feature)"]


def test_both_sides_are_read_through_the_overlays_and_filters_given(tmp_path, capsys):
    old = _spec(tmp_path / "v1.yaml")
    new = _spec(tmp_path / "v2.yaml", feature=True, breaking=True)
    # an operation the client does not keep cannot break it, whichever way it is left out
    code, out, _ = _diff(capsys, str(old), str(new), "--include-operation", "listOrders")
    assert (code, out) == (0, [FEATURE, "version bump: minor (1 feature)"])
    overlay = tmp_path / "drop-purge.yaml"
    overlay.write_text(
        "overlay: 1.0.0\ninfo: {title: no purge, version: 1.0.0}\nactions:\n"
        "  - target: $.paths['/orders'].delete\n    remove: true\n",
        encoding="utf-8",
    )
    code, out, _ = _diff(capsys, str(old), str(new), "--overlay", str(overlay))
    assert (code, out) == (0, [FEATURE, "version bump: minor (1 feature)"])
    code, out, _ = _diff(capsys, str(old), str(new))  # without them, the removal breaks
    assert (code, out[0]) == (1, BREAKING)


def test_exit_0_and_no_bump_for_the_same_spec(tmp_path, capsys):
    spec = _spec(tmp_path / "v1.yaml")
    assert _diff(capsys, str(spec), str(spec))[:2] == (0, ["version bump: none (no changes)"])


def test_exit_2_for_bad_input(tmp_path, capsys):
    spec = _spec(tmp_path / "v1.yaml")
    code, out, err = _diff(capsys, str(spec), str(tmp_path / "missing.yaml"))
    assert code == 2 and out == []
    assert "missing.yaml: no such file or directory" in err
    (tmp_path / "broken.yaml").write_text("openapi: 3.0.3\npaths: [\n", encoding="utf-8")
    code, _, err = _diff(capsys, str(spec), str(tmp_path / "broken.yaml"))
    assert code == 2 and "broken.yaml:" in err and "error" in err
    (tmp_path / "other.yaml").write_text("just: yaml\n", encoding="utf-8")
    code, _, err = _diff(capsys, str(spec), str(tmp_path / "other.yaml"))
    assert code == 2 and "other.yaml" in err
    assert _diff(capsys, str(spec))[0] == 2  # NEW missing: a usage error


def test_json_has_one_entry_per_change_with_its_kind_then_the_verdict(tmp_path, capsys):
    old = _spec(tmp_path / "v1.yaml")
    new = _spec(tmp_path / "v2.yaml", feature=True, breaking=True)
    code, out, _ = _diff(capsys, str(old), str(new), "--format", "json")
    assert code == 1
    entries = json.loads("\n".join(out))
    assert entries[:-1] == [
        {
            "kind": "breaking",
            "subject": "client.orders.purge_orders()",
            "message": "method removed (was DELETE /orders)",
        },
        {
            "kind": "feature",
            "subject": "client.orders.list_orders()",
            "message": "new optional parameter `status: str`",
        },
    ]
    assert entries[-1] == {
        "bump": "major",
        "message": "version bump: major (1 breaking change, 1 feature)",
    }


# ---- git revisions -------------------------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _repository(root: Path) -> None:
    _git(root, "init", "-q", "-b", "main")


def _commit(root: Path, message: str) -> None:
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", message)


def test_git_revisions_of_the_spec(tmp_path, monkeypatch, capsys):
    _repository(tmp_path)
    spec = _spec(tmp_path / "specs" / "shop.yaml")
    _commit(tmp_path, "v1")
    _spec(spec, feature=True, breaking=True)
    _commit(tmp_path, "v2")
    monkeypatch.chdir(tmp_path)
    code, out, _ = _diff(capsys, "HEAD~1:specs/shop.yaml", "HEAD:specs/shop.yaml")
    assert (code, out[:-1]) == (1, [BREAKING, FEATURE])
    code, out, _ = _diff(capsys, "HEAD~1:specs/shop.yaml", "specs/shop.yaml")  # working tree
    assert (code, out[:-1]) == (1, [BREAKING, FEATURE])
    monkeypatch.chdir(tmp_path / "specs")  # REV:./path is relative to the current directory
    code, out, _ = _diff(capsys, "HEAD:./shop.yaml", "HEAD~1:./shop.yaml")
    assert code == 1
    assert "breaking: client.orders.list_orders(): parameter `status` removed" in out


def test_a_spec_at_a_revision_keeps_its_external_refs(tmp_path, monkeypatch, capsys):
    """The spec's folder is read as it was at the revision: a `$ref`d file too."""
    _repository(tmp_path)
    spec = _spec(tmp_path / "api" / "shop.yaml")
    data = yaml.safe_load(spec.read_text())
    data["components"]["schemas"]["Order"] = {"$ref": "models.yaml#/Order"}
    spec.write_text(yaml.safe_dump(data), encoding="utf-8")
    order = json.loads(json.dumps(BASE["components"]["schemas"]["Order"]))
    (tmp_path / "api" / "models.yaml").write_text(yaml.safe_dump({"Order": order}))
    _commit(tmp_path, "v1")
    del order["properties"]["status"]
    (tmp_path / "api" / "models.yaml").write_text(yaml.safe_dump({"Order": order}))
    monkeypatch.chdir(tmp_path)
    code, out, _ = _diff(capsys, "HEAD:api/shop.yaml", "api/shop.yaml")
    assert (code, out[0]) == (1, "breaking: models.Order.status: field removed")


def test_problems_of_a_spec_at_a_revision_are_named_by_the_revision(tmp_path, monkeypatch, capsys):
    _repository(tmp_path)
    (tmp_path / "shop.yaml").write_text("openapi: 3.0.3\npaths: [\n", encoding="utf-8")
    _commit(tmp_path, "broken")
    _spec(tmp_path / "shop.yaml")
    monkeypatch.chdir(tmp_path)
    code, _, err = _diff(capsys, "HEAD:shop.yaml", "shop.yaml")
    assert code == 2 and err.startswith("HEAD:shop.yaml:")
    code, _, err = _diff(capsys, "no-such-rev:shop.yaml", "shop.yaml")
    assert code == 2 and "no-such-rev:shop.yaml: not a file, and git cannot read it" in err


# ---- committed clients: manifests, --against-committed, check -----------------------------------

PYPROJECT = """\
[[tool.oasgen.clients]]
spec = "specs/shop.yaml"
output = "generated/shop"
package-name = "shop"
formatter = "none"
"""


def _project(root: Path, changelog: bool = False) -> Path:
    text = PYPROJECT + ("changelog = true\n" if changelog else "")
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    return _spec(root / "specs" / "shop.yaml")


def test_a_committed_client_is_compared_by_its_manifest(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    spec = _project(tmp_path)
    assert main(["generate", "-q"]) == 0
    new = _spec(tmp_path / "next.yaml", feature=True, breaking=True)
    for committed in ("generated/shop", "generated/shop/.oasgen-manifest.json"):
        code, out, _ = _diff(capsys, committed, str(new))
        assert (code, out[:-1]) == (1, [BREAKING, FEATURE])
    code, out, _ = _diff(capsys, str(new), "generated/shop")
    assert "feature: client.orders.purge_orders(): new method (DELETE /orders)" in out
    assert _diff(capsys, "generated/shop", str(spec))[:2] == (
        0,
        ["version bump: none (no changes)"],
    )


def test_a_manifest_without_a_surface_is_bad_input(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    spec = _project(tmp_path)
    assert main(["generate", "-q"]) == 0
    manifest = tmp_path / "generated" / "shop" / ".oasgen-manifest.json"
    data = json.loads(manifest.read_text())
    del data["surface"]
    manifest.write_text(json.dumps(data))
    code, _, err = _diff(capsys, "generated/shop", str(spec))
    assert code == 2 and "records no API surface" in err
    data["surface"] = {"format": 99}  # a later oasgen's
    manifest.write_text(json.dumps(data))
    code, _, err = _diff(capsys, "generated/shop", str(spec))
    assert code == 2 and "written by another version" in err


def test_against_committed_compares_each_client_with_its_spec(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    spec = _project(tmp_path)
    assert main(["generate", "-q"]) == 0
    assert _diff(capsys, "--against-committed")[:2] == (0, ["version bump: none (no changes)"])
    _spec(spec, feature=True)
    code, out, err = _diff(capsys, "--against-committed")
    assert (code, out) == (0, [FEATURE, "version bump: minor (1 feature)"])
    assert "generated/shop" in err
    _spec(spec, breaking=True)
    code, out, _ = _diff(capsys, "--against-committed", "--format", "json")
    entries = json.loads("\n".join(out))
    assert code == 1
    assert [(e.get("kind"), e["client"]) for e in entries] == [
        ("breaking", "shop"),
        (None, "shop"),
    ]
    assert entries[-1]["bump"] == "major"


def test_against_a_revision_in_ci_after_the_client_was_regenerated(tmp_path, monkeypatch, capsys):
    """A pull request that changes the spec and regenerates the client: the working tree's
    manifest agrees with the spec; the base branch's manifest tells what the PR breaks."""
    _repository(tmp_path)
    monkeypatch.chdir(tmp_path)
    spec = _project(tmp_path)
    assert main(["generate", "-q"]) == 0
    _commit(tmp_path, "client v1")
    _git(tmp_path, "checkout", "-q", "-b", "pr")
    _spec(spec, feature=True, breaking=True)
    assert main(["generate", "-q"]) == 0
    _commit(tmp_path, "spec v2, client regenerated")
    assert _diff(capsys, "--against-committed")[0] == 0  # the PR's own client: nothing to tell
    code, out, _ = _diff(capsys, "--against-committed", "main")
    assert (code, out[:-1]) == (1, [BREAKING, FEATURE])
    code, out, _ = _diff(capsys, "main:generated/shop", "generated/shop")  # manifest to manifest
    assert (code, out[:-1]) == (1, [BREAKING, FEATURE])


def test_check_reports_the_verdict_when_the_spec_changed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    spec = _project(tmp_path)
    assert main(["generate", "-q"]) == 0
    _spec(spec, feature=True, breaking=True)
    capsys.readouterr()
    assert main(["check"]) == 1
    captured = capsys.readouterr()
    assert "generated/shop: API changes since the committed client:" in captured.err
    out = captured.out.splitlines()
    assert out[-3:] == [BREAKING, FEATURE, "version bump: major (1 breaking change, 1 feature)"]
    assert main(["check", "--format", "json"]) == 1
    entries = json.loads(capsys.readouterr().out)
    verdict = next(e for e in entries if "bump" in e)
    assert verdict["file"] == "generated/shop" and verdict["bump"] == "major"
    assert [c["kind"] for c in verdict["changes"]] == ["breaking", "feature"]
    assert all("bump" not in e for e in entries if "kind" in e)  # file entries keep their shape


def test_check_tells_no_verdict_when_only_generated_files_differ(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _project(tmp_path)
    assert main(["generate", "-q"]) == 0
    (tmp_path / "generated" / "shop" / "shop" / "py.typed").unlink()
    capsys.readouterr()
    assert main(["check"]) == 1
    captured = capsys.readouterr()
    assert "API changes" not in captured.err and "version bump" not in captured.out


# ---- the changelog option ------------------------------------------------------------------------


def _version(root: Path) -> str:
    import tomllib

    text = (root / "generated" / "shop" / "pyproject.toml").read_text(encoding="utf-8")
    return str(tomllib.loads(text)["project"]["version"])


def test_changelog_and_version_follow_the_verdict(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    spec = _project(tmp_path, changelog=True)
    changelog = tmp_path / "generated" / "shop" / "CHANGELOG.md"
    assert main(["generate", "-q"]) == 0
    assert _version(tmp_path) == "1.2.0"  # the spec's info.version to start with
    first = changelog.read_text(encoding="utf-8")
    assert first.startswith("# Changelog\n") and "\n## 1.2.0\n" in first

    _spec(spec, feature=True)
    assert main(["generate", "-q"]) == 0
    assert _version(tmp_path) == "1.3.0"
    text = changelog.read_text(encoding="utf-8")
    assert text.index("## 1.3.0") < text.index("## 1.2.0")
    assert "### Features\n\n- `client.orders.list_orders()`: new optional parameter" in text

    # The user's own words in the changelog stay; a breaking change makes a major release.
    changelog.write_text(text.replace("## 1.3.0\n", "## 1.3.0\n\nOur note.\n"), encoding="utf-8")
    _spec(spec, feature=True, breaking=True)
    assert main(["generate", "-q"]) == 0
    assert _version(tmp_path) == "2.0.0"
    text = changelog.read_text(encoding="utf-8")
    assert "Our note." in text and text.index("## 2.0.0") < text.index("## 1.3.0")
    assert "### Breaking changes\n\n- `client.orders.purge_orders()`: method removed" in text

    assert main(["check", "-q"]) == 0  # up to date: the same version, the same changelog
    assert main(["generate", "-q", "--force"]) == 0  # nothing changed: no new release
    assert _version(tmp_path) == "2.0.0" and changelog.read_text(encoding="utf-8") == text


def test_a_spec_change_the_code_cannot_show_makes_no_release(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = _project(tmp_path, changelog=True)
    assert main(["generate", "-q"]) == 0
    changelog = (tmp_path / "generated" / "shop" / "CHANGELOG.md").read_text(encoding="utf-8")
    spec.write_text(spec.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert main(["generate", "-q"]) == 0
    assert _version(tmp_path) == "1.2.0"
    assert (tmp_path / "generated" / "shop" / "CHANGELOG.md").read_text() == changelog


@pytest.mark.parametrize(
    ("version", "level", "expected"),
    [
        ("1.2.3", "major", "2.0.0"),
        ("1.2.3", "minor", "1.3.0"),
        ("1.2.3", "patch", "1.2.4"),
        ("1.2.3", "none", "1.2.3"),
        ("0.4.1", "major", "0.5.0"),  # below 1.0.0, as Cargo: breaking bumps the minor number
        ("0.4.1", "minor", "0.4.2"),
        ("3", "minor", "3.1.0"),
        ("2.0rc1", "patch", "2.0.1"),
    ],
)
def test_next_version(version: str, level: str, expected: str) -> None:
    from generator.diff.release import next_version

    assert next_version(version, level) == expected


def test_both_sides_are_read_with_the_configured_clients_options(tmp_path, monkeypatch, capsys):
    """The configured spec against a draft elsewhere: the client's extra header (a constructor
    argument) is on both sides, not reported as removed."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        PYPROJECT + 'extra-headers = { tenant = "x-tenant" }\n', encoding="utf-8"
    )
    spec = _spec(tmp_path / "specs" / "shop.yaml")
    draft = _spec(tmp_path / "drafts" / "shop.yaml", feature=True)
    code, out, _ = _diff(capsys, "specs/shop.yaml", "drafts/shop.yaml")
    assert (code, out) == (0, [FEATURE, "version bump: minor (1 feature)"])
    code, out, _ = _diff(capsys, str(draft), str(spec), "--client", "shop")
    assert out[0] == "breaking: client.orders.list_orders(): parameter `status` removed"
    code, out, _ = _diff(capsys, str(spec), str(draft), "--package-name", "shop2")
    assert code == 0 and out[0] == FEATURE


def test_changelog_must_be_true_or_false(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT + 'changelog = "yes"\n', encoding="utf-8")
    _spec(tmp_path / "specs" / "shop.yaml")
    assert main(["generate"]) == 2
    assert "pyproject.toml:6:1: error: tool.oasgen.clients[0].changelog must be true or false" in (
        capsys.readouterr().err
    )


def test_against_committed_with_a_new_client_or_a_bad_revision(tmp_path, monkeypatch, capsys):
    """A pull request adding a client: the base branch has none, nothing of it can break."""
    _repository(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("shop\n", encoding="utf-8")
    _commit(tmp_path, "before the client")
    _project(tmp_path)
    assert main(["generate", "-q"]) == 0
    code, out, err = _diff(capsys, "--against-committed", "main")
    assert (code, out) == (0, [])
    assert "generated/shop: no committed client to compare with (a new client)" in err
    code, _, err = _diff(capsys, "--against-committed", "no-such-branch")
    assert code == 2 and "--against-committed no-such-branch: no such git revision" in err

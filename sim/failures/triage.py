"""Triage: one row per bug (per failure signature), each with a shrunk repro.

``triage(folder)`` groups a run's failures by signature, shrinks the smallest dump of
each (``sim.failures.shrink``, bounded in time) into ``shrunk/`` beside ``failures/``,
and keeps the rows in the run's database (table ``bugs``), so a second call only reads
them. ``promote`` copies shrunk dumps into a regression folder under names that say what
broke: a dump becomes a test by copying a file.

    >>> bugs = triage(Path("runs/nightly"))
    >>> print(markdown(bugs))
"""

from __future__ import annotations

import hashlib
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import duckdb

from sim.failures.dump import load
from sim.failures.shrink import shrink
from sim.finding import Kind
from sim.store.writer import BUGS_DDL


@dataclass(frozen=True, slots=True)
class Bug:
    """One signature of a run: what broke, how often, and the smallest repro found."""

    signature: str
    kind: str
    invariant: str
    message: str  # the first failure's
    failures: int
    first_table: int
    first_hand: int | None
    dump_path: str | None  # the dump that was shrunk
    shrunk_path: str | None  # None: not shrinkable (no dump, or it did not deal again)
    players_before: int | None
    actions_before: int | None
    players_after: int | None
    actions_after: int | None
    replay_command: str | None

    @property
    def sizes(self) -> str:
        if self.players_after is None:
            return "-"
        return (f"{self.players_before}p/{self.actions_before}a -> "
                f"{self.players_after}p/{self.actions_after}a")


def triage(folder: Path, seconds_per_bug: float = 30.0) -> list[Bug]:
    """The bugs of the run in ``folder``, shrinking those not yet triaged."""
    path = Path(folder) / "stats.duckdb"
    if not path.exists():
        raise FileNotFoundError(f"{folder} holds no stats.duckdb; triage takes a run folder.")
    con = duckdb.connect(str(path))
    try:
        con.execute(BUGS_DDL)
        run_id = con.execute("SELECT run_id FROM runs LIMIT 1").fetchone()
        assert run_id is not None, f"{path} holds no run"
        known = {row[1]: Bug(*row[1:]) for row in con.execute(
            "SELECT * FROM bugs WHERE run_id = ?", [run_id[0]]).fetchall()}
        bugs = []
        for group in _groups(con):
            bug = known.get(group["signature"]) or _triaged(folder, group, seconds_per_bug)
            if group["signature"] not in known:
                con.execute("INSERT INTO bugs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                            "?)", [run_id[0], *_values(bug)])
            bugs.append(bug)
        return bugs
    finally:
        con.close()


def _groups(con: Any) -> list[dict[str, Any]]:
    """Per signature: its failures in table order (the first one names the bug)."""
    rows = con.execute(
        "SELECT coalesce(signature, invariant || ': ' || message), kind, invariant, message, "
        "table_id, hand_no, dispatch, dump_path, replay_command FROM failures "
        "ORDER BY table_id").fetchall()
    groups: dict[str, dict[str, Any]] = {}
    for sig, kind, invariant, message, table, hand, dispatch, dump, command in rows:
        group = groups.setdefault(sig, {
            "signature": sig, "kind": kind, "invariant": invariant, "message": message,
            "first_table": table, "first_hand": hand, "count": 0, "dumps": [],
            "replay_command": command})
        group["count"] += 1
        if dump is not None:
            group["dumps"].append((dispatch if dispatch is not None else 10**9, table, dump))
    return list(groups.values())


def _triaged(folder: Path, group: dict[str, Any], seconds: float) -> Bug:
    """Shrink the group's smallest dump (fewest actions before the failure)."""
    dumps = sorted(group["dumps"])
    shrunk_path = dump_path = None
    before: tuple[int | None, int | None] = (None, None)
    after: tuple[int | None, int | None] = (None, None)
    command = group["replay_command"]
    if dumps:
        dump_path = dumps[0][2]
        original = load(Path(dump_path))
        record = original.case.record
        before = (len(record.snapshot.order) if record is not None else None,
                  len(original.case.actions))
        # Not a hang: the shrinker plays its candidates in this process, and a candidate
        # that hangs where no watchdog can stop it would hang the triage.
        result = shrink(original, seconds) if original.finding.kind is not Kind.LIVENESS \
            else None
        if result is not None:
            target = result.dump.write(Path(folder) / "shrunk", f"{_slug(group)}.json")
            shrunk_path = str(target)
            after = (result.after.players, result.after.actions)
            command = shlex.join(["sim", "replay", shrunk_path])
    return Bug(group["signature"], group["kind"], group["invariant"], group["message"],
               group["count"], group["first_table"], group["first_hand"], dump_path,
               shrunk_path, *before, *after, command)


def _slug(group: dict[str, Any]) -> str:
    """A file name that says what broke: the invariant, the message's first words, and a
    short hash of the signature (two bugs of one invariant stay apart)."""
    words = re.sub(r"[^a-z]+", "-", group["message"].lower()).strip("-").split("-")
    digest = hashlib.sha256(group["signature"].encode()).hexdigest()[:8]
    return "-".join([group["invariant"], *[w for w in words if w][:6], digest])


def _values(bug: Bug) -> list[Any]:
    return [bug.signature, bug.kind, bug.invariant, bug.message, bug.failures,
            bug.first_table, bug.first_hand, bug.dump_path, bug.shrunk_path,
            bug.players_before, bug.actions_before, bug.players_after, bug.actions_after,
            bug.replay_command]


def promote(bugs: list[Bug], regressions: Path) -> list[Path]:
    """Copy each bug's shrunk dump into ``regressions`` (where it becomes a test)."""
    copied = []
    for bug in bugs:
        if bug.shrunk_path is None:
            continue
        target = Path(regressions) / Path(bug.shrunk_path).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bug.shrunk_path, target)
        copied.append(target)
    return copied


COLUMNS: Final = ("invariant", "message", "failures", "first", "shrunk", "replay")


def rows(bugs: list[Bug]) -> list[tuple[Any, ...]]:
    """The triage table's rows, one per bug, in ``COLUMNS`` order."""
    def first(bug: Bug) -> str:
        return f"table {bug.first_table} hand {'-' if bug.first_hand is None else bug.first_hand}"
    return [(bug.invariant, _short(bug.message), bug.failures, first(bug), bug.sizes,
             bug.replay_command or "-") for bug in bugs]


def _short(message: str, width: int = 100) -> str:
    """A message cut to ``width`` characters for a table (the dump has it whole)."""
    return message if len(message) <= width else message[:width - 1] + "…"


def markdown(bugs: list[Bug]) -> str:
    """The triage table as Markdown (for a CI job summary)."""
    if not bugs:
        return "No failures: every invariant held.\n"
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows(bugs)]
    return "\n".join(lines) + "\n"

"""Triage: one row per bug, each with a shrunk repro.

``triage(folder)`` groups a run's failures by signature; then it merges the signatures
one bug shows at different tables: the smallest dump of each is replayed, and every check
its failing dispatch breaks is read (``sim.failures.replay.broken_together``): two
signatures that one dispatch breaks together are one bug, noticed by whichever check came
first. It shrinks the smallest dump of each bug (``sim.failures.shrink``, bounded in
time) into ``shrunk/`` beside ``failures/``, and keeps the rows in the run's database
(table ``bugs``), so a second call only reads them. A run-level check's finding
(``sim.runlevel``) is a row of its own, as it is: there is no hand to merge by or to
shrink, and its dump, which deals the run's hands again, is its repro. ``promote``
copies shrunk dumps into a regression folder under names that say what broke: a dump
becomes a test by copying a file.

    bugs = triage(Path("runs/nightly"))
    print(markdown(bugs))
"""

from __future__ import annotations

import hashlib
import re
import shlex
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sim.failures.dump import load
from sim.failures.replay import broken_together
from sim.failures.shrink import shrink
from sim.failures.signature import signature
from sim.finding import Kind
from sim.store.dataset import NoRuns, open_for_bugs
from sim.store.writer import BUGS_DDL

SHRINK_TRIES: Final = 3  # dumps tried per bug, smallest first, sharing the shrink's time


@dataclass(frozen=True, slots=True)
class Bug:
    """One signature of a run: what broke, how often, and the smallest repro found."""

    signature: str
    kind: str
    invariant: str
    message: str  # the first failure's
    failures: int
    first_table: int | None  # None: a finding of the run as a whole (a run-level check)
    first_hand: int | None
    dump_path: str | None  # the dump that was shrunk
    shrunk_path: str | None  # None: not shrinkable (no dump, or it did not deal again)
    players_before: int | None
    actions_before: int | None
    players_after: int | None
    actions_after: int | None
    replay_command: str | None
    repro: str | None  # the shrunk repro's replay verdict (``sim.failures.verdict``)
    merged: list[str]  # the other signatures of this bug (broken together with its own)

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
    try:
        con = open_for_bugs(path)  # locked: this run's file, nothing else
    except NoRuns as error:  # damaged, or not a run's: the CLI's one line
        raise FileNotFoundError(str(error)) from None
    try:
        con.execute(BUGS_DDL)
        run_id = con.execute("SELECT run_id FROM runs LIMIT 1").fetchone()
        assert run_id is not None, f"{path} holds no run"
        known = [Bug(*row[1:]) for row in con.execute(
            "SELECT * FROM bugs WHERE run_id = ?", [run_id[0]]).fetchall()]
        seen = {sig for bug in known for sig in (bug.signature, *bug.merged)}
        fresh = [group for group in _groups(con) if group["signature"] not in seen]
        bugs = list(known)
        # A run-level check's finding is its own bug: no hand to merge by, or to shrink.
        run_level = Kind.STATISTICAL.value
        found = [*(_triaged(folder, group, seconds_per_bug) for group in
                   merge([group for group in fresh if group["kind"] != run_level])),
                 *(_run_level(group) for group in fresh if group["kind"] == run_level)]
        for bug in found:
            values = [run_id[0], *_values(bug)]
            con.execute(f"INSERT INTO bugs VALUES ({', '.join('?' * len(values))})", values)
            bugs.append(bug)
        return sorted(bugs, key=_place)
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


def merge(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``groups`` (one per signature) with the signatures of one bug merged: two groups
    are one bug when the failing dispatch of either's smallest dump breaks the other's
    signature too. A merged group is named by its signature seen most often; it counts
    every failure and keeps every dump."""
    together = {group["signature"]: _together(group) for group in groups}
    root = {sig: sig for sig in together}

    def find(sig: str) -> str:
        for _ in range(len(root)):  # bounded: each step climbs one link
            if root[sig] == sig:
                break
            sig = root[sig]
        return sig

    for sig, broken in together.items():
        for other in broken & together.keys():
            root[find(other)] = find(sig)
    bugs: dict[str, list[dict[str, Any]]] = {}
    for group in groups:
        bugs.setdefault(find(group["signature"]), []).append(group)
    return [_combined(members) for members in bugs.values()]


def _together(group: dict[str, Any]) -> set[str]:
    """The signatures the failing dispatch of the group's smallest dump breaks (a hang's
    is not replayed here: no watchdog may reach it in this process)."""
    if not group["dumps"] or group["kind"] == Kind.LIVENESS.value:
        return {group["signature"]}
    case = load(Path(min(group["dumps"])[2])).case
    if case.record is None:
        return {group["signature"]}
    return {group["signature"], *(signature(found) for found in broken_together(case))}


def _combined(members: list[dict[str, Any]]) -> dict[str, Any]:
    main = max(members, key=lambda group: (group["count"], -group["first_table"]))
    first = min(members, key=lambda group: group["first_table"])
    return {**main, "count": sum(group["count"] for group in members),
            "first_table": first["first_table"], "first_hand": first["first_hand"],
            "dumps": [dump for group in members for dump in group["dumps"]],
            "merged": sorted(group["signature"] for group in members if group is not main)}


def _triaged(folder: Path, group: dict[str, Any], seconds: float) -> Bug:
    """Shrink the group's smallest dump (fewest actions before the failure); one that does
    not fail again at a fresh table (a hand with a live post, say) gives way to the next
    smallest, up to ``SHRINK_TRIES`` of them within ``seconds`` in all."""
    dumps = [path for _, _, path in sorted(group["dumps"])]
    sizes: tuple[int | None, int | None, int | None, int | None] = (None, None, None, None)
    command, repro, shrunk_path = group["replay_command"], None, None
    deadline = time.monotonic() + seconds
    for path in dumps[:SHRINK_TRIES]:
        original = load(Path(path))
        if original.finding.kind is Kind.LIVENESS:
            break  # a candidate that hangs where no watchdog reaches would hang the triage
        result = shrink(original, max(0.1, deadline - time.monotonic()))
        if result is not None:
            target = result.dump.write(Path(folder) / "shrunk", f"{_slug(group)}.json")
            shrunk_path, repro = str(target), result.verdict.word
            sizes = (result.before.players, result.before.actions, result.after.players,
                     result.after.actions)
            command = shlex.join(["sim", "replay", shrunk_path])
            dumps = [path]
            break
    if dumps and shrunk_path is None:  # not shrunk: the smallest dump's size, as it is
        record = load(Path(dumps[0])).case
        sizes = (len(record.record.snapshot.order) if record.record is not None else None,
                 len(record.actions), None, None)
    return Bug(group["signature"], group["kind"], group["invariant"], group["message"],
               group["count"], group["first_table"], group["first_hand"],
               dumps[0] if dumps else None, shrunk_path, *sizes, command, repro,
               group.get("merged", []))


def _run_level(group: dict[str, Any]) -> Bug:
    """A run-level check's finding: no hand to shrink; its dump, which deals the run's
    hands again from their seeds, is its own repro."""
    dumps = [path for _, _, path in group["dumps"]]
    return Bug(group["signature"], group["kind"], group["invariant"], group["message"],
               group["count"], None, None, dumps[0] if dumps else None, None, None, None,
               None, None, group["replay_command"], None, [])


def _place(bug: Bug) -> tuple[bool, int]:
    """Bugs in the order they were first seen; the run's own (no table) last."""
    return bug.first_table is None, bug.first_table or 0


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
            bug.replay_command, bug.repro, bug.merged]


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


COLUMNS: Final = ("invariant", "message", "failures", "first", "shrunk", "repro", "replay")


def rows(bugs: list[Bug]) -> list[tuple[Any, ...]]:
    """The triage table's rows, one per bug, in ``COLUMNS`` order."""
    def first(bug: Bug) -> str:
        if bug.first_table is None:
            return "the run"
        return f"table {bug.first_table} hand {'-' if bug.first_hand is None else bug.first_hand}"
    return [(bug.invariant, _short(bug.message), bug.failures, first(bug), bug.sizes,
             bug.repro or "-", bug.replay_command or "-") for bug in bugs]


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

"""Where replay cases come from: a failure dump, or any hand stored in a run's database.

    dump = from_dump(Path("runs/x/failures/table000003-hand00012-pot_consistency.json"))
    case = from_store(Path("runs/demo"), table_id=3, hand_no=17)

The store keeps each table's settings, its opening seats and every action it accepted, in
order (``actions.seq``). Driving a table's actions from its opening (unchecked: fast)
rebuilds every hand's log exactly, so any stored hand becomes a case like a dump's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sim.driver.drive import drive
from sim.driver.script import Opening, Script
from sim.engine import TableConfig
from sim.engine.log import HandRecord
from sim.failures.dump import Case, Dump, load
from sim.finding import Finding
from sim.invariants.pipeline import CheckedTable
from sim.planted.copy import require
from sim.store.dataset import open_dataset
from sim.store.schema import stored_action


class NotStored(LookupError):
    """The table or hand asked for is not in the run's database."""


class NotRebuilt(ValueError):
    """This engine does not rebuild a stored hand from the table's stored actions: it
    refused one of them, or raised (``finding``)."""

    def __init__(self, message: str, finding: Finding | None = None) -> None:
        super().__init__(message)
        self.finding = finding


def from_dump(path: Path) -> Dump:
    """The dump at ``path`` (its ``case`` is what replays); ValueError if it is not one."""
    return load(path)


def from_store(folder: Path, table_id: int, hand_no: int) -> Case:
    """Hand ``hand_no`` of table ``table_id`` of the run in ``folder``, ready to replay."""
    path = Path(folder) / "stats.duckdb"
    if not path.exists():
        raise ValueError(f"{folder} holds no stats.duckdb.")
    con = open_dataset([Path(folder)])  # locked: the run's data, nothing else
    try:
        table, actions = _read_table(con, path, table_id, hand_no)
    finally:
        con.close()
    (seed, seats, small, big, ante, low, high, opening, bots, run_seed, planted,
     invariants) = table
    config = TableConfig(seats, small, big, ante, low, high)
    players = {int(seat): (name, stack) for seat, (name, stack) in json.loads(opening).items()}
    require(planted or ())  # the run's planted bugs shaped its hands
    record = _rebuild(config, seed, players, actions, hand_no)
    return Case(run_seed, table_id, seed, config.to_dict(), tuple(planted or ()),
                tuple(invariants) if invariants else None, record, record.actions,
                {int(k): v for k, v in json.loads(bots).items()}, stop_at_hand_end=True)


def _read_table(con: Any, path: Path, table_id: int, hand_no: int) -> tuple[Any, list[Any]]:
    table = con.execute(
        "SELECT t.table_seed, t.seats, t.small_blind, t.big_blind, t.ante, t.min_buy_in, "
        "t.max_buy_in, t.opening, t.bots, r.seed, r.planted_bugs, r.invariants, "
        "r.stored_hands, t.failed "
        "FROM tables t JOIN runs r USING (run_id) WHERE t.table_id = ?", [table_id]).fetchone()
    if table is None:
        raise NotStored(f"table {table_id} is not in {path}.")
    *table, stored_hands, failed = table
    row = con.execute("SELECT max(hand_no) FROM hands WHERE table_id = ?", [table_id]).fetchone()
    last = row[0] if row is not None else None
    if last is None and stored_hands == "failing" and not failed:
        raise NotStored(f"hand {hand_no} of table {table_id} is not stored: this fuzz stored "
                        f"the failing tables' hands only, and table {table_id} did not fail "
                        "(`sim fuzz --keep-hands all` stores every hand).")
    if last is None or not 1 <= hand_no <= last:
        raise NotStored(f"hand {hand_no} of table {table_id} is not stored; this table has "
                        f"hands 1 to {last or 0}.")
    actions = con.execute("SELECT action, seat, amount, player FROM actions "
                          "WHERE table_id = ? ORDER BY seq", [table_id]).fetchall()
    return table, actions


def _rebuild(config: TableConfig, seed: int, players: dict[int, tuple[str, int]],
             actions: list[tuple[Any, ...]], hand_no: int) -> HandRecord:
    """Drive the table's stored actions (unchecked) until hand ``hand_no`` has ended."""
    def ended(table: CheckedTable) -> bool:
        last = table.log.last_hand
        return last is not None and last.hand_no == hand_no

    script = Script(Opening(config, seed, players), [stored_action(*row) for row in actions])
    driven = drive(script, checks=(), keep=1, until=ended)
    record = driven.table.log.last_hand
    if record is not None and record.hand_no == hand_no:
        return record
    where = f"table's stored actions do not rebuild hand {hand_no} on this engine"
    if driven.finding is not None:
        raise NotRebuilt(f"The {where}: {driven.finding}", driven.finding)
    if driven.stopped is not None:
        stop = driven.stopped
        raise NotRebuilt(f"The {where}: it refused stored action {stop.index}, "
                         f"{stop.action!r} ({stop.reason}).")
    raise NotRebuilt(f"The {where}: they end before it does.")

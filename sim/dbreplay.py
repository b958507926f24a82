"""Replaying any hand of a run from its DuckDB file.

The store keeps each table's settings, its opening seats and every action it accepted, in
order (``actions.seq``). Replaying a table's actions from its opening rebuilds every hand's
log exactly, so any hand can be replayed and checked like a failure dump.

    >>> failure = hand_from_store(Path("runs/demo"), table_id=3, hand_no=17)
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from sim.engine import Controller, TableConfig, bugs
from sim.engine import actions as ac
from sim.engine.log import TableLog
from sim.failures import Failure


class NotStored(LookupError):
    """The table or hand asked for is not in the run's database."""


def _action(kind: str, seat: int, amount: int | None, player: str | None) -> ac.Action:
    if kind == "Sit":
        return ac.Sit(seat, player or "", amount or 0)
    if kind in ("Bet", "RaiseTo", "Rebuy"):
        return ac.ACTION_TYPES[kind](seat, amount)  # type: ignore[no-any-return]
    return ac.ACTION_TYPES[kind](seat)  # type: ignore[no-any-return]


def hand_from_store(folder: Path, table_id: int, hand_no: int) -> Failure:
    """Rebuild hand ``hand_no`` of table ``table_id`` as a (clean) Failure ready to replay."""
    path = Path(folder) / "stats.duckdb"
    if not path.exists():
        raise ValueError(f"{folder} holds no stats.duckdb.")
    con = duckdb.connect(str(path), read_only=True)
    try:
        table = con.execute(
            "SELECT t.table_seed, t.seats, t.small_blind, t.big_blind, t.ante, t.min_buy_in, "
            "t.max_buy_in, t.opening, t.bots, r.seed, r.planted_bugs, r.invariants "
            "FROM tables t JOIN runs r USING (run_id) WHERE t.table_id = ?",
            [table_id]).fetchone()
        if table is None:
            raise NotStored(f"table {table_id} is not in {path}.")
        row = con.execute("SELECT max(hand_no) FROM hands WHERE table_id = ?",
                          [table_id]).fetchone()
        last = row[0] if row is not None else None
        if last is None or not 1 <= hand_no <= last:
            raise NotStored(f"hand {hand_no} of table {table_id} is not stored; this table "
                            f"has hands 1 to {last or 0}.")
        actions = con.execute("SELECT action, seat, amount, player FROM actions "
                              "WHERE table_id = ? ORDER BY seq", [table_id]).fetchall()
    finally:
        con.close()
    (seed, seats, small, big, ante, low, high, opening, bots, run_seed, planted,
     invariants) = table
    config = TableConfig(seats, small, big, ante, low, high)
    previous = bugs.enabled()
    bugs.enable(planted or ())  # the run's planted bugs shaped its hands
    try:
        record = _replay_to(config, seed, opening, actions, hand_no)
    finally:
        bugs.enable(previous)
    return Failure(run_seed, table_id, seed, hand_no, "none", "replayed from the store", "",
                   "", config.to_dict(), tuple(planted or ()),
                   tuple(invariants) if invariants else None, record, record.actions,
                   {int(k): v for k, v in json.loads(bots).items()})


def _replay_to(config: TableConfig, seed: int, opening: str, actions: list[tuple],
               hand_no: int):  # noqa: ANN202 - HandRecord
    log = TableLog(keep=1, keep_actions=False)
    players = {int(seat): (name, stack) for seat, (name, stack) in json.loads(opening).items()}
    table = Controller(config, seed, players, subscribers=[log])
    for row in actions:
        last = log.last_hand
        if last is not None and last.hand_no == hand_no:
            return last
        table.dispatch(_action(*row))
    last = log.last_hand
    if last is None or last.hand_no != hand_no:
        raise ValueError(f"Replaying table actions did not reach the end of hand {hand_no}.")
    return last

"""The store's row types: defined once, read by the table player and by the store.

Each row type is a NamedTuple whose fields are the columns of one table, in order;
``COLUMN_TYPES`` gives every column name its DuckDB type (a name means the same thing,
and has the same type, in every table). The tables' DDL and the Arrow schemas are built
from these, so a row and its table cannot drift apart. README.md ("The DuckDB store")
documents every column.

    >>> ActionRow._fields[:6], COLUMN_TYPES["amount"]
    (('table_id', 'hand_no', 'seq', 'seat', 'action', 'amount'), 'BIGINT')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, NamedTuple

import pyarrow as pa

from sim.engine import actions


class HandRow(NamedTuple):
    """One row of ``hands``: a finished hand."""

    table_id: int
    hand_no: int
    hand_seed: int
    players: int
    button: int | None
    small_blind_seat: int | None
    big_blind_seat: int | None
    board: str
    pot: int
    pots: int
    winners: str
    showdown: bool
    actions: int
    last_street: str


class ActionRow(NamedTuple):
    """One row of ``actions``: an accepted action, in dispatch order (``seq``)."""

    table_id: int
    hand_no: int | None
    seq: int
    seat: int
    action: str
    amount: int | None
    street: str | None
    pot_before: int | None
    legal_count: int | None
    bot: str | None
    player: str | None
    position: str | None
    facing: int | None
    raises_before: int | None
    pot_fraction: float | None


class ResultRow(NamedTuple):
    """One row of ``results``: one player's result in one hand."""

    table_id: int
    hand_no: int
    seat: int
    player: str | None
    bot: str | None
    start_stack: int
    final_stack: int
    net: int
    showed_down: bool
    won: int
    hole: str | None
    position: str
    start_bb: float
    hand_class: str | None
    saw_flop: bool
    went_to_showdown: bool
    final_category: str | None
    vpip: bool
    pfr: bool
    three_bet_chance: bool
    three_bet: bool
    postflop_aggressive: int
    postflop_calls: int


ROW_TYPES: Final[dict[str, Any]] = {"hands": HandRow, "actions": ActionRow,
                                    "results": ResultRow}

COLUMN_TYPES: Final[dict[str, str]] = {
    "table_id": "INTEGER", "hand_no": "INTEGER", "hand_seed": "UBIGINT", "players": "TINYINT",
    "button": "TINYINT", "small_blind_seat": "TINYINT", "big_blind_seat": "TINYINT",
    "board": "VARCHAR", "pot": "BIGINT", "pots": "TINYINT", "winners": "VARCHAR",
    "showdown": "BOOLEAN", "actions": "INTEGER", "last_street": "VARCHAR", "seq": "INTEGER",
    "seat": "TINYINT", "action": "VARCHAR", "amount": "BIGINT", "street": "VARCHAR",
    "pot_before": "BIGINT", "legal_count": "TINYINT", "bot": "VARCHAR", "player": "VARCHAR",
    "start_stack": "BIGINT", "final_stack": "BIGINT", "net": "BIGINT",
    "showed_down": "BOOLEAN", "won": "BIGINT", "hole": "VARCHAR", "position": "VARCHAR",
    "start_bb": "DOUBLE", "hand_class": "VARCHAR", "saw_flop": "BOOLEAN",
    "went_to_showdown": "BOOLEAN", "final_category": "VARCHAR", "facing": "BIGINT",
    "raises_before": "TINYINT", "pot_fraction": "DOUBLE", "vpip": "BOOLEAN", "pfr": "BOOLEAN",
    "three_bet_chance": "BOOLEAN", "three_bet": "BOOLEAN", "postflop_aggressive": "INTEGER",
    "postflop_calls": "INTEGER",
}

_ARROW: Final[dict[str, pa.DataType]] = {
    "TINYINT": pa.int8(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
    "UBIGINT": pa.uint64(), "VARCHAR": pa.string(), "BOOLEAN": pa.bool_(),
    "DOUBLE": pa.float64(),
}

# (column, DuckDB type, Arrow type) per table, in row order.
SCHEMA: Final[dict[str, list[tuple[str, str, pa.DataType]]]] = {
    name: [(column, COLUMN_TYPES[column], _ARROW[COLUMN_TYPES[column]])
           for column in row._fields]
    for name, row in ROW_TYPES.items()
}


def arrow_schema(name: str) -> pa.Schema:
    return pa.schema([(column, kind) for column, _, kind in SCHEMA[name]])


def to_arrow(name: str, rows: Sequence[tuple[Any, ...]]) -> pa.Table:
    """Rows of table ``name`` (its row type, or tuples in its order) to an Arrow table,
    converted column by column."""
    schema = arrow_schema(name)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.table([pa.array(col, type=field.type)
                     for col, field in zip(columns, schema, strict=True)], schema=schema)


def ddl(name: str) -> str:
    """``CREATE TABLE`` for one row type's table, keyed by ``run_id`` first."""
    columns = ", ".join(f"{column} {kind}" for column, kind, _ in SCHEMA[name])
    return f"CREATE TABLE IF NOT EXISTS {name} (run_id VARCHAR, {columns});\n"


def stored_action(kind: str, seat: int, amount: int | None,
                  player: str | None) -> actions.Action:
    """The action a row of ``actions`` stores."""
    if kind == "Sit":
        return actions.Sit(seat, player or "", amount or 0)
    if kind in ("Bet", "RaiseTo", "Rebuy"):
        return actions.ACTION_TYPES[kind](seat, amount)  # type: ignore[no-any-return]
    return actions.ACTION_TYPES[kind](seat)  # type: ignore[no-any-return]

"""Writing hands as PHH: ``hand_to_phh(record)`` for one logged hand, ``export_run`` for the
stored hands of a run (rebuilt by driving the store's openings and actions through the
hand driver, as ``sim.failures.sources`` does), so any PHH tool (PokerKit,
``sim check-phh``) can open them.

    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.actions import Call, Fold
    >>> from sim.engine.log import TableLog
    >>> log = TableLog(keep=4)
    >>> table = Controller(TableConfig(seats=2), seed=1,
    ...                    players={0: ("ann", 100), 1: ("bob", 100)}, subscribers=[log])
    >>> events = table.dispatch(Call(seat=0)), table.dispatch(Fold(seat=1))
    >>> print(hand_to_phh(log.last_hand))
    variant = 'NT'
    antes = [0, 0]
    blinds_or_straddles = [1, 2]
    min_bet = 2
    starting_stacks = [100, 100]
    actions = ['d dh p1 9dQh', 'd dh p2 6s8s', 'p2 cc', 'p1 f']
    hand = 1
    seats = [2, 1]
    seat_count = 2
    players = ["bob", "ann"]
    finishing_stacks = [98, 102]
    <BLANKLINE>

``export_run(Path("runs/demo"), "pot > 100", Path("big.phhs"))`` writes a run's hands.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from sim.driver.drive import drive
from sim.driver.hooks import TableHook
from sim.driver.script import Opening, Script
from sim.engine import TableConfig
from sim.engine.actions import Action
from sim.engine.cards import cards_to_str
from sim.engine.events import (
    BetMade,
    BoardDealt,
    Called,
    CardsMucked,
    CardsShown,
    Checked,
    Event,
    Folded,
    HoleCardsDealt,
    RaisedTo,
)
from sim.engine.log import HandRecord
from sim.invariants.pipeline import CheckedTable
from sim.planted.copy import require
from sim.store.schema import stored_action


class NotExpressible(ValueError):
    """A hand PHH cannot describe (a player posted a live big blind to come in)."""


def hand_to_phh(record: HandRecord, title: str = "") -> str:
    """One hand as a PHH document (TOML). Players are listed in dealing order, so the last
    one holds the button (heads-up, the first is the big blind). A hand that has not ended
    (a failure dump's, cut at the failing dispatch) has its actions so far and no
    finishing stacks."""
    start = record.snapshot
    final = record.final
    if start.posters:
        raise NotExpressible(f"Hand {record.hand_no} has live posts by seats "
                             f"{list(start.posters)}, which PHH cannot describe.")
    order = list(start.order)
    player = {seat: f"p{k + 1}" for k, seat in enumerate(order)}
    config = start.config
    count = len(order)
    blinds = [config.small_blind, config.big_blind] + [0] * (count - 2)
    lines = [f"# {title}"] if title else []
    lines += [
        "variant = 'NT'",
        f"antes = {[config.ante] * count}",
        f"blinds_or_straddles = {blinds}",
        f"min_bet = {config.big_blind}",
        f"starting_stacks = {[start.stack[s] for s in order]}",
        f"actions = [{', '.join(repr(a) for a in _actions(record.events, player))}]",
        f"hand = {record.hand_no}",
        f"seats = {[s + 1 for s in order]}",
        f"seat_count = {config.seats}",
        f"players = [{', '.join(_string(start.player[s] or '') for s in order)}]",
    ]
    if final is not None:
        lines.append(f"finishing_stacks = {[final.stack[s] for s in order]}")
    return "\n".join(lines) + "\n"


def _actions(events: list[Event], player: dict[int, str]) -> list[str]:
    out = []
    for e in events:
        if type(e) is HoleCardsDealt:
            out.append(f"d dh {player[e.seat]} {cards_to_str(e.cards).replace(' ', '')}")
        elif type(e) is BoardDealt:
            out.append(f"d db {cards_to_str(e.cards).replace(' ', '')}")
        elif type(e) is Folded:
            out.append(f"{player[e.seat]} f")
        elif type(e) is Checked or type(e) is Called:
            out.append(f"{player[e.seat]} cc")
        elif type(e) is BetMade or type(e) is RaisedTo:
            out.append(f"{player[e.seat]} cbr {e.total}")
        elif type(e) is CardsShown:
            out.append(f"{player[e.seat]} sm {cards_to_str(e.cards).replace(' ', '')}")
        elif type(e) is CardsMucked:
            out.append(f"{player[e.seat]} sm")
    return out


def _string(text: str) -> str:
    return json.dumps(text)  # a TOML basic string: JSON's escapes are TOML's


def export_run(folder: Path, where: str | None, out: Path) -> tuple[int, int]:
    """Write the hands of run ``folder`` matching SQL ``where`` (one condition on table
    ``hands``; None: all) to ``out`` as a ``.phhs`` collection. Returns (hands written,
    hands left out: those PHH cannot describe, and any this engine does not rebuild from the
    store). The run is read through the locked connection (``sim.store.dataset``), and
    ``where`` is parsed as one expression, so it filters hands and can run nothing else."""
    wanted, tables, actions = _stored(folder, where)
    written = left_out = 0
    with out.open("w", encoding="utf-8") as sink:
        for table_id, hands in sorted(wanted.items()):
            seed, seats, small, big, ante, low, high, opening, planted = tables[table_id]
            rows = [stored_action(*row) for row in actions[table_id]]
            records = _records(TableConfig(seats, small, big, ante, low, high), seed, opening,
                               rows, hands, planted)
            left_out += len(hands) - len(records)
            for record in records:
                try:
                    text = hand_to_phh(record, f"run {folder.name}, table {table_id}, "
                                               f"hand {record.hand_no}")
                except NotExpressible:
                    left_out += 1
                    continue
                written += 1
                sink.write(f"[{written}]\n{text}\n")
    return written, left_out


def _stored(folder: Path, where: str | None) -> tuple[dict[int, set[int]], dict[int, tuple],
                                                       dict[int, list[tuple]]]:
    """The hands ``where`` picks by table, the tables' settings and their actions."""
    from sim.store.dataset import open_dataset

    if not (Path(folder) / "stats.duckdb").is_file():
        raise ValueError(f"{folder} holds no stats.duckdb; export-phh takes the folder of "
                         "one run.")
    con = open_dataset([Path(folder)])
    try:
        hands = con.table("hands")
        try:
            picked = hands.filter(where) if where else hands
            rows = picked.select("table_id, hand_no").order("table_id, hand_no").fetchall()
        except duckdb.Error as error:
            raise ValueError(f"the --where condition {where!r} is not one SQL condition on "
                             f"the hands table: {_first_line(error)}") from None
        if not rows and con.execute("SELECT bool_or(stored_hands = 'failing') FROM runs"
                                    ).fetchall() == [(True,)]:
            matching = f"matching {where!r} " if where else ""
            raise ValueError(f"{folder} stored no hand {matching}to export: a fuzz stores "
                             "the failing tables' hands only (`sim fuzz --keep-hands all` "
                             "stores every hand).")
        by_table: dict[int, set[int]] = {}
        for table_id, hand_no in rows:
            by_table.setdefault(table_id, set()).add(hand_no)
        tables = {row[0]: row[1:] for row in con.execute(
            "SELECT t.table_id, t.table_seed, t.seats, t.small_blind, t.big_blind, t.ante, "
            "t.min_buy_in, t.max_buy_in, t.opening, r.planted_bugs FROM tables t "
            "JOIN runs r USING (run_id)").fetchall()}
        actions = {table_id: con.execute(
            "SELECT action, seat, amount, player FROM actions WHERE table_id = ? ORDER BY seq",
            [table_id]).fetchall() for table_id in by_table}
    finally:
        con.close()
    return by_table, tables, actions


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


class _Collect(TableHook):
    """Keeps the finished records of the hands wanted."""

    def __init__(self, wanted: set[int]) -> None:
        self.wanted = wanted
        self.found: dict[int, HandRecord] = {}

    def hand_ended(self, table: CheckedTable, record: HandRecord) -> None:
        if record.hand_no in self.wanted:
            self.found[record.hand_no] = record


def _records(config: TableConfig, seed: int, opening: str, actions: list[Action],
             hands: set[int], planted: list[str] | None) -> list[HandRecord]:
    """The finished records of ``hands``, driving the table's actions (unchecked) from its
    opening. Hands the drive does not reach (this engine refused a stored action) are left
    out; the caller counts them."""
    players = {int(seat): (name, stack) for seat, (name, stack) in json.loads(opening).items()}
    collect = _Collect(hands)
    require(planted or ())  # the run's planted bugs shaped its hands
    drive(Script(Opening(config, seed, players), actions), checks=(), hooks=[collect], keep=1,
          until=lambda table: len(collect.found) == len(hands))
    return [collect.found[n] for n in sorted(collect.found)]

"""draw_table: deterministic per (run seed, table id), and over many tables it covers the
settings and bot mixes the swarm is meant to reach."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from sim.bots import BOT_KINDS, TableSpec, draw_fuzz_table, draw_table, make_bot
from sim.bots.base import Bot
from sim.engine import Controller
from sim.engine.seeds import derive_seed

SCRIPTED = {"calling_station", "maniac", "nit", "min_raiser", "shover", "limper"}


@pytest.fixture(scope="module")
def specs() -> list[TableSpec]:
    return [draw_table(run_seed=20240601, table_id=table_id) for table_id in range(500)]


def test_draw_is_deterministic() -> None:
    for table_id in (0, 1, 77):
        assert draw_table(3, table_id) == draw_table(3, table_id)
    assert draw_table(3, 0) != draw_table(3, 1)
    assert draw_table(3, 0) != draw_table(4, 0)
    assert draw_table(3, 5).seed == derive_seed(3, "table", 5)


def test_spec_is_frozen() -> None:
    spec = draw_table(1, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.seed = 2  # type: ignore[misc]


def test_every_spec_opens_a_table(specs: list[TableSpec]) -> None:
    for spec in specs:
        config = spec.config
        assert 2 <= len(spec.bots) <= config.seats
        seats = [seat for seat, _, _, _ in spec.bots]
        assert seats == sorted(set(seats))
        for seat, kind, name, buy_in in spec.bots:
            assert kind in BOT_KINDS
            assert name == f"{kind}-{seat}"
            assert config.min_buy_in <= buy_in <= config.max_buy_in
        controller = Controller(config, seed=spec.seed, players=spec.players())
        assert controller.state.hand_no == 1  # two or more players: the first hand is dealt


def test_settings_cover_the_edges(specs: list[TableSpec]) -> None:
    configs = [spec.config for spec in specs]
    seat_counts = Counter(config.seats for config in configs)
    assert set(seat_counts) == set(range(2, 11))
    assert seat_counts[6] > seat_counts[5] and seat_counts[9] > seat_counts[8]
    antes = [config.ante for config in configs]
    assert 0.5 < antes.count(0) / len(antes) < 0.95
    big_blinds = {config.big_blind for config in configs}
    assert min(big_blinds) == 2 and max(big_blinds) == 100 and len(big_blinds) > 40
    assert all(2 <= b <= 100 for b in big_blinds)
    assert any(c.small_blind == c.big_blind for c in configs)
    assert any(c.small_blind == c.big_blind // 2 for c in configs)
    assert any(c.small_blind == c.big_blind - 1 and c.big_blind > 2 for c in configs)
    for config in configs:
        big = config.big_blind
        assert 20 * big <= config.max_buy_in <= 500 * big
        assert big <= config.min_buy_in <= config.max_buy_in
    assert any(c.min_buy_in == c.big_blind for c in configs)
    assert any(c.min_buy_in == c.max_buy_in for c in configs)


def test_stacks_cover_short_and_deep(specs: list[TableSpec]) -> None:
    short = deep = 0
    for spec in specs:
        big = spec.config.big_blind
        for _, _, _, buy_in in spec.bots:
            short += buy_in <= 3 * big
            deep += buy_in == spec.config.max_buy_in
    assert short > 50 and deep > 200


def test_some_tables_leave_seats_empty(specs: list[TableSpec]) -> None:
    partly = sum(len(spec.bots) < spec.config.seats for spec in specs)
    assert 50 < partly < 400


def test_each_kind_is_at_some_tables_and_not_others(specs: list[TableSpec]) -> None:
    present = Counter(kind for spec in specs for kind in spec.kinds())
    for kind in BOT_KINDS:
        assert 50 < present[kind] < 450, (kind, present[kind])
    assert any(spec.kinds() <= SCRIPTED for spec in specs)  # only personalities
    assert any("chaos" not in spec.kinds() and "seat_hopper" not in spec.kinds()
               for spec in specs)
    assert any(len(spec.kinds()) == 1 and len(spec.bots) > 3 for spec in specs)


def test_bot_kinds_registry() -> None:
    assert set(BOT_KINDS) == {"random", "calling_station", "maniac", "nit", "min_raiser",
                              "shover", "limper", "seat_hopper", "timeout", "chaos"}
    for kind, cls in BOT_KINDS.items():
        bot = make_bot(kind, f"{kind}-0")
        assert isinstance(bot, Bot) and type(bot) is cls
        assert bot.kind == kind and bot.name == f"{kind}-0"
    assert [kind for kind, cls in BOT_KINDS.items() if cls.chaos] == ["chaos"]
    with pytest.raises(ValueError, match="Unknown bot kind 'shark'"):
        make_bot("shark", "shark-1")


# -- the fuzz's wider swarm -----------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_specs() -> list[TableSpec]:
    return [draw_fuzz_table(run_seed=20240601, table_id=table_id) for table_id in range(500)]


def test_fuzz_draw_is_deterministic_and_its_own() -> None:
    assert draw_fuzz_table(3, 5) == draw_fuzz_table(3, 5)
    assert draw_fuzz_table(3, 5).seed == derive_seed(3, "fuzz table", 5)
    assert draw_fuzz_table(3, 5) != draw_table(3, 5)  # a plain run's tables are unchanged


def test_fuzz_tables_open_with_buy_ins_in_range(fuzz_specs: list[TableSpec]) -> None:
    for spec in fuzz_specs:
        config = spec.config
        assert 2 <= len(spec.bots) <= config.seats
        assert all(config.min_buy_in <= buy_in <= config.max_buy_in
                   for _, _, _, buy_in in spec.bots)
        controller = Controller(config, seed=spec.seed, players=spec.players())
        # A hand is dealt (the first may already be over: all in on the blinds).
        assert controller.state.hand_no >= 1


def test_half_the_fuzz_tables_are_short(fuzz_specs: list[TableSpec]) -> None:
    caps = Counter(spec.config.max_buy_in // spec.config.big_blind for spec in fuzz_specs
                   if spec.config.max_buy_in < 20 * spec.config.big_blind
                   or spec.config.min_buy_in == spec.config.big_blind
                   and spec.config.max_buy_in <= 20 * spec.config.big_blind)
    assert 200 < sum(caps.values()) < 320, caps
    assert {2, 3, 4, 5, 6, 8, 10, 15} <= set(caps)
    short = [b for spec in fuzz_specs for _, _, _, b in spec.bots
             if b <= 5 * spec.config.big_blind]
    plain = [b for spec in (draw_table(20240601, t) for t in range(500))
             for _, _, _, b in spec.bots if b <= 5 * spec.config.big_blind]
    assert len(short) > 3 * len(plain)


def test_fuzz_tables_range_from_one_kind_to_nearly_all(fuzz_specs: list[TableSpec]) -> None:
    sizes = Counter(len(spec.kinds()) for spec in fuzz_specs)
    few = sum(n for size, n in sizes.items() if size <= 2)
    many = sum(n for size, n in sizes.items() if size >= 6)  # as many as the seats allow
    assert few > 120 and sizes[1] > 30 and many > 10, sizes

"""Swarm testing: every table draws its own settings and its own mix of bots from its seed.

A fuzzer that runs every behaviour at every table tests each one shallowly: a chaos bot
that keeps sending junk, or a seat-hopper that keeps emptying the table, crowds out the
long all-in sequences a table of shovers would reach. Swarm testing (Groce et al., ISSTA
2012) gives each table a random subset of the behaviours instead, so across many tables
every behaviour is tested both alone and in company, and some tables go deep.

    >>> from sim.engine import Controller
    >>> spec = draw_table(run_seed=20240601, table_id=3)
    >>> table = Controller(spec.config, seed=spec.seed, players=spec.players())
    >>> bots = {seat: make_bot(kind, name) for seat, kind, name, _ in spec.bots}
    >>> spec.players()
    {0: ('maniac-0', 597), 1: ('shover-1', 702), 2: ('nit-2', 539), 3: ('nit-3', 256)}

What ``draw_table`` draws, from ``random.Random(derive_seed(run_seed, "table", table_id))``
(so one table replays on its own, whatever the worker or order):

- seats, 2 to 10, weighted toward the common 6-max and 9-handed tables but covering
  heads-up (its own blind and action order rules) and 10;
- the big blind, 2 to 100: round values half the time, any value otherwise (odd blinds
  make odd chips and uneven half-blinds);
- the small blind: about half the big blind (rounded down), sometimes equal to it, now and
  then one chip below it or a single chip;
- the ante: none on three tables in four, otherwise a tenth, a fifth, half or all of the
  big blind (antes make dead money, all-in-on-the-ante players and side pots);
- the buy-ins: the maximum 20 to 500 big blinds (100 on a third of the tables); the
  minimum one big blind on a quarter of the tables (so 1-3 big blind stacks, which post
  blinds all-in, can sit down), else a fraction of the maximum, at times equal to it;
- opening stacks: mostly any buy-in, some the minimum, some very short (1 to 3 big
  blinds, where the minimum allows), some as deep as the maximum;
- how many seats start filled: all on most tables, otherwise 2 or more, leaving empty
  seats for players who join (the runner re-seats players who left);
- the bot mix: each kind in ``BOT_KINDS`` joins the table's subset with probability 1/2
  (at least one kind), and each filled seat gets a kind from that subset. So some tables
  have no chaos bot, some no seat-hoppers, some only scripted personalities.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Final

from sim.bots.base import Bot
from sim.bots.chaos import ChaosBot
from sim.bots.plugin import is_plugin, load_bot_class
from sim.bots.random_bot import RandomBot
from sim.bots.scripted import CallingStation, Limper, Maniac, MinRaiser, Nit, Shover
from sim.bots.seat_hopper import SeatHopper
from sim.bots.timeout_bot import TimeoutBot
from sim.engine.seeds import derive_seed
from sim.engine.state import TableConfig

BOT_KINDS: Final[dict[str, type[Bot]]] = {
    cls.kind: cls
    for cls in (RandomBot, CallingStation, Maniac, Nit, MinRaiser, Shover, Limper, SeatHopper,
                TimeoutBot, ChaosBot)
}
SEAT_WEIGHTS: Final = {2: 3, 3: 2, 4: 2, 5: 2, 6: 6, 7: 2, 8: 2, 9: 6, 10: 3}
ROUND_BIG_BLINDS: Final = (2, 4, 10, 20, 50, 100)
KIND_SHARE: Final = 0.5  # the chance each kind joins a table's subset
# The fuzz's wider swarm (draw_fuzz_table): the caps of short tables, in big blinds, and
# the chances of each kind joining.
SHORT_CAPS: Final = (2, 3, 4, 5, 6, 8, 10, 15, 20)
FUZZ_KIND_SHARES: Final = (0.25, 0.5, 0.75)

Opening = tuple[int, str, str, int]  # (seat, kind, name, buy_in)
# An experiment's line-up entry: (kind as stored, built-in kind or package.module:Class,
# keyword arguments for the class).
LineUp = tuple[str, str, tuple[tuple[str, Any], ...]]


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One table of a run: its seed, settings and opening players. ``lineup`` says how
    to build the bots of an experiment's kinds (empty: every kind is built in)."""

    table_id: int
    seed: int
    config: TableConfig
    bots: tuple[Opening, ...]
    lineup: tuple[LineUp, ...] = ()

    def players(self) -> dict[int, tuple[str, int]]:
        """The ``players`` argument of ``Controller``."""
        return {seat: (name, buy_in) for seat, _, name, buy_in in self.bots}

    def kinds(self) -> frozenset[str]:
        return frozenset(kind for _, kind, _, _ in self.bots)

    def make(self, kind: str, name: str) -> Bot:
        """The bot of ``kind`` named ``name``: the line-up's class with its parameters,
        or a built-in kind."""
        for label, target, params in self.lineup:
            if label == kind:
                if not is_plugin(target):
                    return make_bot(target, name)
                bot: Bot = load_bot_class(target)(name, **dict(params))
                return bot
        return make_bot(kind, name)

    def plugin(self, kind: str) -> bool:
        """Whether ``kind`` is a plug-in bot (its faults are its own, not the engine's)."""
        return any(label == kind and is_plugin(target) for label, target, _ in self.lineup)


def make_bot(kind: str, name: str) -> Bot:
    """``make_bot("nit", "nit-3")``; an unknown kind raises ValueError naming the known ones."""
    cls = BOT_KINDS.get(kind)
    if cls is None:
        raise ValueError(f"Unknown bot kind {kind!r}; known kinds are {', '.join(BOT_KINDS)}.")
    return cls(name)


def bot_name(kind: str, seat: int) -> str:
    return f"{kind}-{seat}"


def draw_table(run_seed: int, table_id: int) -> TableSpec:
    """The table ``table_id`` of the run seeded ``run_seed``; the same pair, the same table."""
    seed = derive_seed(run_seed, "table", table_id)
    rng = random.Random(seed)
    config = draw_config(rng)
    filled = draw_filled_seats(config.seats, rng)
    return TableSpec(table_id, seed, config, draw_players(config, filled, draw_kinds(rng), rng))


def draw_fuzz_table(run_seed: int, table_id: int) -> TableSpec:
    """The table ``table_id`` of the fuzz seeded ``run_seed``: the swarm with two more knobs,
    so that the fuzz's steering (``sim.fuzz.steer``) has settings to choose between.

    - Short tables: on half the tables every buy-in is one big blind up to a cap of 2 to 20
      big blinds (busted players rebuy to the cap, so the table stays short). Stacks a few
      big blinds deep make the rarest edges: all-ins on the blinds and the ante, short
      all-ins that do or do not reopen the betting, side pots at several levels.
    - Fewer or more kinds: each kind joins the table's subset with a chance of 1/4, 1/2 or
      3/4 instead of 1/2 alone, so some tables are one or two kinds (only shovers and
      limpers, say) and some have nearly every kind.
    """
    seed = derive_seed(run_seed, "fuzz table", table_id)
    rng = random.Random(seed)
    config = draw_config(rng)
    if rng.random() < 0.5:
        cap = rng.choice(SHORT_CAPS) * config.big_blind
        config = config.replace(min_buy_in=config.big_blind, max_buy_in=cap)
    filled = draw_filled_seats(config.seats, rng)
    kinds = draw_kinds(rng, rng.choice(FUZZ_KIND_SHARES))
    return TableSpec(table_id, seed, config, draw_players(config, filled, kinds, rng))


def draw_players(config: TableConfig, filled: list[int], kinds: list[str],
                 rng: random.Random) -> tuple[Opening, ...]:
    """The opening players of ``filled`` seats: a kind from ``kinds`` and a stack each."""
    bots = []
    for seat in filled:
        kind = rng.choice(kinds)
        bots.append((seat, kind, bot_name(kind, seat), draw_stack(config, rng)))
    return tuple(bots)


def draw_config(rng: random.Random) -> TableConfig:
    seats = rng.choices(list(SEAT_WEIGHTS), weights=list(SEAT_WEIGHTS.values()))[0]
    big = rng.choice(ROUND_BIG_BLINDS) if rng.random() < 0.5 else rng.randint(2, 100)
    small = draw_small_blind(big, rng)
    ante = 0 if rng.random() < 0.75 else max(1, big // rng.choice((10, 5, 2, 1)))
    max_bb = 100 if rng.random() < 0.33 else rng.randint(20, 500)
    r = rng.random()
    if r < 0.25:
        min_bb = 1  # tiny: lets very short stacks sit down
    elif r < 0.85:
        min_bb = max(1, max_bb // rng.choice((2, 3, 4, 5, 10)))
    elif r < 0.95:
        min_bb = rng.randint(1, max_bb)
    else:
        min_bb = max_bb  # a fixed buy-in
    return TableConfig(seats=seats, small_blind=small, big_blind=big, ante=ante,
                       min_buy_in=min_bb * big, max_buy_in=max_bb * big)


def draw_small_blind(big: int, rng: random.Random) -> int:
    r = rng.random()
    if r < 0.75:
        return max(1, big // 2)
    if r < 0.87:
        return big
    if r < 0.95:
        return big - 1
    return 1


def draw_filled_seats(seats: int, rng: random.Random) -> list[int]:
    """All seats on most tables, otherwise 2 or more, at random places."""
    if rng.random() < 0.7:
        return list(range(seats))
    count = rng.randint(2, seats)
    return sorted(rng.sample(range(seats), count))


def draw_kinds(rng: random.Random, share: float = KIND_SHARE) -> list[str]:
    """The table's subset of bot kinds (never empty), in ``BOT_KINDS`` order: each kind
    joins with chance ``share``."""
    kinds = [kind for kind in BOT_KINDS if rng.random() < share]
    return kinds or [rng.choice(list(BOT_KINDS))]


def draw_stack(config: TableConfig, rng: random.Random) -> int:
    """An opening stack: mostly any buy-in, some minimum, very short or the maximum."""
    low, high, big = config.min_buy_in, config.max_buy_in, config.big_blind
    r = rng.random()
    if r < 0.15 and low <= 3 * big:
        return rng.randint(max(low, big), min(3 * big, high))  # 1 to 3 big blinds
    if r < 0.30:
        return high
    if r < 0.40:
        return low
    return rng.randint(low, high)

"""Playing tables: bots against the engine, every invariant after every dispatch.

A table is the unit of work. ``play_table(spec, hands, settings)`` plays one table from its
seed, checks the selected invariants after every dispatch, counts coverage points, collects
the rows the store keeps (hands, actions, results), and on the first broken invariant or
engine exception dumps the hand and stops the table. Everything it does follows from the
table's seed, so the same run seed gives the same tables whatever the number of workers.

    >>> outcome = play_table(draw_table(run_seed=1, table_id=0), hands=200, settings=settings)
"""

from __future__ import annotations

import random
import shlex
import time
import traceback as tb
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Final

from sim.bots import TableSpec, make_bot
from sim.bots.base import Bot
from sim.engine import Controller, IllegalAction, bugs
from sim.engine.actions import (
    ACTION_CLASSES,
    Action,
    ActionBase,
    Rebuy,
    Sit,
    SitIn,
    SizedAction,
    Timeout,
)
from sim.engine.animation import Animator
from sim.engine.cards import cards_to_str
from sim.engine.events import CardsMucked, CardsShown, Event, PotAwarded
from sim.engine.legal import LegalActions
from sim.engine.log import HandRecord, TableLog
from sim.engine.seeds import derive_seed
from sim.engine.state import IDLE, SITTING_OUT, STREET_NAMES, TableState, total
from sim.engine.views import PlayerView, player_view
from sim.failures import Failure
from sim.invariants.base import InvariantViolation, run_all, select
from sim.invariants.coverage import Coverage
from sim.invariants.driver import context

# Bounds that keep a broken engine from hanging a worker (TIGER_STYLE: every loop is bounded).
MAX_CHAOS_TRIES: Final = 16  # junk actions in a row before the chaos bot's turn is played for it
MAX_IDLE_ROUNDS: Final = 4  # request rounds on an idle table before it counts as stalled


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What a run plays. ``invariants`` None means all of them."""

    seed: int
    hands: int
    hands_per_table: int = 200
    invariants: tuple[str, ...] | None = None
    planted: tuple[str, ...] = ()
    failures_dir: Path | None = None
    collect_rows: bool = True
    only_table: int | None = None  # play just this table of the run (to chase one failure)

    def __reduce__(self) -> tuple[Any, ...]:
        # Settings go to worker processes; compiled, a frozen dataclass cannot be unpickled
        # attribute by attribute, so it is rebuilt through its constructor.
        return (RunSettings, tuple(getattr(self, f.name) for f in fields(self)))


def reproduce_command(settings: RunSettings, workers: int, out: Path | None = None) -> str:
    """The one command that plays ``settings`` again (shell-quoted)."""
    parts = ["sim", "run", "--hands", str(settings.hands), "--seed", str(settings.seed),
             "--workers", str(workers), "--hands-per-table", str(settings.hands_per_table)]
    if out is not None:
        parts += ["--out", str(out)]
    for name in settings.planted:
        parts += ["--plant-bug", name]
    if settings.only_table is not None:
        parts += ["--table", str(settings.only_table)]
    if settings.invariants is not None:
        parts += ["--invariants", ",".join(settings.invariants)]
    return shlex.join(parts)


def table_plan(settings: RunSettings) -> list[tuple[int, int]]:
    """``[(table_id, hands), ...]`` covering ``settings.hands``; independent of workers."""
    plan, left, table_id = [], settings.hands, 0
    while left > 0:
        count = min(settings.hands_per_table, left)
        if settings.only_table is None or settings.only_table == table_id:
            plan.append((table_id, count))
        left -= count
        table_id += 1
    return plan


@dataclass(slots=True)
class Rows:
    """Plain tuples for the store, in the column order of ``sim.store``'s tables."""

    hands: list[tuple[Any, ...]] = field(default_factory=list)
    actions: list[tuple[Any, ...]] = field(default_factory=list)
    results: list[tuple[Any, ...]] = field(default_factory=list)

    def clear(self) -> None:
        self.hands.clear()
        self.actions.clear()
        self.results.clear()


@dataclass(slots=True)
class TableOutcome:
    table_id: int
    table_seed: int
    config: dict[str, int] = field(default_factory=dict)
    bots: dict[int, str] = field(default_factory=dict)  # seat -> bot kind, opening and later
    opening: dict[int, tuple[str, int]] = field(default_factory=dict)
    hands: int = 0
    dispatches: int = 0
    checks: int = 0
    rejected: int = 0
    stalled: bool = False
    interrupted: bool = False
    seconds: float = 0.0
    coverage: dict[str, int] = field(default_factory=dict)
    failure: Failure | None = None
    rows: Rows = field(default_factory=Rows)


class HarnessFailure(Exception):
    """Stops a table: carries what the dump needs."""

    def __init__(self, invariant: str, message: str, action: Action | None = None,
                 trace: str = "") -> None:
        super().__init__(f"{invariant}: {message}")
        self.invariant = invariant
        self.message = message
        self.action = action
        self.trace = trace


class TablePlayer:
    """One table being played. ``play()`` returns its outcome; all state is per table."""

    def __init__(self, spec: TableSpec, hands: int, settings: RunSettings,
                 stop: Callable[[], bool] | None = None) -> None:
        self.spec = spec
        self.stop = stop
        self.target = hands
        self.settings = settings
        self.checks = select(settings.invariants)
        self.log = TableLog(keep=16, keep_actions=False)
        self.animator = Animator(keep=1)
        self.coverage = Coverage()
        self.outcome = TableOutcome(spec.table_id, spec.seed, spec.config.to_dict())
        self.bots: dict[int, Bot] = {}
        self.kinds: dict[int, str] = {}
        self.rngs = [random.Random(derive_seed(spec.seed, "seat", seat))
                     for seat in range(spec.config.seats)]
        self.seq = 0  # per-table action sequence number, the replay order in the store
        # What a failure dump replays: the hand running when the last dispatch began, and
        # every action dispatched since its snapshot.
        self.base: HandRecord | None = None
        self.tail: list[Action] = []
        self.controller = Controller(spec.config, spec.seed, subscribers=[self.log, self.animator])

    # -- the loop ----------------------------------------------------------------------------
    def play(self) -> TableOutcome:
        started = time.perf_counter()
        previous = bugs.enabled()
        bugs.enable(self.settings.planted)
        try:
            self._open()
            self._loop()
        except HarnessFailure as failure:
            self._dump(failure)
        finally:
            bugs.enable(previous)
        self.outcome.seconds = time.perf_counter() - started
        self.outcome.coverage = dict(self.coverage.counts)
        self.outcome.bots = dict(self.kinds)
        return self.outcome

    def _open(self) -> None:
        players = {}
        for seat, kind, name, buy_in in self.spec.bots:
            self.bots[seat] = make_bot(kind, name)
            self.kinds[seat] = kind
            players[seat] = (name, buy_in)
        self.outcome.opening = dict(players)
        before, finished = self.controller.state, self.log.finished
        try:
            events = self.controller.open(players)
        except Exception as error:  # noqa: BLE001 - any crash is a finding
            raise HarnessFailure("engine_exception", f"opening the table raised {error!r}",
                                 None, tb.format_exc()) from error
        self._check(before, None, events, finished)

    def _loop(self) -> None:
        finished = 0
        # Each hand is bounded by the liveness invariant; this bounds the whole table.
        budget = self.target * 10_000
        while self.log.finished < self.target and budget > 0:
            budget -= 1
            seat = self.controller.state.to_act
            if seat is None:
                if not self._idle():
                    self.outcome.stalled = True
                    return
            else:
                self._turn(seat)
            if self.log.finished != finished:
                finished = self._hands_over(finished)
                if self.stop is not None and self.stop():
                    self.outcome.interrupted = True
                    return
        if budget <= 0:
            raise HarnessFailure("liveness", f"the table made no progress in "
                                 f"{self.target * 10_000} loop rounds")

    def _turn(self, seat: int) -> None:
        bot = self.bots[seat]
        rng = self.rngs[seat]
        for _ in range(MAX_CHAOS_TRIES):
            action = bot.act(self._view(seat), rng)
            if self._dispatch(action, bot):
                return
        # The chaos bot kept sending junk: play its turn for it, as a clock would.
        self._dispatch(Timeout(seat), None)

    def _view(self, seat: int) -> PlayerView:
        """``seat``'s view, built on the public view the animator already made."""
        state = self.controller.state
        return player_view(state, seat, self.animator.view_of(state),
                           self.controller.legal_actions() if state.to_act == seat else None)

    def _hands_over(self, finished: int) -> int:
        """Store the hands finished since ``finished``, then take the between-hand requests;
        those can end a hand too (a leave at a heads-up table), so repeat until none does.
        Returns the new count of finished hands."""
        for _ in range(self.spec.config.seats + 2):  # each round needs a request that ends one
            count = self.log.finished - finished
            if not count:
                return finished
            # One dispatch can finish several hands (blinds that put everyone all-in).
            assert count <= len(self.log.hands), f"{count} hands ended in one dispatch"
            if self.settings.collect_rows:
                for record in list(self.log.hands)[-count:]:
                    if record.hand_no <= self.target:  # a last dispatch may finish two
                        self._hand_rows(record)
            finished = self.log.finished
            self.outcome.hands = min(finished, self.target)
            self._requests()
        raise HarnessFailure("liveness", "between-hand requests kept ending hands")

    def _idle(self) -> bool:
        """Give every seat its say; then force rebuys and rejoins. False: the table stalled."""
        for attempt in range(MAX_IDLE_ROUNDS):
            self._requests(force=attempt > 0)
            if self.controller.state.phase != IDLE:
                return True
        return False

    # -- requests between hands ----------------------------------------------------------------
    def _requests(self, force: bool = False) -> None:
        state = self.controller.state
        for seat in range(state.config.seats):
            bot = self.bots.get(seat)
            if bot is None:
                continue
            rng = self.rngs[seat]
            request: Any  # untrusted: a chaos bot's request may be anything
            if state.player[seat] is None:
                request = bot.rejoin(seat, state.config, rng)
            else:
                request = bot.request(self._view(seat), rng)
            if request is not None and (bot.chaos or self.controller.can(request)):
                self._dispatch(request, bot)
            if force:  # a stalled table: what the bot asked (junk, or nothing) did not do
                forced = _forced_request(self.controller.state, seat, bot.name)
                if forced is not None and self.controller.can(forced):
                    self._dispatch(forced, None)
            state = self.controller.state

    # -- dispatch and checks ---------------------------------------------------------------
    def _dispatch(self, action: Any, bot: Bot | None) -> bool:
        """Dispatch and check. False when a chaos action was (rightly) rejected."""
        controller = self.controller
        before = controller.state
        chaos = bot is not None and bot.chaos
        saved = before.copy() if chaos else None
        on_turn = False
        if type(action) in ACTION_CLASSES:
            known: ActionBase = action  # so its seat reads directly
            on_turn = before.to_act == known.seat
        legal = controller.legal_actions() if on_turn else None
        marks = (len(self.animator.frames), self.log.finished, _steps(self.log))
        if self.log.current is not self.base:
            self.base, self.tail = self.log.current, []
        try:
            events = controller.dispatch(action)
        except IllegalAction as error:
            if not chaos:
                self.tail.append(action)
                raise HarnessFailure("legal_action_rejected",
                                     f"{bot!r} chose {action!r}, which the engine rejected: "
                                     f"{error}", action) from error
            self._check_rejection(action, before, saved, marks)
            return False
        except Exception as error:  # noqa: BLE001 - any crash is a finding
            self.tail.append(action)
            raise HarnessFailure("engine_exception", f"dispatching {action!r} raised {error!r}",
                                 action, tb.format_exc()) from error
        self.tail.append(action)
        if self.settings.collect_rows:
            self._action_row(before, action, legal)
        self._check(before, action, events, marks[1])
        return True

    def _check_rejection(self, action: Any, before: TableState, saved: TableState | None,
                         marks: tuple[int, int, int]) -> None:
        after = self.controller.state
        if after is not before or after != saved:
            raise HarnessFailure("rejection_changed_state",
                                 f"{action!r} was rejected but the table state changed", action)
        if marks != (len(self.animator.frames), self.log.finished, _steps(self.log)):
            raise HarnessFailure("rejection_changed_log",
                                 f"{action!r} was rejected but the log or animations grew",
                                 action)
        self.outcome.rejected += 1
        self.coverage.hit("chaos_rejected")

    def _check(self, before: TableState, action: Action | None, events: list[Event],
               finished_before: int) -> None:
        ctx = context(self.controller, before, action, events, self.log, self.animator,
                      finished_before)
        self.outcome.dispatches += 1
        try:
            self.outcome.checks += run_all(ctx, self.checks)
        except InvariantViolation as violation:
            raise HarnessFailure(violation.name, violation.message, None,
                                 tb.format_exc()) from violation
        except Exception as error:  # noqa: BLE001 - a crashing check is a finding too
            raise HarnessFailure("invariant_crashed", f"an invariant raised {error!r}", None,
                                 tb.format_exc()) from error
        self.coverage.observe(ctx)

    # -- rows for the store ------------------------------------------------------------------
    def _action_row(self, before: TableState, action: ActionBase,
                    legal: LegalActions | None) -> None:
        running = before.phase != IDLE
        # By type, not getattr with a default: a missing attribute costs an exception.
        amount = action.buy_in if type(action) is Sit else (
            action.amount if isinstance(action, SizedAction) else None)
        self.seq += 1
        self.outcome.rows.actions.append((
            self.spec.table_id, before.hand_no if running else None, self.seq, action.seat,
            type(action).__name__, amount, STREET_NAMES[before.street] if running else None,
            before.pot + total(before.bet) if running else None,
            _legal_count(legal) if legal is not None else None,
            self.kinds.get(action.seat), action.player if type(action) is Sit else None))

    def _hand_rows(self, record: HandRecord) -> None:
        start, final = record.snapshot, record.final
        assert final is not None
        won: dict[int, int] = {}
        pots = 0
        showdown = False
        for event in record.events:
            if isinstance(event, PotAwarded):
                pots += 1
                for seat, chips in event.shares:
                    won[seat] = won.get(seat, 0) + chips
            elif isinstance(event, (CardsMucked, CardsShown)):
                showdown = True
        table_id, hand_no = self.spec.table_id, record.hand_no
        self.outcome.rows.hands.append((
            table_id, hand_no, record.started.seed, len(start.order), start.button,
            start.small_blind_seat, start.big_blind_seat, cards_to_str(final.board),
            sum(won.values()), pots, ",".join(str(s) for s in sorted(won)), showdown,
            final.hand_actions, STREET_NAMES[final.street]))
        for seat in start.order:
            self.outcome.rows.results.append((
                table_id, hand_no, seat, start.player[seat], self.kinds.get(seat),
                start.stack[seat], final.stack[seat], final.stack[seat] - start.stack[seat],
                bool(final.shown[seat]), won.get(seat, 0)))

    # -- failures ----------------------------------------------------------------------------
    def _dump(self, failure: HarnessFailure) -> None:
        state = self.controller.state
        record, actions = self.base, self.tail
        if record is None or self.log.current is None:  # failed before the first hand
            record, actions = self.log.current, []
        describe = state.describe()
        if record is not None and record.final is not None and record is not self.log.current:
            # The failing dispatch ended the hand (and dealt the next): show its end too.
            describe += (f"\n\nhand {record.hand_no} as it ended in the failing dispatch:\n"
                         + record.final.describe())
        self.outcome.failure = Failure(
            self.settings.seed, self.spec.table_id, self.spec.seed,
            record.hand_no if record is not None else 0, failure.invariant, failure.message,
            describe, failure.trace, state.config.to_dict(), bugs.enabled(),
            self.settings.invariants, record, list(actions), dict(self.kinds))
        if self.settings.failures_dir is not None:
            self.outcome.failure.write(self.settings.failures_dir)


def _steps(log: TableLog) -> int:
    return len(log.current.steps) if log.current is not None else 0


def _legal_count(legal: LegalActions) -> int:
    """How many kinds of action were legal (fold, check, call, bet, raise)."""
    return 1 + legal.can_check + legal.can_call + legal.can_bet + legal.can_raise


def _forced_request(state: TableState, seat: int, name: str) -> Action | None:
    """On a stalled table: players who left sit back down, busted ones rebuy, sitting-out
    ones sit in."""
    if state.player[seat] is None:
        return Sit(seat, name, state.config.max_buy_in)
    if state.stack[seat] == 0:
        return Rebuy(seat, state.config.max_buy_in)
    if state.status[seat] == SITTING_OUT:
        return SitIn(seat)
    return None


def play_table(spec: TableSpec, hands: int, settings: RunSettings,
               stop: Callable[[], bool] | None = None) -> TableOutcome:
    """Play one table; ``stop()`` is asked between hands (a true answer drops the table)."""
    return TablePlayer(spec, hands, settings, stop).play()

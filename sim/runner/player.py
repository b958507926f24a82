"""Playing a table: bots against the checked pipeline.

A table is the unit of work. ``play_table(spec, hands, settings)`` plays one table from its
seed: it asks each seat's bot for its action and hands it to the checked pipeline
(``sim.invariants.pipeline``), which dispatches it and checks every selected invariant;
the store's rows come from a subscriber (``sim.runner.rows``); hooks
(``sim.driver.hooks``) are called at fixed points. The first finding stops the table and
is dumped (``sim.failures.dump``). Everything follows from the table's seed, so the same
run seed gives the same tables whatever the number of workers.

``play_table(draw_table(run_seed=1, table_id=0), hands=200, settings=settings)`` plays
table 0 of run seed 1 and returns its ``TableOutcome``.
"""

from __future__ import annotations

import random
import time
import traceback as tb
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from sim.bots import TableSpec
from sim.bots.base import Bot
from sim.driver.hooks import Interrupt, TableHook
from sim.engine.actions import Action, Rebuy, Sit, SitIn, Timeout
from sim.engine.log import HandRecord
from sim.engine.seeds import derive_seed
from sim.engine.state import IDLE, SITTING_OUT, TableState
from sim.engine.views import PlayerView, PublicView, player_view, public_view
from sim.failures.dump import Dump, assemble
from sim.finding import Finding, FindingError, Kind, Message, shown
from sim.hooks.oracle import OracleSample
from sim.invariants.judge import judge
from sim.invariants.pipeline import CheckedTable
from sim.planted.copy import require
from sim.runner.rows import RowRecorder, Rows
from sim.runner.settings import RunSettings

# Bounds that keep a broken engine from hanging a worker (TIGER_STYLE: every loop is bounded).
MAX_CHAOS_TRIES: Final = 16  # junk actions in a row before the chaos bot's turn is played for it
MAX_IDLE_ROUNDS: Final = 4  # request rounds on an idle table before it counts as stalled
# What a plug-in bot's crash may raise: any exception, and sys.exit() too, which must stop
# its table as a bot_fault, not end the process. Ctrl-C and a hook's Interrupt pass.
PLUGIN_CRASHES: Final = (Exception, SystemExit)


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
    counts: dict[str, int] = field(default_factory=dict)  # what the hooks counted
    finding: Finding | None = None
    dump: Dump | None = None
    rows: Rows = field(default_factory=Rows)


class TablePlayer:
    """One table being played: it schedules the bots. ``play()`` returns the outcome."""

    def __init__(self, spec: TableSpec, hands: int, settings: RunSettings,
                 stop: Callable[[], bool] | None = None,
                 hooks: Iterable[TableHook] = ()) -> None:
        self.spec = spec
        self.stop = stop
        self.target = hands
        self.settings = settings
        self.hooks = [*(fault.hook() for fault in settings.faults), *hooks]
        if settings.oracle:
            self.hooks.append(OracleSample(settings.oracle, spec.seed))
        self.outcome = TableOutcome(spec.table_id, spec.seed, spec.config.to_dict())
        self.bots: dict[int, Bot] = {}
        self.plugins: set[Bot] = set()  # plug-in bots: judged before the engine sees them
        self.kinds: dict[int, str] = {seat: kind for seat, kind, _, _ in spec.bots}
        self.rngs = [random.Random(derive_seed(spec.seed, "seat", seat))
                     for seat in range(spec.config.seats)]
        self.recorder = RowRecorder(spec.table_id, self.kinds)
        self.table = CheckedTable(
            spec.config, spec.seed, checks=settings.invariants, keep=16, keep_actions=False,
            subscribers=[self.recorder] if settings.collect_rows else [],
            table_id=spec.table_id)
        self.recorder.watch(self.table.controller)
        # The public view the bots' views are built on, and the state it shows (see _view).
        self._public: PublicView | None = None
        self._public_for: TableState | None = None

    # -- the loop ----------------------------------------------------------------------------
    # Not the hand driver's (sim.driver.drive): that plays a logged list of actions; here
    # the bots choose each action live. The hooks are called as the driver calls them.
    def play(self) -> TableOutcome:
        started = time.perf_counter()
        require(self.settings.planted)  # a run with planted bugs runs in their copy
        finding = self._run()
        if finding is not None:
            self._stop_on(finding)
        table, outcome = self.table, self.outcome
        outcome.seconds = time.perf_counter() - started
        outcome.dispatches = table.dispatches
        outcome.checks = table.checks_run
        outcome.rejected = table.rejected
        outcome.coverage = dict(table.coverage.counts)
        outcome.bots = dict(self.kinds)
        outcome.rows = self.recorder.rows
        for hook in self.hooks:
            for name, count in hook.counts().items():
                outcome.counts[name] = outcome.counts.get(name, 0) + count
        return outcome

    def _run(self) -> Finding | None:
        """Play the table; the finding that stopped it, if one did."""
        try:
            try:
                for hook in self.hooks:
                    hook.table_started(self.spec.table_id)
                self._open()
                self._loop()
            finally:
                for hook in self.hooks:
                    hook.table_ended(self.spec.table_id)
        except FindingError as error:  # a hook's finding has no trace yet: where it was raised
            return error.finding.at(trace=tb.format_exc())
        except Interrupt as stop:  # a hook stopped the table mid-dispatch (a watchdog)
            return self.table.found(stop.kind, stop.name, stop.message, tb.format_exc()).finding
        return None

    def _open(self) -> None:
        players = {}
        for seat, kind, name, buy_in in self.spec.bots:
            if self.spec.plugin(kind):
                try:
                    bot = self.spec.make(kind, name)
                except PLUGIN_CRASHES as error:  # noqa: BLE001 - its crash is its fault
                    raise self._crashed(kind, error, "when it was made") from error
                self.plugins.add(bot)
            else:
                bot = self.spec.make(kind, name)
            self.bots[seat] = bot
            players[seat] = (name, buy_in)
        self.outcome.opening = dict(players)
        self._after(self.table.open(players))

    def _loop(self) -> None:
        finished = 0
        # Each hand is bounded by the liveness invariant; this bounds the whole table.
        budget = self.target * 10_000
        while self.table.log.finished < self.target and budget > 0:
            budget -= 1
            seat = self.table.state.to_act
            if seat is None:
                if not self._idle():
                    self.outcome.stalled = True
                    return
            else:
                self._turn(seat)
            if self.table.log.finished != finished:
                finished = self._hands_over(finished)
                if self.stop is not None and self.stop():
                    self.outcome.interrupted = True
                    return
        if budget <= 0:
            raise self.table.found(Kind.LIVENESS, "liveness", Message(
                "the table made no progress in {rounds} loop rounds",
                rounds=self.target * 10_000))

    def _turn(self, seat: int) -> None:
        bot = self.bots[seat]
        rng = self.rngs[seat]
        if self.plugins and bot in self.plugins:
            self._after(self.table.dispatch(self._judged(bot, seat, rng), chosen_by=bot))
            return
        for _ in range(MAX_CHAOS_TRIES):
            action = bot.act(self._view(seat), rng)
            if self._play(action, bot):
                return
        # The chaos bot kept sending junk: play its turn for it, as a clock would.
        self._after(self.table.dispatch(Timeout(seat)))

    def _judged(self, bot: Bot, seat: int, rng: random.Random) -> Any:
        """A plug-in bot's action, judged before dispatch: a crash or an illegal action is
        the bot's fault (a ``bot_fault`` finding), not the engine's."""
        try:
            action = bot.act(self._view(seat), rng)
        except PLUGIN_CRASHES as error:  # noqa: BLE001 - any crash of a plug-in is its fault
            raise self._crashed(bot, error, "on its turn") from error
        # Judged by the independent reading of the rules: an action it allows and the
        # engine refuses is the engine's fault (``legal_action_rejected``), not the bot's.
        why = judge(self.table.state, action)
        if why:
            raise self.table.found(Kind.BOT_FAULT, "bot_fault", Message(
                "plug-in bot {bot} sent {action}, which is not legal now: {why}",
                bot=repr(bot), action=shown(action), why=why))
        return action

    def _crashed(self, bot: object, error: BaseException, when: str) -> FindingError:
        """A plug-in bot's crash, as its own fault (``bot_fault``), with the trace."""
        return self.table.found(Kind.BOT_FAULT, "bot_fault", Message(
            "plug-in bot {bot} raised {error} {when}", bot=repr(bot), error=repr(error),
            when=when), tb.format_exc())

    def _view(self, seat: int) -> PlayerView:
        """``seat``'s view, built on the state's public view: the one the animator made, when
        the table's checks have it record frames; otherwise one made here once per state
        (lending the last one its unchanged seats, as the animator does)."""
        table = self.table
        state = table.state
        public = table.animator.view_of(state)
        if public is None:
            if self._public_for is not state:
                self._public = public_view(state, previous=self._public)
                self._public_for = state
            public = self._public
        return player_view(state, seat, public,
                           table.controller.legal_actions() if state.to_act == seat else None)

    def _hands_over(self, finished: int) -> int:
        """Keep the rows of the hands finished since ``finished``, then take the between-hand
        requests; those can end a hand too (a rebuy that deals a hand the blinds put
        everyone all in, a leave at a heads-up table), so repeat until none does. Returns
        the new count of finished hands.

        Hands that end are progress, not a hang, so the rounds are bounded by the table's
        target: past it, a few more rounds, then the table's loop stops anyway."""
        log = self.table.log
        past_target = 0
        while True:
            count = log.finished - finished
            if not count:
                return finished
            # One dispatch can finish several hands (blinds that put everyone all-in).
            assert count <= len(log.hands), f"{count} hands ended in one dispatch"
            self.recorder.keep_hands(self.target)  # a last dispatch may finish two
            if self.hooks:
                for record in list(log.hands)[-count:]:
                    self._hand_ended(record)
            finished = log.finished
            self.outcome.hands = min(finished, self.target)
            if finished >= self.target:
                past_target += 1
                if past_target > self.spec.config.seats + 2:
                    return finished
            self._requests()

    def _idle(self) -> bool:
        """Give every seat its say; then force rebuys and rejoins. False: the table stalled."""
        for attempt in range(MAX_IDLE_ROUNDS):
            self._requests(force=attempt > 0)
            if self.table.state.phase != IDLE:
                return True
        return False

    # -- requests between hands ----------------------------------------------------------------
    def _requests(self, force: bool = False) -> None:
        controller = self.table.controller
        state = controller.state
        for seat in range(state.config.seats):
            bot = self.bots.get(seat)
            if bot is None:
                continue
            rng = self.rngs[seat]
            request: Any  # untrusted: a chaos bot's request may be anything
            try:
                if state.player[seat] is None:
                    request = bot.rejoin(seat, state.config, rng)
                else:
                    request = bot.request(self._view(seat), rng)
            except PLUGIN_CRASHES as error:
                if bot not in self.plugins:
                    raise
                raise self._crashed(bot, error, "between hands") from error
            # A request the independent judge finds legal must be accepted (a refusal is a
            # finding); one it finds illegal is dropped, unless it is the chaos bot's.
            if request is not None and (bot.chaos or not judge(state, request)):
                self._play(request, bot)
            if force:  # a stalled table: what the bot asked (junk, or nothing) did not do
                forced = _forced_request(controller.state, seat, bot.name)
                if forced is not None and controller.can(forced):
                    self._after(self.table.dispatch(forced))
            state = controller.state

    # -- through the pipeline ------------------------------------------------------------------
    def _play(self, action: Any, bot: Bot) -> bool:
        """A bot's action through the pipeline. False when a chaos action was (rightly)
        rejected; any other bot's action must be accepted."""
        if bot.chaos:
            ctx = self.table.offer(action, junk=bot.junk)
            if ctx is None:
                return False
        else:
            ctx = self.table.dispatch(action, chosen_by=bot)
        self._after(ctx)
        return True

    def _after(self, ctx: Any) -> None:
        for hook in self.hooks:
            hook.dispatched(self.table, ctx)

    def _hand_ended(self, record: HandRecord) -> None:
        for hook in self.hooks:
            hook.hand_ended(self.table, record)

    # -- failures ----------------------------------------------------------------------------
    def _stop_on(self, finding: Finding) -> None:
        self.outcome.finding = finding
        dump = assemble(self.table, finding, self.settings.seed, self.spec.table_id,
                        self.spec.seed, self.settings.invariants, self.kinds,
                        self.settings.replayed_faults())
        self.outcome.dump = dump
        if self.settings.failures_dir is not None:
            dump.write(self.settings.failures_dir)


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
               stop: Callable[[], bool] | None = None,
               hooks: Iterable[TableHook] = ()) -> TableOutcome:
    """Play one table; ``stop()`` is asked between hands (a true answer drops the table)."""
    return TablePlayer(spec, hands, settings, stop, hooks).play()

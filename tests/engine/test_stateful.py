"""A Hypothesis state machine drives a table with legal and illegal actions of every kind.

After every step: chips are conserved, the table is live (a running hand always has a
player to act), and every hand that finished replays from its record with no mismatch.
Every illegal action raises IllegalAction and changes nothing, and ``can`` agrees with
``dispatch`` on what is legal.
"""

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from scenario import as_snapshot

from sim.engine import actions as ac
from sim.engine.controller import Controller
from sim.engine.errors import IllegalAction
from sim.engine.log import TableLog
from sim.engine.replay import Replayer, apply_recorded
from sim.engine.state import IDLE, TableConfig

KEEP = 16
NOT_AMOUNTS = st.one_of(
    st.integers(max_value=0),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.none(),
    st.booleans(),
    st.lists(st.integers(1, 5), max_size=2),
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[TableConfig, int, dict[int, tuple[str, int]]]:
    seats = draw(st.integers(2, 6))
    big = draw(st.integers(1, 10))
    small = draw(st.integers(1, big))
    ante = draw(st.sampled_from([0, 0, 1, big // 2]))
    low = draw(st.integers(1, 10 * big))
    high = draw(st.integers(low, low + 40 * big))
    config = TableConfig(seats=seats, small_blind=small, big_blind=big, ante=ante,
                         min_buy_in=low, max_buy_in=high)
    taken = draw(st.lists(st.integers(0, seats - 1), min_size=1, max_size=seats, unique=True))
    players = {s: (f"p{s}", draw(st.integers(low, high))) for s in taken}
    return config, draw(st.integers(0, 2 ** 63 - 1)), players


class TableMachine(RuleBasedStateMachine):
    controller: Controller
    log: TableLog

    @initialize(table=tables())
    def open_table(self, table: tuple[TableConfig, int, dict[int, tuple[str, int]]]) -> None:
        config, seed, players = table
        self.log = TableLog(keep=KEEP)
        self.controller = Controller(config, seed=seed, players=players, subscribers=[self.log])
        self.replayed = 0  # hands finished and checked
        self.guests = 0

    # -- helpers ----------------------------------------------------------------------------
    @property
    def config(self) -> TableConfig:
        return self.controller.state.config

    def running(self) -> bool:
        return self.controller.legal_actions() is not None

    def dispatch_legal(self, action: Any) -> None:
        assert self.controller.can(action), action
        self.controller.dispatch(action)

    def dispatch_illegal(self, action: Any) -> str:
        before = self.controller.state.snapshot()
        state = self.controller.state
        logged = len(self.log.actions)
        assert not self.controller.can(action), action
        try:
            self.controller.dispatch(action)
        except IllegalAction as error:
            message = str(error)
        else:
            raise AssertionError(f"{action!r} was accepted")
        assert self.controller.state is state
        assert self.controller.state.snapshot() == before
        assert len(self.log.actions) == logged
        assert message.endswith("."), message  # a sentence
        return message

    def dispatch_either(self, action: Any) -> None:
        """Dispatch an action that may or may not be legal; ``can`` must predict which."""
        if self.controller.can(action):
            self.dispatch_legal(action)
        else:
            self.dispatch_illegal(action)

    # -- legal wagers -----------------------------------------------------------------------
    @precondition(running)
    @rule(data=st.data())
    def wager(self, data: st.DataObject) -> None:
        legal = self.controller.legal_actions()
        assert legal is not None
        seat = legal.seat
        options: list[Any] = [st.just(ac.Fold(seat)), st.just(ac.Timeout(seat))]
        options.append(st.just(ac.Check(seat) if legal.can_check else ac.Call(seat)))
        if legal.can_bet:
            options.append(st.integers(legal.min_bet, legal.max_bet).map(
                lambda amount: ac.Bet(seat, amount)))
        if legal.can_raise:
            options.append(st.integers(legal.min_raise_to, legal.max_raise_to).map(
                lambda amount: ac.RaiseTo(seat, amount)))
        self.dispatch_legal(data.draw(st.one_of(options)))

    @precondition(running)
    @rule()
    def check_or_call(self) -> None:
        legal = self.controller.legal_actions()
        assert legal is not None
        self.dispatch_legal(ac.Check(legal.seat) if legal.can_check else ac.Call(legal.seat))

    @precondition(running)
    @rule(all_in=st.booleans())
    def shove(self, all_in: bool) -> None:
        legal = self.controller.legal_actions()
        assert legal is not None
        if legal.can_bet:
            self.dispatch_legal(ac.Bet(legal.seat, legal.max_bet if all_in else legal.min_bet))
        elif legal.can_raise:
            amount = legal.max_raise_to if all_in else legal.min_raise_to
            self.dispatch_legal(ac.RaiseTo(legal.seat, amount))
        else:
            self.dispatch_legal(ac.Check(legal.seat) if legal.can_check else ac.Call(legal.seat))

    # -- illegal wagers ---------------------------------------------------------------------
    @precondition(running)
    @rule(data=st.data(), raise_=st.booleans())
    def bad_amount(self, data: st.DataObject, raise_: bool) -> None:
        legal = self.controller.legal_actions()
        assert legal is not None
        kind = ac.RaiseTo if raise_ else ac.Bet
        amount = data.draw(NOT_AMOUNTS, label="amount")
        message = self.dispatch_illegal(kind(legal.seat, amount))
        assert repr(amount) in message or str(amount) in message

    @precondition(running)
    @rule(data=st.data())
    def amount_out_of_range(self, data: st.DataObject) -> None:
        legal = self.controller.legal_actions()
        assert legal is not None
        seat = legal.seat
        choices = []
        if legal.can_bet:
            choices.append(ac.Bet(seat, legal.max_bet + data.draw(st.integers(1, 10 ** 6))))
            if legal.min_bet > 1:
                choices.append(ac.Bet(seat, data.draw(st.integers(1, legal.min_bet - 1))))
            choices.append(ac.RaiseTo(seat, legal.min_bet))  # a raise with no bet to raise
        else:
            choices.append(ac.Bet(seat, data.draw(st.integers(1, 10 ** 6))))
        if legal.can_raise:
            choices.append(ac.RaiseTo(seat, legal.max_raise_to + data.draw(st.integers(1, 99))))
            if legal.min_raise_to > 1:
                choices.append(ac.RaiseTo(seat, data.draw(st.integers(1, legal.min_raise_to - 1))))
        elif not legal.can_bet:
            choices.append(ac.RaiseTo(seat, data.draw(st.integers(1, 10 ** 6))))
        if legal.can_check:
            choices.append(ac.Call(seat))
        else:
            choices.append(ac.Check(seat))
        self.dispatch_illegal(data.draw(st.sampled_from(choices)))

    @rule(data=st.data())
    def out_of_turn(self, data: st.DataObject) -> None:
        to_act = self.controller.state.to_act
        seat = data.draw(st.sampled_from([s for s in range(self.config.seats) if s != to_act]))
        kind = data.draw(st.sampled_from([ac.Fold, ac.Check, ac.Call, ac.Timeout]))
        message = self.dispatch_illegal(kind(seat))
        assert f"Seat {seat}" in message

    @rule(data=st.data())
    def no_such_seat(self, data: st.DataObject) -> None:
        seats = self.config.seats
        seat = data.draw(st.one_of(st.integers(max_value=-1), st.integers(min_value=seats),
                                   st.text(max_size=2), st.none(), st.booleans(),
                                   st.floats(0, seats)))
        kind = data.draw(st.sampled_from([ac.Fold, ac.Check, ac.Call, ac.Timeout, ac.Leave,
                                          ac.SitOut, ac.SitIn, ac.Post]))
        message = self.dispatch_illegal(kind(seat))
        assert f"Seat {seat!r} does not exist" in message

    @rule(thing=st.one_of(st.text(max_size=5), st.integers(), st.none(),
                          st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)))
    def unknown_action(self, thing: Any) -> None:
        message = self.dispatch_illegal(thing)
        assert message.startswith("Unknown action")

    # -- table actions ----------------------------------------------------------------------
    @rule(data=st.data())
    def request(self, data: st.DataObject) -> None:
        seat = data.draw(st.integers(0, self.config.seats - 1))
        kind = data.draw(st.sampled_from([ac.SitOut, ac.SitIn, ac.Leave, ac.Post]))
        self.dispatch_either(kind(seat))

    @rule(data=st.data())
    def rebuy(self, data: st.DataObject) -> None:
        seat = data.draw(st.integers(0, self.config.seats - 1))
        amount = data.draw(st.integers(1, self.config.max_buy_in + 5))
        self.dispatch_either(ac.Rebuy(seat, amount))

    @rule(data=st.data())
    def sit(self, data: st.DataObject) -> None:
        config = self.config
        seat = data.draw(st.integers(0, config.seats - 1))
        buy_in = data.draw(st.integers(max(1, config.min_buy_in - 2), config.max_buy_in + 2))
        self.guests += 1
        name = data.draw(st.sampled_from([f"guest{self.guests}", "p0"]))
        self.dispatch_either(ac.Sit(seat, name, buy_in))

    # -- invariants -------------------------------------------------------------------------
    @invariant()
    def chips_are_conserved(self) -> None:
        state = self.controller.state
        assert state.table_chips() == state.chips_in - state.chips_out
        assert min(state.stack) >= 0
        assert min(state.bet) >= 0

    @invariant()
    def a_running_hand_has_a_player_to_act(self) -> None:
        state = self.controller.state
        assert state.phase == IDLE or state.to_act is not None, state.describe()
        seat = state.to_act
        if seat is not None:
            assert state.dealt[seat]
            assert not state.folded[seat]
            assert state.stack[seat] > 0  # an all-in player is never asked
            legal = self.controller.legal_actions()
            assert legal is not None
            assert legal.seat == seat
            owed = state.current_bet - state.bet[seat]
            assert legal.can_check == (owed <= 0)
            # Facing only all-in players, a call goes no further than anyone can win, and a
            # player who has put in as much as all of them is not asked (RULES.md).
            others = [s for s in state.order if s != seat and not state.folded[s]]
            room = owed
            if all(state.stack[s] == 0 for s in others):
                room = max(state.contrib[s] for s in others) - state.contrib[seat]
                assert room > 0, state.describe()
            assert legal.call == (min(owed, state.stack[seat], room) if owed > 0 else 0)
            assert not (legal.can_bet and legal.can_raise)
            if legal.can_bet:
                assert legal.max_bet == state.stack[seat]
            if legal.can_raise:
                assert legal.max_raise_to == state.bet[seat] + state.stack[seat]
                assert legal.min_raise_to > state.current_bet

    @invariant()
    def pots_hold_every_contribution(self) -> None:
        state = self.controller.state
        if state.phase == IDLE:
            return
        assert sum(state.contrib) == state.pot + sum(state.bet)
        if state.pots:
            assert sum(amount for amount, _ in state.pots) == state.pot
            for _, eligible in state.pots:  # as of the last collection: folds come later
                assert eligible
                assert all(state.dealt[s] for s in eligible)
        assert sorted(state.deck) == list(range(52))
        bound = 4 * state.config.seats * (2 + state.table_chips() // state.config.big_blind)
        assert state.hand_actions <= bound, "the hand goes on and on"

    @invariant()
    def finished_hands_replay(self) -> None:
        log = self.log
        assert log.finished - self.replayed <= KEEP, "hands finished faster than checked"
        for record in list(log.hands)[len(log.hands) - (log.finished - self.replayed):]:
            replayer = Replayer(record)
            assert replayer.mismatches == [], replayer.mismatches
            assert replayer.final_matches()
            assert apply_recorded(record).snapshot() == as_snapshot(record.final)
        self.replayed = log.finished


# Derandomized so the suite gives the same verdict on every run; raise max_examples (or drop
# derandomize) locally to search further.
TableMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_table_machine = TableMachine.TestCase

"""The event-sourced no-limit hold'em engine.

    >>> from sim.engine import Controller, TableConfig, actions
    >>> table = Controller(TableConfig(seats=2), seed=1,
    ...                    players={0: ("ann", 100), 1: ("bob", 100)})
    >>> table.dispatch(actions.Call(seat=table.state.to_act))   # the events it caused
    [Called(seat=0, amount=1), TurnStarted(seat=1)]
"""

from sim.engine import actions, events
from sim.engine.controller import Controller
from sim.engine.errors import IllegalAction
from sim.engine.handsetup import HandSetup
from sim.engine.legal import LegalActions, legal_actions
from sim.engine.state import TableConfig, TableState
from sim.engine.subscriber import Subscriber

ENGINE_VERSION = "1.0.0"

__all__ = ["ENGINE_VERSION", "Controller", "HandSetup", "IllegalAction", "LegalActions",
           "Subscriber", "TableConfig", "TableState", "actions", "events", "legal_actions"]

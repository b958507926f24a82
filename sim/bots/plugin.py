"""Bots written outside the project: ``package.module:Class``, a subclass of ``Bot``.

    >>> cls = load_bot_class("examples.pot_odds_bot:PotOddsBot")
    >>> bot = cls("pot-odds-3", margin=0.1)
    >>> cls.kind, bot.name, bot.margin
    ('pot_odds', 'pot-odds-3', 0.1)

The module is imported as Python imports any module, with the current directory first
on the path (as ``python -m`` does), so a bot in ``./my_bots/tight.py`` is
``my_bots.tight:TightBot``. What a plug-in bot is given and must return is the ``Bot``
interface (sim/bots/base.py); the table player judges what it returns before the engine
sees it, and reports a crash or an illegal action as the bot's fault (``bot_fault``).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

from sim.bots.base import Bot


def is_plugin(target: str) -> bool:
    """``package.module:Class`` names a plug-in; a bare name is a built-in kind."""
    return ":" in target


def load_bot_class(target: str) -> Any:
    """The Bot subclass ``target`` names; ValueError with a sentence when it cannot be."""
    module_name, _, class_name = target.partition(":")
    if not module_name or not class_name:
        raise ValueError(f"bot {target!r} is not package.module:Class, e.g. "
                         "'examples.pot_odds_bot:PotOddsBot'.")
    here = os.getcwd()
    if here not in sys.path:
        sys.path.insert(0, here)
    try:
        module = importlib.import_module(module_name)
    except (Exception, SystemExit) as error:  # noqa: BLE001 - the user's to fix, sys.exit too
        raise ValueError(f"bot {target!r}: importing {module_name} failed: {error!r} "
                         f"(modules are looked up from {here} and the installed packages).") \
            from error
    cls = getattr(module, class_name, None)
    if cls is None:
        raise ValueError(f"bot {target!r}: module {module_name} has no {class_name}.")
    if not (isinstance(cls, type) and issubclass(cls, Bot)):
        raise ValueError(f"bot {target!r} is not a subclass of sim.bots.base.Bot; a plug-in "
                         "bot subclasses Bot and overrides act(view, rng).")
    return cls

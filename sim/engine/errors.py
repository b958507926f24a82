"""The engine's one error type for illegal input."""


class IllegalAction(ValueError):
    """An action the table rules do not allow.

    The message is a sentence that names the value, the limit and what would be legal,
    e.g. ``IllegalAction("Raise to 40 is below the minimum raise to 60; legal: ...")``.
    A dispatch that raises it changes nothing and logs nothing.
    """

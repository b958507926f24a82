"""Reading PHH files: ``.phh`` (one hand) and ``.phhs`` (hands in tables ``[1]``, ``[2]``...).

PHH is TOML. Python's ``tomllib`` reads it exactly but slowly (about a millisecond a hand),
so files made only of one-line ``key = value`` entries whose values are strings, numbers,
booleans or one-line arrays of those (what PHH writers emit) are read by a small exact
parser of that subset; anything else in a file (a multi-line array, a date, a comment after
a value, a control character) sends the whole file to ``tomllib``. Decimal amounts are
read as ``Decimal``.

    >>> hands = read_path(Path("tests/outside/data/pluribus-2019-sample.phhs"))
    >>> len(hands), hands[0].where
    (500, 'tests/outside/data/pluribus-2019-sample.phhs [1]')
    >>> hands[0].fields["actions"][:2]
    ['d dh p1 TcQc', 'd dh p2 8s4c']
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Final

from sim.engine.record import Record

SUFFIXES = (".phh", ".phhs")
# What a no-limit hold'em hand must define (the PHH specification's required fields).
REQUIRED = ("variant", "antes", "blinds_or_straddles", "min_bet", "starting_stacks", "actions")


class NotPhh(ValueError):
    """A file that is not PHH: its message says where and why, on one line."""


class PhhHand(Record):
    """One hand as the file gives it: ``where`` names it (``path [N]`` in a collection),
    ``fields`` holds its TOML values (amounts as int or Decimal). A Record, built once a
    hand (see ``sim.engine.record``)."""

    FIELDS: ClassVar[tuple[str, ...]] = ("where", "fields")

    def __init__(self, where: str, fields: Mapping[str, Any]) -> None:
        self.where: Final = where
        self.fields: Final = fields


def find_files(paths: list[Path]) -> Iterator[Path]:
    """The PHH files of ``paths``: files as given, folders searched recursively (sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        elif path.exists():
            yield path
        else:
            raise NotPhh(f"{path}: no such file or folder.")


def read_path(path: Path) -> list[PhhHand]:
    """The hands of one ``.phh`` or ``.phhs`` file; raises NotPhh when it is not PHH."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise NotPhh(f"{path}: cannot be read as UTF-8 text ({error}).") from None
    return read_text(text, str(path), collection=path.suffix == ".phhs")


def read_text(text: str, where: str, collection: bool) -> list[PhhHand]:
    """The hands of a PHH document (a collection when ``collection``)."""
    document = _fast_parse(text)
    if document is None:
        try:
            document = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as error:
            raise NotPhh(f"{where}: not TOML ({error}).") from None
        except ArithmeticError:  # a float Decimal cannot hold (an exponent past its range)
            raise NotPhh(f"{where}: a number is too large or too small to read as an "
                         "amount.") from None
        except RecursionError:  # tomllib reads nested arrays and tables by recursion
            raise NotPhh(f"{where}: arrays or tables nested too deeply to read; a PHH hand "
                         "nests arrays one level.") from None
    if not collection:
        return [_hand(where, document)]
    hands = []
    for name, table in document.items():
        if not isinstance(table, dict):
            raise NotPhh(f"{where}: {name!r} is not a hand; a .phhs file holds only tables "
                         "[1], [2], ... each one hand.")
        hands.append(_hand(f"{where} [{name}]", table))
    return hands


def _hand(where: str, fields: dict[str, Any]) -> PhhHand:
    missing = [name for name in REQUIRED if name not in fields]
    if "variant" in fields and fields["variant"] != "NT":
        missing = [name for name in missing if name in ("variant", "actions")]
    if missing:
        raise NotPhh(f"{where}: no {', '.join(missing)} field; a PHH hand defines "
                     f"{', '.join(REQUIRED)}.")
    if not isinstance(fields["actions"], list):
        raise NotPhh(f"{where}: actions is a {type(fields['actions']).__name__}, not an array "
                     "of strings.")
    return PhhHand(where, fields)


# -- the fast parser of one-line entries -----------------------------------------------------

# TOML whitespace is space and tab; a control character other than tab (or a carriage
# return outside CRLF) is outside the subset, which tomllib then rejects or reads.
_BLANK = " \t"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|\r(?!\n)")
_HEADER = re.compile(r"\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]")
_KEY = re.compile(r"[A-Za-z0-9_-]+")
_LITERAL = r"'[^'\n]*'"
_BASIC = r'"[^"\\\n]*"'
_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
_SCALAR = re.compile(rf"{_LITERAL}|{_BASIC}|{_NUMBER}|true|false")


def _array_of(item: str) -> re.Pattern[str]:
    """A one-line array of ``item``s, a trailing comma allowed."""
    one = rf"[ \t]*(?:{item})[ \t]*"
    return re.compile(rf"\[(?:{one},)*(?:{one},?)?[ \t]*\]")


# Arrays of one kind are checked whole, then their items cut out without a regex each.
_LITERALS = _array_of(_LITERAL)
_LITERAL_TEXT = re.compile(r"'([^'\n]*)'")
_NUMBERS = _array_of(_NUMBER)
_ARRAY_ITEM = re.compile(rf"[ \t]*({_LITERAL}|{_BASIC}|{_NUMBER}|true|false)[ \t]*(,|$)")


def _fast_parse(text: str) -> dict[str, Any] | None:
    """``tomllib.loads(text, parse_float=Decimal)`` for the one-line subset, else None."""
    if _CONTROL.search(text):
        return None
    document: dict[str, Any] = {}
    table = document
    for line in text.split("\n"):
        stripped = line.strip(_BLANK) if line[-1:] != "\r" else line[:-1].strip(_BLANK)
        if not stripped or stripped[0] == "#":
            continue
        if stripped[0] == "[":
            header = _HEADER.fullmatch(stripped)
            if header is None or header[1] in document:
                return None
            table = document[header[1]] = {}
            continue
        key, equals, text_value = stripped.partition("=")
        key = key.rstrip(_BLANK)
        if not equals or _KEY.fullmatch(key) is None or key in table:
            return None
        value = _value(text_value.lstrip(_BLANK))
        if value is None:
            return None
        table[key] = value[0]
    return document


def _value(text: str) -> tuple[Any] | None:
    """The value of one-line TOML ``text`` (in a 1-tuple), or None outside the subset."""
    if text[:1] != "[":
        return (_scalar(text),) if _SCALAR.fullmatch(text) else None
    if len(text) >= 4 and text[:2] == "['" and text[-2:] == "']":  # ['a', 'b'] as written
        inner = text[2:-2]
        if "'" not in inner.replace("', '", ""):
            return (inner.split("', '"),)
    if _LITERALS.fullmatch(text):
        return (_LITERAL_TEXT.findall(text),)
    if _NUMBERS.fullmatch(text):
        inner = text[1:-1].rstrip(_BLANK).removesuffix(",")
        if not inner.strip(_BLANK):
            return ([],)
        numbers = inner.split(",")  # int and Decimal skip the blanks around an item
        return (list(map(int, numbers)) if "." not in inner else list(map(_number, numbers)),)
    if text[-1] != "]":
        return None
    inner = text[1:-1].strip(_BLANK)  # a mixed array, or one of strings and booleans
    items: list[Any] = []
    position = 0
    while position < len(inner):
        item = _ARRAY_ITEM.match(inner, position)
        if item is None:
            return None
        items.append(_scalar(item[1]))
        position = item.end()
    return (items,)


def _scalar(text: str) -> Any:
    first = text[0]
    if first == "'" or first == '"':
        return text[1:-1]
    if text == "true":
        return True
    if text == "false":
        return False
    return _number(text)


def _number(text: str) -> int | Decimal:
    return Decimal(text) if "." in text else int(text)

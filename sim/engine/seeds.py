"""Child seeds derived from a parent seed and labels: run -> table -> hand -> seat.

Deriving rather than drawing seeds lets any one table, hand or seat be replayed on its own,
whatever the number of workers or the order in which they ran.
"""
import hashlib
from typing import Final

SEED_BITS: Final = 63
# Personalisation keeps our digests apart from any other blake2b use of the same bytes.
_PERSON: Final = b"sim.seed.v1"


def derive_seed(parent: object, *labels: object) -> int:
    """Return a seed in 0..2**63-1 fixed by ``parent`` and ``labels``, stable across processes.

        >>> table_seed = derive_seed(20240601, "table", 3)
        >>> hand_seed = derive_seed(table_seed, "hand", 17)
        >>> derive_seed(20240601, "table", 3) == table_seed
        True

    Labels are typed: ``derive_seed(s, 1)`` and ``derive_seed(s, "1")`` differ, and so do
    ``derive_seed(s, "ab")`` and ``derive_seed(s, "a", "b")``.
    """
    digest = hashlib.blake2b(digest_size=8, person=_PERSON)
    digest.update(_encode(parent, "Parent seed"))
    for label in labels:
        digest.update(_encode(label, "Seed label"))
    return int.from_bytes(digest.digest(), "big") >> (64 - SEED_BITS)


def _encode(value: object, role: str) -> bytes:
    """Encode a value with a type tag and a length so no two inputs share bytes."""
    # bool is an int subclass; a True label is far more likely a bug than a seat number.
    if isinstance(value, int) and not isinstance(value, bool):
        tag, payload = b"i", str(value).encode("ascii")
    elif isinstance(value, str) and role == "Seed label":
        tag, payload = b"s", value.encode("utf-8")
    else:
        allowed = "an int or a str" if role == "Seed label" else "an int"
        raise ValueError(f"{role} {value!r} is a {type(value).__name__}; it must be {allowed}.")
    return tag + len(payload).to_bytes(4, "big") + payload

"""Kubernetes resource quantities (`500m`, `1.5`, `1Gi`, `1e3`) as exact fractions.

The grammar is apimachinery's `parseQuantityString`: an optional sign, digits with an optional
fraction (either part may be empty: `Gi` and `.` are zero), and a suffix that is a binary SI
suffix (`Ki` to `Ei`), a decimal one (`n`, `u`, `m`, `k`, `M` to `E`) or an exponent (`e3`) that
fits in 32 bits. YAML numbers (`cpu: 2`, `cpu: 0.5`) are read as kubectl sends them, as their
decimal text. Values are `Fraction`s, so `500m + 1.5` is exactly 2 and `1Gi` compares exactly
with `1000Mi`; comparisons round as the API server's `MilliValue` and `Value` do (up).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import lru_cache

_QUANTITY = re.compile(r"(?P<sign>[+-]?)(?P<number>[0-9]*(\.[0-9]*)?)(?P<suffix>[eEinumkKMGTP]*[+-]?[0-9]*)\Z")
_EXPONENT = re.compile(r"[eE](?P<value>[+-]?[0-9]+)\Z")
_SUFFIXES = {
    "": Fraction(1), "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000),
    "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
    "P": Fraction(10**15), "E": Fraction(10**18),
    "Ki": Fraction(2**10), "Mi": Fraction(2**20), "Gi": Fraction(2**30), "Ti": Fraction(2**40),
    "Pi": Fraction(2**50), "Ei": Fraction(2**60),
}


def parse_quantity(value: object) -> Fraction:
    """The exact value of a quantity written as a string or a YAML number; ValueError if it is not
    one, or if its exponent is beyond what any resource amount needs (|e| > 100)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"{value!r} is not a quantity")
    return _parse(value)


@lru_cache(maxsize=4096, typed=True)  # manifests repeat the same few amounts
def _parse(value: str | int | float) -> Fraction:
    sign, number, suffix = _parts(value)
    if suffix in _SUFFIXES:
        scale = _SUFFIXES[suffix]
    else:
        exponent = int(_EXPONENT.match(suffix).group("value"))
        if abs(exponent) > _LARGEST_EXPONENT:
            raise ValueError(f"{value!r} is too large or too small a quantity to compare")
        scale = Fraction(10) ** exponent
    magnitude = Fraction(number) if number.strip(".") else Fraction(0)
    return -magnitude * scale if sign == "-" else magnitude * scale


def is_quantity(value: object) -> bool:
    """Whether the API server accepts `value` as a quantity (the grammar alone, whatever its size)."""
    try:
        _parts(value)
    except ValueError:
        return False
    return True


#: Exponents beyond this are valid quantities but no amount of a resource.
_LARGEST_EXPONENT = 100
_MAX_INT32 = 2**31 - 1
#: Each suffix's exponent: of 2 for the binary ones, of 10 for the others.
_EXPONENTS = {"": 0, "n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
              "Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}


def _parts(value: object) -> tuple[str, str, str]:
    """(sign, number, suffix) of a valid quantity; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"{value!r} is not a quantity")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} is not a quantity")
    text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    match = _QUANTITY.match(text) if text else None
    if match is None:
        raise ValueError(f"{text!r} is not a quantity")
    suffix = match.group("suffix")
    if suffix in _SUFFIXES:
        exponent = _EXPONENTS[suffix]
    else:
        written = _EXPONENT.match(suffix)
        if written is None or not -_MAX_INT32 <= int(written.group("value")) <= _MAX_INT32:
            raise ValueError(f"{text!r} is not a quantity")
        exponent = int(written.group("value"))
    number = match.group("number")
    if not any(character.isdigit() for character in number) and not _fast_path(suffix, exponent, number):
        raise ValueError(f"{text!r} is not a quantity (no digits)")
    return match.group("sign"), number, suffix


def _fast_path(suffix: str, exponent: int, number: str) -> bool:
    """Whether ParseQuantity reads a number without digits ("Gi", ".m") as 0 through its int64 fast
    path; otherwise it hands the text to inf.Dec, which wants a digit (quantity.go)."""
    if suffix.endswith("i"):  # binary: 2^exponent
        return 15 - 1 - exponent * 3 // 10 - 1 >= 0
    return exponent >= -9


def milli(quantity: Fraction) -> int:
    """The quantity in thousandths, rounded up (the scheduler compares CPU so)."""
    return math.ceil(quantity * 1000)


def whole(quantity: Fraction) -> int:
    """The quantity rounded up to a whole number (memory, storage and extended resources)."""
    return math.ceil(quantity)

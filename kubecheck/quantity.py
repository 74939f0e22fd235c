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


@lru_cache(maxsize=4096, typed=True)  # manifests repeat the same few amounts
def parse_quantity(value: object) -> Fraction:
    """The exact value of a quantity written as a string or a YAML number; ValueError if it is not
    one, or if its exponent is beyond what any resource amount needs (|e| > 100)."""
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
    if suffix not in _SUFFIXES:
        exponent = _EXPONENT.match(suffix)
        if exponent is None or not -(2**31) <= int(exponent.group("value")) < 2**31:
            raise ValueError(f"{text!r} is not a quantity")
    return match.group("sign"), match.group("number"), suffix


def milli(quantity: Fraction) -> int:
    """The quantity in thousandths, rounded up (the scheduler compares CPU so)."""
    return math.ceil(quantity * 1000)


def whole(quantity: Fraction) -> int:
    """The quantity rounded up to a whole number (memory, storage and extended resources)."""
    return math.ceil(quantity)


def format_quantity(quantity: Fraction) -> str:
    """A short human form: `1.5`, `500m`, `2Gi`, `1500Mi`, `100M`."""
    if quantity == 0:
        return "0"
    if quantity.denominator != 1:
        thousandths = quantity * 1000
        return f"{thousandths.numerator // thousandths.denominator}m" if thousandths.denominator == 1 \
            else f"{float(quantity):g}"
    number = quantity.numerator
    for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
        if number >= _SUFFIXES[suffix] and number % _SUFFIXES[suffix] == 0:
            return f"{number // _SUFFIXES[suffix].numerator}{suffix}"
    for suffix in ("E", "P", "T", "G", "M", "k"):
        if number >= _SUFFIXES[suffix] and number % _SUFFIXES[suffix].numerator == 0:
            return f"{number // _SUFFIXES[suffix].numerator}{suffix}"
    return str(number)

"""YAML scalars typed the way Kubernetes types them.

kubectl and the API server turn YAML into JSON with sigs.k8s.io/yaml, which decodes with
go-yaml v2 (YAML 1.1 rules, as go-yaml v2 implements them) and then converts map keys to
strings. PyYAML's own resolver differs from go-yaml v2 in many corners (`y`/`n` are not
booleans there, `1e3` is a string, `3:25:45` is a base-60 integer, `2001-12-14` is a date,
`=` is a special "value" tag), so kubecheck resolves plain scalars itself with the rules of
go-yaml v2's `resolve.go`:

- booleans: y Y yes Yes YES true True TRUE on On ON and their negatives n N no No NO false
  False FALSE off Off OFF;
- null: the empty scalar, ~, null, Null, NULL;
- integers: Go integer literals after removing underscores (0x, 0o, 0b and leading-0 octal);
- floats: `[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?`, .inf, -.inf, .nan;
- timestamps stay strings (go-yaml keeps the text when decoding into interface{});
- everything else is a string.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import math
import re
import struct

#: Returned for a plain `<<`, the merge key.
MERGE = object()

_TRUE = ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")
_FALSE = ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")
_NULL = ("", "~", "null", "Null", "NULL")
_INF = (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")
_NEG_INF = ("-.inf", "-.Inf", "-.INF")
_NAN = (".nan", ".NaN", ".NAN")

#: Plain scalars whose meaning is fixed by go-yaml v2's lookup table.
SPECIAL: dict[str, object] = {
    **dict.fromkeys(_TRUE, True),
    **dict.fromkeys(_FALSE, False),
    **dict.fromkeys(_NULL, None),
    **dict.fromkeys(_INF, math.inf),
    **dict.fromkeys(_NEG_INF, -math.inf),
    **dict.fromkeys(_NAN, math.nan),
    "<<": MERGE,
}

#: First characters of plain scalars that may be numbers (go-yaml's 'D', 'S' and '.' hints).
NUMERIC_START = frozenset("+-.0123456789")

_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_DIGITS = {2: frozenset("01"), 8: frozenset("01234567"), 10: frozenset("0123456789"),
           16: frozenset("0123456789abcdefABCDEF")}
_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(2**63), 2**63 - 1, 2**64 - 1


def _go_integer(text: str) -> int | None:
    """Value of a Go integer literal as `strconv.ParseInt(text, 0, ...)` reads it, unbounded."""
    sign, body = 1, text
    if body[:1] in ("+", "-"):
        sign, body = (-1 if body[0] == "-" else 1), body[1:]
    base, digits = 10, body
    if len(body) > 1 and body[0] == "0":
        prefix = body[1]
        if prefix in "xX":
            base, digits = 16, body[2:]
        elif prefix in "bB":
            base, digits = 2, body[2:]
        elif prefix in "oO":
            base, digits = 8, body[2:]
        else:
            base, digits = 8, body[1:]
    if not digits or not _DIGITS[base].issuperset(digits):
        return None
    return sign * int(digits, base)


def resolve_number(text: str) -> object:
    """Type a plain scalar that starts like a number; it stays a string when it is not one."""
    if text[0] == ".":  # Go's ParseFloat, like Python's float(), takes underscores between digits
        if not text.isascii():  # float() would also read other scripts' digits and spaces
            return text
        try:
            value = float(text)
        except ValueError:
            return text
        return text if math.isinf(value) else value
    plain = text.replace("_", "")
    integer = _go_integer(plain)
    signed = plain[:1] in ("+", "-")
    if integer is not None:
        if _INT64_MIN <= integer <= _INT64_MAX or (not signed and integer <= _UINT64_MAX):
            return integer
    if _FLOAT.match(plain):
        value = float(plain)
        if not math.isinf(value):
            return value
    if integer is not None and not signed:
        return integer  # go-yaml's big.Int fallback for out-of-range unsigned literals
    return text


def resolve_plain(text: str) -> object:
    """Type an untagged plain scalar as go-yaml v2 does (MERGE for the merge key `<<`)."""
    value = SPECIAL.get(text, text)
    if value is text and text[:1] in NUMERIC_START:
        return resolve_number(text)
    return value


class TagError(ValueError):
    """An explicitly tagged scalar whose text does not fit its tag (`!!int abc`)."""


_TAG_PREFIX = "tag:yaml.org,2002:"
_TYPE_OF = {bool: "bool", int: "int", float: "float", type(None): "null", str: "str"}


def resolve_tagged(tag: str, text: str) -> object:
    """Type a scalar with an explicit tag; unknown tags keep the text, as go-yaml does."""
    short = tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else None
    if short in (None, "str") or short not in ("bool", "int", "float", "null", "timestamp", "binary"):
        return text
    if short == "binary":
        try:  # Go's base64 decoder skips line breaks only
            return base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            raise TagError("!!binary value contains invalid base64 data") from None
    value = resolve_plain(text)
    if value is MERGE:
        value = text
    kind = _TYPE_OF[type(value)]
    if short == "timestamp":
        if kind == "str" and _is_timestamp(text):
            return text
    elif kind == short:
        return value
    elif short == "float" and kind == "int" and _INT64_MIN <= value <= _INT64_MAX:
        return float(value)
    raise TagError(f"cannot decode !!{kind} `{text}` as a !!{short}")


_TIMESTAMP = re.compile(  # the layouts go-yaml v2's parseTimestamp accepts
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})("
    r"[Tt](?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{1,2}):(?P<second>[0-9]{1,2})(\.[0-9]+)?"
    r"(Z|[-+](?P<zone_hour>[0-9]{2}):(?P<zone_minute>[0-9]{2}))"
    r"| (?P<hour2>[0-9]{1,2}):(?P<minute2>[0-9]{1,2}):(?P<second2>[0-9]{1,2})(\.[0-9]+)?)?\Z"
)


def _is_timestamp(text: str) -> bool:
    """Whether Go's time.Parse reads `text` with one of go-yaml's layouts (ranges checked)."""
    match = _TIMESTAMP.match(text)
    if not match:
        return False
    number = {name: int(value) for name, value in match.groupdict().items() if value is not None}
    try:
        datetime.datetime(number["year"], number["month"], number["day"], number.get("hour", number.get("hour2", 0)),
                          number.get("minute", number.get("minute2", 0)), number.get("second", number.get("second2", 0)))
    except ValueError:
        return False
    return number.get("zone_hour", 0) <= 24 and number.get("zone_minute", 0) < 60


def json_key(value: object) -> str | None:
    """The JSON object key sigs.k8s.io/yaml makes of a typed YAML key; None if it refuses the key."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):  # sigs.k8s.io/yaml takes Go's int and int64, not uint64 or big.Int
        return str(value) if _INT64_MIN <= value <= _INT64_MAX else None
    if isinstance(value, float):
        return _go_float32_g(value)
    return None


def _go_float32_g(value: float) -> str:
    """`strconv.FormatFloat(value, 'g', -1, 32)` with go-yaml's spelling of infinities."""
    if math.isnan(value):
        return ".nan"
    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        single = math.copysign(math.inf, value)
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    if single == 0:
        return "-0" if math.copysign(1, single) < 0 else "0"
    for precision in range(1, 10):  # shortest digits that read back as the same float32
        text = f"{single:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            break
    mantissa, exponent = text.split("e")
    exponent_value = int(exponent)
    digits = mantissa.replace(".", "").lstrip("-")
    sign = "-" if single < 0 else ""
    if exponent_value < -4 or exponent_value >= 6:
        fraction = f".{digits[1:]}" if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{fraction}e{'-' if exponent_value < 0 else '+'}{abs(exponent_value):02d}"
    point = exponent_value + 1
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"

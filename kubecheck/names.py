"""The API server's syntax for label keys and values (apimachinery's IsQualifiedName and
IsValidLabelValue) and for the integers tolerations compare, with its messages, for rules that
validate what the schemas leave free."""

from __future__ import annotations

import re

_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)\Z", re.ASCII)
_SIGNED = re.compile(r"[+-]?[0-9]+\Z", re.ASCII)
_INT64 = range(-(2**63), 2**63)
_NAME_RULE = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
              "alphanumeric character")


def qualified_name_problem(key: str) -> str | None:
    """Why `key` is not a valid label key ("prefix/name" or "name"), or None."""
    parts = key.split("/")
    if len(parts) > 2:
        return "a qualified name has at most one '/' (an optional DNS subdomain prefix, then the name)"
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            return "the prefix part must be non-empty"
        if len(prefix) > 253 or not _SUBDOMAIN.match(prefix):
            return (f"the prefix {prefix!r} must be a lowercase DNS subdomain (letters, digits, '-' and '.', "
                    "at most 253 characters)")
    if not name:
        return "the name part must be non-empty"
    if len(name) > 63:
        return "the name part must be no more than 63 characters"
    if not _NAME.match(name):
        return f"the name part {_NAME_RULE}"
    return None


def label_value_problem(value: str) -> str | None:
    """Why `value` is not a valid label value, or None (empty is valid)."""
    if len(value) > 63:
        return "must be no more than 63 characters"
    if value and not _NAME.match(value):
        return _NAME_RULE
    return None


def decimal_integer(text: str) -> int | None:
    """The int64 a string holds in canonical decimal form (apimachinery's IsDecimalInteger and
    ParseInt: no leading zeros, no "-0", no "+", ASCII digits), or None."""
    if not _DECIMAL.match(text) or text == "-0":
        return None
    number = int(text)
    return number if number in _INT64 else None


def parse_int64(text: str) -> int | None:
    """The int64 that Go's strconv.ParseInt(text, 10, 64) reads (a sign, ASCII digits, leading
    zeros allowed), or None: how label selectors read values for Gt and Lt."""
    if not _SIGNED.match(text):
        return None
    number = int(text)
    return number if number in _INT64 else None

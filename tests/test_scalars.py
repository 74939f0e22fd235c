"""kubecheck.scalars types YAML scalars as go-yaml v2 does (sigs.k8s.io/yaml/goyaml.v2, resolve.go).

kubectl reads manifests with sigs.k8s.io/yaml, which decodes with go-yaml v2 (YAML 1.1 rules)
and then turns map keys into JSON strings. Each expectation below is what that Go code gives.
"""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubecheck.scalars import MERGE, TagError, json_key, resolve_plain, resolve_tagged

INT64_MIN, INT64_MAX, UINT64_MAX = -(2**63), 2**63 - 1, 2**64 - 1
YAML = "tag:yaml.org,2002:"


def assert_same(actual, expected):
    """Equal value and equal type (True == 1 in Python, but not in YAML); NaN equals NaN."""
    assert type(actual) is type(expected), (actual, expected)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(actual)
    else:
        assert actual == expected


# ---------------------------------------------------------------------------------------------
# resolve_plain: untagged plain scalars


BOOLEANS = [(text, True) for text in "y Y yes Yes YES true True TRUE on On ON".split()] + [
    (text, False) for text in "n N no No NO false False FALSE off Off OFF".split()
]
NULLS = [("", None), ("~", None), ("null", None), ("Null", None), ("NULL", None)]
INTS = [
    ("0", 0),
    ("-0", 0),
    ("42", 42),
    ("-17", -17),
    ("+1", 1),
    ("010", 8),  # leading 0: octal
    ("00", 0),
    ("0o17", 15),
    ("0O17", 15),
    ("0x1F", 31),
    ("0X1F", 31),
    ("-0x1F", -31),
    ("+0x1F", 31),
    ("0b101", 5),
    ("0B11", 3),
    ("-0b101", -5),
    ("1_000", 1000),  # go-yaml removes every underscore first
    ("1__0", 10),
    ("1_", 1),
    ("0x_1F", 31),
    (str(INT64_MAX), INT64_MAX),
    (str(INT64_MIN), INT64_MIN),
    (str(UINT64_MAX), UINT64_MAX),  # ParseUint
    ("0xFFFFFFFFFFFFFFFFFF", 0xFFFFFFFFFFFFFFFFFF),  # out of uint64 range: go-yaml's big.Int fallback
    ("0b" + "1" * 70, 2**70 - 1),
]
FLOATS = [
    ("1e3", 1000.0),
    ("1E3", 1000.0),
    ("1e+3", 1000.0),
    ("1.5E-3", 0.0015),
    ("1.", 1.0),
    (".5", 0.5),
    ("+.5", 0.5),
    ("-.5", -0.5),
    ("1_0.5", 10.5),
    ("08", 8.0),  # not an octal integer, but the float regex accepts it
    ("0777777777777777777777777", 7.777777777777778e23),  # octal out of range: the float regex wins
    ("99999999999999999999", 1e20),  # decimal out of range: float, not big.Int
    ("-9223372036854775809", -9.223372036854776e18),
    ("+18446744073709551615", 1.8446744073709552e19),  # a sign means no ParseUint
    ("1e-999", 0.0),  # underflow is not an error in Go
    (".inf", math.inf),
    (".Inf", math.inf),
    (".INF", math.inf),
    ("+.inf", math.inf),
    ("+.INF", math.inf),
    ("-.inf", -math.inf),
    ("-.Inf", -math.inf),
    (".nan", math.nan),
    (".NaN", math.nan),
    (".NAN", math.nan),
]
STRINGS = [
    "=",  # a "value" tag in PyYAML, a plain string in go-yaml
    "3:25:45",  # no base-60 numbers
    "2001-12-14",  # timestamps stay strings in interface{}
    "2001-12-14T21:59:43.10Z",
    "0.0.0.0",
    "1.2.3",
    "1.2.3e4",
    "-",
    "+",
    ".",
    ".e5",
    "12e",
    "1e999",  # out-of-range float
    "-0xFFFFFFFFFFFFFFFFFF",  # negative and out of range: neither int64 nor big.Int
    "0x",
    "0b",
    "0b2",
    "_1",
    "._5",
    "+.nan",
    "-.nan",
    "yES",
    "oN",
    "nULL",
    "yes please",
    "<<<",
    "~x",
]


@pytest.mark.parametrize(("text", "expected"), BOOLEANS + NULLS + INTS + FLOATS)
def test_resolve_plain_types_like_go_yaml_v2(text, expected):
    assert_same(resolve_plain(text), expected)


@pytest.mark.parametrize("text", STRINGS)
def test_resolve_plain_keeps_text_that_is_no_other_type(text):
    assert_same(resolve_plain(text), text)


def test_resolve_plain_returns_merge_marker_for_the_merge_key():
    assert resolve_plain("<<") is MERGE


@pytest.mark.parametrize(("text", "expected"), [(".5_5", 0.55), (".5e1_0", 5e9)])
def test_resolve_plain_accepts_underscores_in_floats_starting_with_a_dot(text, expected):
    # go-yaml gives '.'-prefixed scalars to strconv.ParseFloat as written, and ParseFloat accepts
    # underscores between digits (Go literal syntax, checked by strconv.underscoreOK).
    assert_same(resolve_plain(text), expected)


@pytest.mark.parametrize("text", [".\uff15", ".\u0665", ".5\u00a0"])
def test_resolve_plain_does_not_read_unicode_digits_or_spaces_as_floats(text):
    # Python's float() accepts non-ASCII digits (fullwidth ５, Arabic-Indic ٥) and strips Unicode
    # spaces (U+00A0); Go's ParseFloat accepts ASCII only, so go-yaml keeps these as strings.
    assert_same(resolve_plain(text), text)


# ---------------------------------------------------------------------------------------------
# resolve_tagged: explicitly tagged scalars


@pytest.mark.parametrize(
    ("tag", "text", "expected"),
    [
        (YAML + "int", "12", 12),
        (YAML + "int", "0xFFFFFFFFFFFFFFFFFF", 0xFFFFFFFFFFFFFFFFFF),
        (YAML + "float", "12", 12.0),
        (YAML + "float", "0xFF", 255.0),
        (YAML + "float", "1.5", 1.5),
        (YAML + "str", "12", "12"),
        (YAML + "str", "yes", "yes"),
        (YAML + "str", "<<", "<<"),
        (YAML + "bool", "yes", True),
        (YAML + "bool", "off", False),
        (YAML + "null", "~", None),
        (YAML + "null", "", None),
        (YAML + "binary", "aGVsbG8=", "hello"),
        (YAML + "binary", "aGVs\nbG8=\n", "hello"),  # base64.StdEncoding skips \r and \n
        (YAML + "timestamp", "2001-12-14", "2001-12-14"),
        (YAML + "timestamp", "2001-12-14T21:59:43Z", "2001-12-14T21:59:43Z"),
        (YAML + "timestamp", "2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
        (YAML + "timestamp", "2001-12-14 21:59:43.10", "2001-12-14 21:59:43.10"),
        (YAML + "python/object:os.system", "echo hi", "echo hi"),  # unknown tags keep the text
        (YAML + "map", "x", "x"),
        ("!foo", "12", "12"),
        ("!", "yes", "yes"),
    ],
)
def test_resolve_tagged_types_like_go_yaml_v2(tag, text, expected):
    assert_same(resolve_tagged(tag, text), expected)


@pytest.mark.parametrize(
    ("tag", "text", "message"),
    [
        (YAML + "int", "abc", "cannot decode !!str `abc` as a !!int"),
        (YAML + "int", "1.5", "cannot decode !!float `1.5` as a !!int"),
        (YAML + "int", "99999999999999999999", "cannot decode !!float `99999999999999999999` as a !!int"),
        (YAML + "int", "<<", "cannot decode !!str `<<` as a !!int"),
        (YAML + "float", "abc", "cannot decode !!str `abc` as a !!float"),
        (YAML + "float", "1e400", "cannot decode !!str `1e400` as a !!float"),
        (YAML + "bool", "1", "cannot decode !!int `1` as a !!bool"),
        (YAML + "null", "foo", "cannot decode !!str `foo` as a !!null"),
        (YAML + "timestamp", "abc", "cannot decode !!str `abc` as a !!timestamp"),
        (YAML + "binary", "***", "!!binary value contains invalid base64 data"),
    ],
)
def test_resolve_tagged_refuses_text_that_does_not_fit_the_tag(tag, text, message):
    with pytest.raises(TagError) as raised:
        resolve_tagged(tag, text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("tag", "text"),
    [
        # time.Parse checks ranges (month 13, day 45), so go-yaml's parseTimestamp fails.
        (YAML + "timestamp", "2001-13-45"),
        # resolve() gives a uint64 here, and its !!float conversion only handles int and int64.
        (YAML + "float", str(UINT64_MAX)),
        # base64.StdEncoding.DecodeString skips only \r and \n: a space (a folded plain scalar)
        # is invalid base64 for go-yaml.
        (YAML + "binary", "aGVs bG8="),
    ],
)
def test_resolve_tagged_refuses_what_go_yaml_refuses(tag, text):
    with pytest.raises(TagError):
        resolve_tagged(tag, text)


# ---------------------------------------------------------------------------------------------
# json_key: the JSON string sigs.k8s.io/yaml makes of a typed key


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("name", "name"),
        ("", ""),
        (True, "true"),
        (False, "false"),
        (1, "1"),
        (-5, "-5"),
        (INT64_MAX, str(INT64_MAX)),
        (INT64_MIN, str(INT64_MIN)),
        # floats: strconv.FormatFloat(f, 'g', -1, 32)
        (1.0, "1"),
        (0.0, "0"),
        (-0.0, "-0"),
        (1e6, "1e+06"),
        (100000.0, "100000"),
        (1234567.0, "1.234567e+06"),
        (123456789.0, "1.2345679e+08"),
        (16777217.0, "1.6777216e+07"),  # rounded to float32 first
        (0.1, "0.1"),
        (3.14159265, "3.1415927"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (1e-50, "0"),  # float32 underflow
        (3.4028235e38, "3.4028235e+38"),
        (1e300, ".inf"),  # float32 overflow
        (-1e300, "-.inf"),
        (math.inf, ".inf"),
        (-math.inf, "-.inf"),
        (math.nan, ".nan"),
        (None, None),  # a null key: refused
    ],
)
def test_json_key_converts_keys_as_sigs_k8s_io_yaml(value, expected):
    assert json_key(value) == expected


@pytest.mark.parametrize("value", [INT64_MAX + 1, UINT64_MAX, 2**70])
def test_json_key_refuses_integers_beyond_int64(value):
    # go-yaml decodes 2**63..2**64-1 as uint64 and larger integers as *big.Int; the key switch
    # of sigs.k8s.io/yaml's convertToJSONableObject has cases for string, int, int64, float64 and
    # bool only, so such keys are "unsupported map key of type: uint64".
    assert json_key(value) is None


def _float32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-3.4e38, max_value=3.4e38, allow_nan=False))
def test_json_key_of_a_float_reads_back_as_the_same_float32(value):
    assert _float32(float(json_key(value))) == _float32(value)


# ---------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=INT64_MIN, max_value=INT64_MAX))
def test_every_int64_written_in_decimal_resolves_to_itself(number):
    assert_same(resolve_plain(str(number)), number)


@st.composite
def integer_with_underscores(draw):
    number = draw(st.integers(min_value=-(10**30), max_value=10**30))
    digits = str(abs(number))
    pieces = [digits[0]]
    for digit in digits[1:]:
        pieces.append("_" * draw(st.integers(min_value=0, max_value=2)) + digit)
    sign = "-" if number < 0 else draw(st.sampled_from(["", "+"]))
    return sign + digits, sign + "".join(pieces)


@settings(max_examples=300, deadline=None)
@given(integer_with_underscores())
def test_underscores_between_digits_do_not_change_a_number(texts):
    plain, underscored = texts
    assert_same(resolve_plain(underscored), resolve_plain(plain))


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1).filter(lambda text: text[0] not in "+-.0123456789yYnNtTfFoO~<"))
def test_text_starting_with_no_hint_character_is_a_string(text):
    # go-yaml's resolveTable has no hint for other first characters: such text is never resolved.
    assert_same(resolve_plain(text), text)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="+-._0123456789eExXoObBaAfF:~<ynYN ", max_size=12)))
def test_resolve_plain_never_raises(text):
    value = resolve_plain(text)
    assert value is MERGE or value is None or isinstance(value, (bool, int, float, str))

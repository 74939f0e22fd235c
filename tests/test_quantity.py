"""kubecheck.quantity: Kubernetes resource quantities, exact.

The reference is apimachinery's resource.ParseQuantity (pkg/api/resource/quantity.go): the scanner
parseQuantityString, the suffixer's interpret (suffix.go, with the exponent bounds of
kubernetes/kubernetes#141203: |e| <= MaxInt32), and the two ways ParseQuantity reads the number
(an int64 fast path, else inf.Dec.SetString, which needs at least one digit). `go_accepts` below
is that code, transcribed.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from kubecheck.quantity import is_quantity, milli, parse_quantity, whole

KI = 2**10
DECIMAL_SUFFIXES = {"n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000), "": Fraction(1),
                    "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
                    "P": Fraction(10**15), "E": Fraction(10**18)}
BINARY_SUFFIXES = {"Ki": Fraction(KI), "Mi": Fraction(KI**2), "Gi": Fraction(KI**3), "Ti": Fraction(KI**4),
                   "Pi": Fraction(KI**5), "Ei": Fraction(KI**6)}
SUFFIXES = {**DECIMAL_SUFFIXES, **BINARY_SUFFIXES}
MAX_INT32 = 2**31 - 1


# ---------------------------------------------------------------------------------------------
# A transcription of ParseQuantity's acceptance (quantity.go, suffix.go)


def go_parse_quantity_string(text: str):
    """parseQuantityString: (value, num, denom, suffix), or None for ErrFormatWrong."""
    pos, end = 0, len(text)
    if pos < end and text[0] in "+-":
        pos += 1
    while True:  # Zeroes
        if pos >= end:
            return "0", "0", "", ""
        if text[pos] != "0":
            break
        pos += 1
    start = pos
    while pos < end and text[pos].isascii() and text[pos].isdigit():  # Num
        pos += 1
    num = text[start:pos] or "0"
    if pos >= end:
        return text, num, "", ""
    denom = ""
    if text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos].isascii() and text[pos].isdigit():
            pos += 1
        denom = text[start:pos]
        if pos >= end:
            return text, num, denom, ""
    value, suffix_start = text[:pos], pos
    while pos < end and text[pos] in "eEinumkKMGTP":
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos].isascii() and text[pos].isdigit():
        pos += 1
    if pos < end:
        return None
    return value, num, denom, text[suffix_start:]


def go_interpret(suffix: str):
    """suffixer.interpret: (base, exponent, format), or None for ErrSuffix."""
    if suffix in DECIMAL_SUFFIXES:
        return 10, {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}[suffix], "SI"
    if suffix in BINARY_SUFFIXES:
        return 2, 10 * (list(BINARY_SUFFIXES).index(suffix) + 1), "binary"
    if len(suffix) > 1 and suffix[0] in "eE":
        digits = suffix[1:]
        body = digits[1:] if digits[0] in "+-" else digits
        if not body or not all("0" <= c <= "9" for c in body) or not -(2**63) <= int(digits) < 2**63:
            return None  # strconv.ParseInt(s, 10, 64)
        if not -MAX_INT32 <= int(digits) <= MAX_INT32:
            return None  # kubernetes/kubernetes#141203
        return 10, int(digits), "exponent"
    return None


def go_accepts(text: str) -> bool:
    """Whether ParseQuantity(text) returns no error."""
    if text == "":
        return False
    if text == "0":
        return True
    parsed = go_parse_quantity_string(text)
    if parsed is None:
        return False
    value, num, denom, suffix = parsed
    interpreted = go_interpret(suffix)
    if interpreted is None:
        return False
    _, exponent, kind = interpreted
    if kind == "binary":
        precision = 15 - len(num) - exponent * 3 // 10 - 1 if not denom else -1
        scale = 0
    else:
        precision, scale = 18 - len(num) - len(denom), exponent
    if precision >= 0 and scale - len(denom) >= -9:
        return True  # the int64 fast path (an overflow there falls through to SetString, with digits)
    return any("0" <= c <= "9" for c in value)  # inf.Dec.SetString(value): "no digits read" otherwise


def go_value(text: str) -> Fraction:
    """The exact value ParseQuantity reads (before it rounds up to nanos), for accepted text."""
    value, num, denom, suffix = go_parse_quantity_string(text)
    base, exponent, _ = go_interpret(suffix)
    magnitude = Fraction(int(num + denom), 10 ** len(denom)) * Fraction(base) ** exponent
    return -magnitude if text.startswith("-") else magnitude


# ---------------------------------------------------------------------------------------------
# Parsing


@pytest.mark.parametrize("suffix, scale", SUFFIXES.items())
def test_every_suffix(suffix, scale):
    assert parse_quantity(f"3{suffix}") == 3 * scale
    assert parse_quantity(f"1.5{suffix}") == Fraction(3, 2) * scale
    assert parse_quantity(f"-2{suffix}") == -2 * scale


@pytest.mark.parametrize("text, expected", [
    ("1e3", 1000), ("1E3", 1000), ("1e+3", 1000), ("1E+3", 1000), ("1e-3", Fraction(1, 1000)),
    ("1.5e3", 1500), ("1.5E-1", Fraction(3, 20)), ("-2e2", -200), ("12e0", 12), ("5e-9", Fraction(5, 10**9)),
    ("1e100", 10**100), ("1e-100", Fraction(1, 10**100)), ("3E", 3 * 10**18),  # E alone is exa, not an exponent
])
def test_exponents(text, expected):
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("+1", 1), ("-1", -1), ("-500m", Fraction(-1, 2)), ("+.5Gi", 2**29),
    (".5", Fraction(1, 2)), ("5.", 5), ("1.G", 10**9), ("0.5", Fraction(1, 2)), ("00100", 100), ("0.000", 0),
    ("0", 0), ("-0", 0), ("Gi", 0), ("m", 0), (".", 0), ("-", 0), ("+", 0), ("0Pi", 0), ("0e-10", 0),
    ("1234567890123456789012345", 1234567890123456789012345), ("0.0000000001", Fraction(1, 10**10)),
])
def test_numbers_signs_and_empty_parts(text, expected):
    assert is_quantity(text)
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("value, expected", [
    (2, 2), (0, 0), (-3, -3), (10**20, 10**20),
    (0.5, Fraction(1, 2)), (0.1, Fraction(1, 10)),  # the decimal text kubectl sends, not the binary float
    (1e-05, Fraction(1, 10**5)), (1e16, 10**16), (2.0, 2), (-0.25, Fraction(-1, 4)),
])
def test_yaml_numbers_are_read_as_their_decimal_text(value, expected):
    assert is_quantity(value)
    assert parse_quantity(value) == expected


@pytest.mark.parametrize("value", [
    "", " 1", "1 ", "1 Gi", "1Gb", "1gi", "1GI", "1ki", "1K", "1KiB", "1mi", "1Mi3", "1m3", "1e", "1e+", "1E-",
    "1ee3", "1e3e", "1e3Ki", "1e3.5", "1.2.3", "1,5", "0x10", "--1", "+-1", "1-", "1+", "one", "1_000", "١",
    "1e99999999999999999999", "1e2147483648", "1e-4294967297",
    True, False, None, [], {}, float("nan"), float("inf"), float("-inf"),
])
def test_invalid_quantities(value):
    assert not is_quantity(value)
    with pytest.raises(ValueError):
        parse_quantity(value)


@pytest.mark.parametrize("text", [
    # parseQuantityString accepts them, but the number has no digit and ParseQuantity leaves the int64 fast
    # path (a scale below nano, or a binary suffix too large for its precision estimate), so
    # inf.Dec.SetString("") / SetString(".") fails: ErrNumeric (quantity.go, ParseQuantity).
    "e-10", "E-12", ".e-10", "-e-10", "+.E-99", "Pi", "Ei", "-Pi", ".Ei",
    # kubernetes/kubernetes#141203 (suffix.go interpret): exponents outside [-MaxInt32, MaxInt32] are
    # rejected; -MaxInt32 - 1 is, since the scale is negated later.
    "1e-2147483648",
])
def test_quantities_the_api_server_rejects_though_they_scan(text):
    assert not go_accepts(text)  # the transcription agrees
    assert not is_quantity(text)


@pytest.mark.parametrize("text", ["Ti", "Gi", "Ki", ".Ti", "e-9", "e100", "0Ei", "0.Ei", "1Ei", "1e2147483647",
                                  "1e-2147483647"])
def test_near_misses_the_api_server_accepts(text):
    assert go_accepts(text)
    assert is_quantity(text)


@pytest.mark.parametrize("text", ["1e101", "1e-101", "5e2147483647", "-1e-2147483647", "1.5E500"])
def test_valid_but_huge_exponents_are_not_compared(text):
    assert is_quantity(text)
    with pytest.raises(ValueError, match="too large or too small a quantity to compare"):
        parse_quantity(text)


# ---------------------------------------------------------------------------------------------
# Arithmetic, comparison and rounding


def test_exact_arithmetic():
    assert parse_quantity("500m") + parse_quantity("1.5") == 2
    assert parse_quantity("0.1") + parse_quantity("0.2") == parse_quantity("300m")
    assert parse_quantity("1Ki") == parse_quantity("1024") == parse_quantity("1.024k")
    assert parse_quantity("1Gi") == 1024 * parse_quantity("1Mi")


def test_binary_and_decimal_sizes_differ():
    one_g, thousand_mi, one_gi = (parse_quantity(text) for text in ("1G", "1000Mi", "1Gi"))
    assert (one_g, thousand_mi, one_gi) == (10**9, 1_048_576_000, 1_073_741_824)
    assert one_g < thousand_mi < one_gi
    assert whole(one_g) < whole(thousand_mi) < whole(one_gi)


@pytest.mark.parametrize("amount, thousandths, units", [
    (Fraction(0), 0, 0),
    (Fraction(1, 1000), 1, 1),
    (Fraction(1, 3000), 1, 1),  # 0.33m rounds up to 1m, as MilliValue does
    (Fraction(1, 10**9), 1, 1),
    (Fraction(3, 2), 1500, 2),
    (Fraction(1500001, 1000000), 1501, 2),
    (Fraction(2), 2000, 2),
    (Fraction(2**30), 2**30 * 1000, 2**30),
    (Fraction(2**30 * 2 + 1, 2), (2**30 * 2 + 1) * 500, 2**30 + 1),  # half a byte more is a byte more (Value)
])
def test_milli_and_whole_round_up(amount, thousandths, units):
    assert milli(amount) == thousandths
    assert whole(amount) == units


# ---------------------------------------------------------------------------------------------
# Properties

QUANTITY_ALPHABET = "0123456789.+-eEinumkKMGTP"
quantity_texts = st.text(QUANTITY_ALPHABET, max_size=8) | st.builds(
    "".join, st.lists(st.sampled_from(["", "-", "+", "1", "05", ".", ".5", "e", "E", "-10", "+3", "9", *SUFFIXES]),
                      max_size=5))


@given(quantity_texts)
@example("Pi")
@example("e-10")
@example("1e-2147483648")
def test_is_quantity_agrees_with_the_api_server(text):
    assert is_quantity(text) is go_accepts(text)


@given(quantity_texts)
def test_parse_agrees_with_is_quantity_and_with_the_value_the_api_server_reads(text):
    if not is_quantity(text):
        with pytest.raises(ValueError):
            parse_quantity(text)
        return
    try:
        value = parse_quantity(text)
    except ValueError as error:
        assert "too large or too small" in str(error)
        return
    if go_accepts(text):
        assert value == go_value(text)


digit_strings = st.text("0123456789", max_size=6)
signs = st.sampled_from(["", "+", "-"])
exponent_suffixes = st.builds(lambda letter, sign, n: f"{letter}{sign}{n}", st.sampled_from("eE"),
                              st.sampled_from(["", "+", "-"]), st.integers(0, 30))


@st.composite
def quantities(draw):
    """(text, exact value computed with decimal.Decimal and powers of 2)."""
    sign, whole_part, fraction = draw(signs), draw(digit_strings), draw(digit_strings)
    dot = draw(st.booleans()) or bool(fraction)
    suffix = draw(st.sampled_from(sorted(SUFFIXES)) | exponent_suffixes)
    number = f"{whole_part}.{fraction}" if dot else whole_part or "0"
    digits = f"{whole_part or '0'}.{fraction or '0'}"
    if suffix in BINARY_SUFFIXES:
        magnitude = Fraction(Decimal(digits)) * 2 ** (10 * (list(BINARY_SUFFIXES).index(suffix) + 1))
    elif suffix in DECIMAL_SUFFIXES:
        magnitude = Fraction(Decimal(digits)) * DECIMAL_SUFFIXES[suffix]
    else:
        magnitude = Fraction(Decimal(f"{digits}e{suffix[1:]}"))
    text = f"{sign}{number}{suffix}"
    assume(go_accepts(text))  # ".Ei" scans, but the API server finds no digits in it
    return text, -magnitude if sign == "-" else magnitude


@given(quantities())
def test_parse_is_exact(quantity):
    text, value = quantity
    assert parse_quantity(text) == value


@given(quantities(), quantities())
def test_quantity_order_is_the_order_of_the_exact_values(a, b):
    (text_a, value_a), (text_b, value_b) = a, b
    parsed_a, parsed_b = parse_quantity(text_a), parse_quantity(text_b)
    assert (parsed_a < parsed_b, parsed_a == parsed_b) == (value_a < value_b, value_a == value_b)
    assert parsed_a + parsed_b == value_a + value_b
    if value_a <= value_b:  # rounding up keeps the order
        assert milli(parsed_a) <= milli(parsed_b) and whole(parsed_a) <= whole(parsed_b)


comparable_floats = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: f == 0 or 1e-90 < abs(f) < 1e90)


@given(st.integers() | comparable_floats)
def test_yaml_numbers(number):
    assert is_quantity(number)
    assert parse_quantity(number) == (number if isinstance(number, int) else Fraction(repr(number)))


@given(st.fractions(max_denominator=10**12))
def test_milli_and_whole_are_the_ceilings(amount):
    assert milli(amount) == math.ceil(amount * 1000)
    assert whole(amount) - 1 < amount <= whole(amount)

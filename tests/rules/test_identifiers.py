import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.rules.identifiers import (
    IdentifierError,
    IdentifierKind,
    classify_identifier,
    is_apple_serial,
    is_luhn_valid,
    is_valid_imei,
    luhn_check_digit,
    normalize_imei,
    normalize_meid,
    normalize_serial,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("490154203237518", "490154203237518", id="plain"),
        pytest.param("356938035643809", "356938035643809", id="second-known"),
        pytest.param("35-209900-176148-1", "352099001761481", id="dashes"),
        pytest.param(" 49 015420 323751 8 ", "490154203237518", id="spaces"),
        pytest.param("IMEI: 490154203237518", "490154203237518", id="label"),
        pytest.param("imei 356938035643809", "356938035643809", id="label-lowercase"),
        pytest.param("IMEI#490154203237518", "490154203237518", id="label-hash"),
    ],
)
def test_valid_imeis(text: str, expected: str) -> None:
    assert normalize_imei(text) == expected
    assert is_valid_imei(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "490154203237519",
            r"^IMEI 490154203237519 fails the Luhn check \(expected check digit 8\)$",
            id="bad-luhn",
        ),
        pytest.param("49015420323751", r"14 digits.*check digit.*MEID", id="14-digits"),
        pytest.param("4901542032375180", r"16 digits: that is an IMEISV", id="imeisv"),
        pytest.param("4901542032375", r"has 13 digits; an IMEI has 15", id="13-digits"),
        pytest.param("49015420323751A", r"digits only", id="letter"),
        pytest.param("", r"is empty", id="empty"),
        pytest.param("IMEI:", r"is empty", id="label-only"),
        pytest.param("000000000000000", r"placeholder", id="zeros"),
        pytest.param("４９０１５４２０３２３７５１８", r"digits only", id="fullwidth-digits"),
    ],
)
def test_invalid_imeis(text: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        normalize_imei(text)
    assert not is_valid_imei(text)


def test_missing_check_digit_can_be_allowed() -> None:
    assert normalize_imei("49015420323751", allow_missing_check_digit=True) == "490154203237518"


def test_identifier_error_is_a_value_error() -> None:
    assert issubclass(IdentifierError, ValueError)


@pytest.mark.parametrize(
    ("payload", "digit"),
    [
        pytest.param("49015420323751", 8, id="imei-1"),
        pytest.param("35693803564380", 9, id="imei-2"),
        pytest.param("7992739871", 3, id="wikipedia"),
        pytest.param("0", 0, id="zero"),
    ],
)
def test_luhn_check_digit(payload: str, digit: int) -> None:
    assert luhn_check_digit(payload) == digit
    assert is_luhn_valid(payload + str(digit))


@pytest.mark.parametrize("bad", ["", "12a4", "１２"], ids=["empty", "letter", "fullwidth"])
def test_luhn_check_digit_needs_digits(bad: str) -> None:
    with pytest.raises(IdentifierError, match="not a string of digits"):
        luhn_check_digit(bad)


@pytest.mark.parametrize("bad", ["", "7", "79927398710", "79927x98713"], ids=["empty", "one", "wrong", "letter"])
def test_luhn_invalid(bad: str) -> None:
    assert not is_luhn_valid(bad)


_fourteen = st.text(alphabet="0123456789", min_size=14, max_size=14).filter(lambda s: s != "0" * 14)


@settings(database=None)
@given(_fourteen)
def test_appending_the_check_digit_makes_a_valid_imei(payload: str) -> None:
    imei = payload + str(luhn_check_digit(payload))
    assert is_luhn_valid(imei)
    assert normalize_imei(imei) == imei


@settings(database=None)
@given(_fourteen, st.integers(min_value=0, max_value=14), st.integers(min_value=1, max_value=9))
def test_changing_any_single_digit_breaks_it(payload: str, position: int, delta: int) -> None:
    imei = payload + str(luhn_check_digit(payload))
    changed = imei[:position] + str((int(imei[position]) + delta) % 10) + imei[position + 1 :]
    assert not is_luhn_valid(changed)
    assert not is_valid_imei(changed)


@settings(database=None)
@given(_fourteen, st.sampled_from(["", "IMEI: ", "imei "]), st.sampled_from(["", " ", "-"]))
def test_normalize_imei_is_idempotent(payload: str, label: str, separator: str) -> None:
    imei = payload + str(luhn_check_digit(payload))
    once = normalize_imei(f"{label}{imei[:2]}{separator}{imei[2:8]}{separator}{imei[8:]}")
    assert normalize_imei(once) == once == imei


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("A10000009296F2", "A10000009296F2", id="hex"),
        pytest.param("a1000000 9296f2", "A10000009296F2", id="lower-and-space"),
        pytest.param("MEID: A1-000000-9296F2", "A10000009296F2", id="label"),
        pytest.param("270113177609606898", "A10000009296F2", id="decimal-form"),
    ],
)
def test_meid(text: str, expected: str) -> None:
    assert normalize_meid(text) == expected
    assert normalize_meid(expected) == expected


@pytest.mark.parametrize(
    "text",
    ["A10000009296F", "A10000009296G2", "999999999999999999", ""],
    ids=["13-hex", "not-hex", "decimal-out-of-range", "empty"],
)
def test_invalid_meid(text: str) -> None:
    with pytest.raises(IdentifierError, match="MEID"):
        normalize_meid(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("  c02xl0gyjgh5 ", "C02XL0GYJGH5", id="strip-upper"),
        pytest.param("R58M12ABCDE", "R58M12ABCDE", id="samsung"),
        pytest.param("5CD1234XYZ-01", "5CD1234XYZ-01", id="dash-kept"),
    ],
)
def test_normalize_serial(text: str, expected: str) -> None:
    assert normalize_serial(text) == expected
    assert normalize_serial(expected) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("   ", "cannot be empty", id="blank"),
        pytest.param("ABC 123", "contains whitespace", id="inner-space"),
        pytest.param("ABC\x00123", "non-printable", id="nul"),
        pytest.param("A" * 65, "65 characters", id="too-long"),
    ],
)
def test_invalid_serial(text: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        normalize_serial(text)


def test_serial_of_64_characters_is_accepted() -> None:
    assert normalize_serial("A" * 64) == "A" * 64


@settings(database=None)
@given(st.text(min_size=1, max_size=70))
def test_normalize_serial_is_idempotent(text: str) -> None:
    try:
        once = normalize_serial(text)
    except IdentifierError:
        return
    assert normalize_serial(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("C02XL0GYJGH5", True, id="12-char-2010s"),
        pytest.param("F17VN1ABHG7F", True, id="12-char-iphone"),
        pytest.param("W8812345ABC", True, id="11-char-legacy"),
        pytest.param("H6GWLQ9G2K", True, id="10-char-randomised"),
        pytest.param("c02xl0gyjgh5", True, id="lowercase"),
        pytest.param("C02AL0GYJGH5", False, id="12-char-vowel-year"),
        pytest.param("C02X00GYJGH5", False, id="12-char-zero-week"),
        pytest.param("W8860345ABC", False, id="11-char-week-60"),
        pytest.param("1234567890", False, id="10-digits"),
        pytest.param("C02XL0GYJG", True, id="10-alnum"),
        pytest.param("C02XL0GYJGH5X", False, id="13-char"),
        pytest.param("R58M12-BCDE", False, id="dash"),
    ],
)
def test_is_apple_serial(text: str, expected: bool) -> None:
    assert is_apple_serial(text) is expected


@pytest.mark.parametrize(
    ("scan", "kind", "value"),
    [
        pytest.param("490154203237518", IdentifierKind.IMEI, "490154203237518", id="imei"),
        pytest.param("IMEI: 35 693803 564380 9", IdentifierKind.IMEI, "356938035643809", id="imei-label"),
        pytest.param("a10000009296f2", IdentifierKind.MEID, "A10000009296F2", id="meid"),
        pytest.param("c02xl0gyjgh5", IdentifierKind.SERIAL, "C02XL0GYJGH5", id="apple-serial"),
        pytest.param("4901542032375180", IdentifierKind.SERIAL, "4901542032375180", id="16-digits"),
        pytest.param("5CD1234XYZ", IdentifierKind.SERIAL, "5CD1234XYZ", id="hp-serial"),
    ],
)
def test_classify(scan: str, kind: IdentifierKind, value: str) -> None:
    assert classify_identifier(scan) == (kind, value)


def test_classify_refuses_a_mistyped_imei() -> None:
    with pytest.raises(IdentifierError, match="fails the Luhn check"):
        classify_identifier("490154203237519")


def test_classify_refuses_an_empty_scan() -> None:
    with pytest.raises(IdentifierError, match="empty"):
        classify_identifier("  ")

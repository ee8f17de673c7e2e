"""The partner's lot CSV: the formats partners send, every bad line reported with its number, never a crash."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.rules.lot_csv import CsvLine, parse_lot_csv, parse_price, parse_storage

IMEI = "356938035643809"
IMEI2 = "490154203237518"


def _only(text: str | bytes) -> CsvLine:
    parsed = parse_lot_csv(text)
    assert parsed.problems == (), parsed.problems
    assert len(parsed.lines) == 1
    return parsed.lines[0]


FORMATS = [
    pytest.param(
        "model,storage,condition,price,currency,imei,charger\niPhone 12,128,excellent,300.00,EUR,356938035643809,yes\n",
        ",",
        ("iPhone 12", 128, "excellent", Decimal("300.00"), "EUR", IMEI, True),
        id="english-comma",
    ),
    pytest.param(
        "\ufeffModèle;Stockage;État;Prix;Devise;IMEI;Chargeur\r\niPhone 12;128 Go;Très bon état;299,90;EUR;"
        "35-693803-564380-9;non\r\n",
        ";",
        ("iPhone 12", 128, "very_good", Decimal("299.90"), "EUR", IMEI, False),
        id="french-excel-bom-crlf",
    ),
    pytest.param(
        "Modèle;Stockage;État;Prix\niPhone 12;1 To;Bon état;1 299,00 €\n".encode("cp1252"),
        ";",
        ("iPhone 12", 1000, "good", Decimal("1299.00"), "EUR", None, None),
        id="windows-1252-thousands-and-euro-sign",
    ),
    pytest.param(
        'model,condition,price\n"iPhone 12",fair,"1.299,50"\n'.encode("utf-8-sig"),
        ",",
        ("iPhone 12", None, "fair", Decimal("1299.50"), "EUR", None, None),
        id="quoted-european-price-in-comma-file",
    ),
    pytest.param(
        "Model\tGrade\tPrice\tCurrency\tSerial\nMacBook Air M1\tPremium\t$650\tUSD\tC02XK0ABHG7F\n",
        "\t",
        ("MacBook Air M1", None, "premium", Decimal("650.00"), "USD", "C02XK0ABHG7F", None),
        id="tab-dollar-serial",
    ),
    pytest.param(
        "\n\nMODEL ; CONDITION ; PRICE ; IMEI/Serial\n  iPhone   12 ; very good ; 12 ; \n\n",
        ";",
        ("iPhone 12", None, "very_good", Decimal("12.00"), "EUR", None, None),
        id="blank-lines-spaces-and-empty-identifier",
    ),
]


@pytest.mark.parametrize(("text", "delimiter", "expected"), FORMATS)
def test_formats_partners_send(text: str | bytes, delimiter: str, expected: tuple[object, ...]) -> None:
    line = _only(text)
    assert (
        line.model,
        line.storage_gb,
        line.grade,
        line.quoted_price,
        line.currency,
        line.identifier,
        line.has_charger,
    ) == expected
    assert parse_lot_csv(text).delimiter == delimiter


BAD = [
    pytest.param("model;condition;price\niPhone 12;good;abc\n", 2, "is not an amount", id="price-text"),
    pytest.param("model;condition;price\niPhone 12;good;1,299\n", 2, "ambiguous", id="price-ambiguous"),
    pytest.param("model;condition;price\niPhone 12;good;12.345\n", 2, "ambiguous", id="price-3-decimals"),
    pytest.param("model;condition;price\niPhone 12;shiny;12\n", 2, "not a grade", id="grade"),
    pytest.param("model;condition;price\n;good;12\n", 2, "no model", id="model-missing"),
    pytest.param("model;condition;price\niPhone 12;;12\n", 2, "no condition", id="condition-missing"),
    pytest.param("model;condition;price\niPhone 12;good;\n", 2, "no price", id="price-missing"),
    pytest.param("model;condition;price;imei\niPhone 12;good;12;356938035643800\n", 2, "Luhn", id="bad-luhn"),
    pytest.param("model;condition;price;storage\niPhone 12;good;12;lots\n", 2, "storage", id="storage"),
    pytest.param("model;condition;price;charger\niPhone 12;good;12;maybe\n", 2, "charger", id="charger"),
    pytest.param("model;condition;price;currency\niPhone 12;good;12;euros\n", 2, "currency", id="currency"),
    pytest.param("model;condition;price;currency\niPhone 12;good;12 €;USD\n", 2, "price in EUR", id="currencies"),
    pytest.param("model,condition,price\niPhone 12,good,299,90\n", 2, "decimal comma", id="unquoted-decimal-comma"),
    pytest.param("name;price\nx;1\n", 1, "missing column(s) model, grade", id="header"),
    pytest.param("model;grade;condition;price\n", 1, "two columns mean grade", id="header-twice"),
    pytest.param("", 1, "empty", id="empty"),
    pytest.param("model;condition;price\n", 1, "no declared device", id="header-only"),
    pytest.param('model;condition;price\n"iPhone;good;1\n', 2, "unreadable CSV", id="unclosed-quote"),
    pytest.param(
        f"model;condition;price;imei\niPhone 12;good;1;{IMEI}\n\niPhone 12;good;1;{IMEI}\n",
        4,
        "already declared on line 2",
        id="duplicate-identifier",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_bad_lines_are_reported_with_their_line_number(text: str, line: int, message: str) -> None:
    parsed = parse_lot_csv(text)
    assert not parsed.ok
    assert any(problem.line == line and message in problem.message for problem in parsed.problems), parsed.problems


def test_every_bad_line_is_reported_not_just_the_first() -> None:
    text = f"model;condition;price;imei\niPhone 12;good;10;{IMEI}\nPixel 7;awful;x;\nPixel 8;good;5;{IMEI2}\n;good;1;\n"
    parsed = parse_lot_csv(text)
    assert [(p.line, p.message) for p in parsed.problems] == [
        (3, "condition 'awful' is not a grade (known: Premium, Excellent, Very good, Good, Fair, or the French names)"),
        (3, "price: 'x' is not an amount"),
        (5, "no model"),
    ]
    assert [line.source_line for line in parsed.lines] == [2, 4]
    assert not parsed.ok


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        pytest.param("300", Decimal("300.00"), None, id="integer"),
        pytest.param("299,9", Decimal("299.90"), None, id="decimal-comma"),
        pytest.param("1\u202f299,00", Decimal("1299.00"), None, id="narrow-nbsp"),
        pytest.param("1,299.50", Decimal("1299.50"), None, id="english-thousands"),
        pytest.param("1.299.000", Decimal("1299000.00"), None, id="many-groups"),
        pytest.param("EUR 12", Decimal("12.00"), "EUR", id="code-first"),
        pytest.param("12 gbp", Decimal("12.00"), "GBP", id="code-last"),
        pytest.param("£12", Decimal("12.00"), "GBP", id="pound"),
    ],
)
def test_prices(text: str, amount: Decimal, currency: str | None) -> None:
    assert parse_price(text) == (amount, currency)


@pytest.mark.parametrize("text", ["-5", "12,", ".5", "1.2.3,4", "12,345,6", "EUR 12 USD", "€ 12 USD", "1e5", "12.345"])
def test_prices_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each has its own message
        parse_price(text)


@pytest.mark.parametrize(
    ("text", "gb"),
    [("", None), ("64", 64), ("256 GB", 256), ("512go", 512), ("2 TB", 2000), ("128,0 Go", 128)],
)
def test_storage(text: str, gb: int | None) -> None:
    assert parse_storage(text) == gb


@given(st.text(max_size=400))
def test_never_crashes_on_random_text(text: str) -> None:
    parsed = parse_lot_csv(text)
    assert parsed.ok == (not parsed.problems and bool(parsed.lines))
    assert all(problem.line >= 1 for problem in parsed.problems)


@given(st.binary(max_size=400))
def test_never_crashes_on_random_bytes(data: bytes) -> None:
    parse_lot_csv(data)


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@given(st.lists(st.lists(_cell, min_size=1, max_size=8), max_size=6), st.sampled_from([",", ";", "\t"]))
def test_never_crashes_on_random_rows_under_a_real_header(rows: list[list[str]], delimiter: str) -> None:
    header = delimiter.join(["model", "storage", "condition", "price", "currency", "imei", "charger"])
    body = "\n".join(delimiter.join(row) for row in rows)
    parsed = parse_lot_csv(header + "\n" + body)
    for line in parsed.lines:
        assert line.quoted_price >= 0
        assert line.model


@given(
    st.sampled_from(["premium", "excellent", "very good", "good", "fair"]),
    st.decimals(min_value=0, max_value=99_999, places=2, allow_nan=False, allow_infinity=False),
    st.booleans(),
)
def test_any_valid_price_round_trips_in_both_conventions(grade: str, price: Decimal, french: bool) -> None:
    text = f"{price:.2f}".replace(".", ",") if french else f"{price:.2f}"
    delimiter = ";" if french else ","
    line = _only(f"model{delimiter}condition{delimiter}price\niPhone 12{delimiter}{grade}{delimiter}{text}\n")
    assert line.quoted_price == price

"""The pure mapping from an approved device to a listing: SKU, grade, price list, product map, refusals."""

from __future__ import annotations

import contextlib
import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.marketplace import (
    EBAY_CONDITION,
    BackMarketGrade,
    DeviceFacts,
    ListingDraft,
    ListingRefused,
    aggregate_quantities,
    catalog_row,
    draft_listing,
    load_price_list,
    load_product_map,
    parse_price_list,
    parse_product_map,
    sku_for,
)
from audit.readings import BatteryReading, CapacityUnit, DeviceFamily
from audit.rules.channels import load_channel
from audit.rules.errors import RuleDataError
from audit.rules.grading import CosmeticGrade


@pytest.mark.parametrize(
    ("model", "storage", "colour", "grade", "sku"),
    [
        pytest.param("iPhone 12", 128_000_000_000, "Blue", "premium", "IPHONE-12-128GB-BLUE-PREMIUM", id="iphone"),
        pytest.param("Galaxy S21", 128_000_000_000, "Phantom Grey", "very_good",
                     "GALAXY-S21-128GB-PHANTOM-GREY-VERY-GOOD", id="spaces-underscores"),
        pytest.param("iPhone SE (2nd generation)", 64_000_000_000, "White", "good",
                     "IPHONE-SE-2ND-GENERATION-64GB-WHITE-GOOD", id="brackets"),
        pytest.param("Pixel 7", None, None, None, "PIXEL-7-NA-NA-NA", id="unknowns"),
        pytest.param("iPhone 12", 127_600_000_000, "blue", "PREMIUM", "IPHONE-12-128GB-BLUE-PREMIUM", id="stable-case"),
    ],
)  # fmt: skip
def test_sku_convention(model: str, storage: int | None, colour: str | None, grade: str | None, sku: str) -> None:
    assert sku_for(model, storage, colour, grade) == sku


@given(st.text(max_size=40), st.integers(min_value=0, max_value=4_000_000_000_000), st.text(max_size=20))
def test_skus_are_always_back_market_safe(model: str, storage: int, colour: str) -> None:
    sku = sku_for(model, storage, colour, "good")
    assert sku == sku.upper()
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in sku)
    assert "--" not in sku


@pytest.mark.parametrize(
    ("grade", "bm", "state", "ebay"),
    [
        pytest.param(CosmeticGrade.PREMIUM, "PREMIUM", 9, 2000, id="premium"),
        pytest.param(CosmeticGrade.EXCELLENT, "EXCELLENT", 0, 2010, id="excellent"),
        pytest.param(CosmeticGrade.VERY_GOOD, "VERY_GOOD", 1, 2020, id="very-good"),
        pytest.param(CosmeticGrade.GOOD, "GOOD", 2, 2030, id="good"),
        pytest.param(CosmeticGrade.FAIR, "FAIR", 3, 2030, id="fair"),
    ],
)
def test_grade_mapping(grade: CosmeticGrade, bm: str, state: int, ebay: int) -> None:
    mapped = BackMarketGrade.of(grade)
    assert (mapped.value, mapped.state, EBAY_CONDITION[mapped]) == (bm, state, ebay)


HEADER = "model,storage_gb,grade,price,min_price,currency\n"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        pytest.param("model,price\n", "header must be", id="header"),
        pytest.param(HEADER + "iPhone 12,128,PREMIUM,abc,1,EUR\n", "not a number", id="price-nan"),
        pytest.param(HEADER + "iPhone 12,128,PREMIUM,-5,1,EUR\n", "positive", id="negative"),
        pytest.param(HEADER + "iPhone 12,128,PREMIUM,5.001,1,EUR\n", "two decimals", id="decimals"),
        pytest.param(HEADER + "iPhone 12,128,PREMIUM,100,120,EUR\n", "above the price", id="floor-above"),
        pytest.param(HEADER + "iPhone 12,128,MINT,100,90,EUR\n", "unknown grade", id="grade"),
        pytest.param(HEADER + "iPhone 12,0,GOOD,100,90,EUR\n", "storage_gb", id="storage"),
        pytest.param(HEADER + "iPhone 12,128,GOOD,100,90,XXX\n", "currency", id="currency"),
        pytest.param(HEADER + "iPhone 12,128,GOOD,100,90,EUR\niphone  12,128,good,1,1,EUR\n", "twice", id="dup"),
        pytest.param(HEADER + "iPhone 12,128,GOOD,100\n", "columns", id="short-row"),
        pytest.param(HEADER + ",128,GOOD,100,90,EUR\n", "model is empty", id="no-model"),
    ],
)
def test_price_list_errors_name_the_line(text: str, error: str) -> None:
    with pytest.raises(RuleDataError, match=error):
        parse_price_list(text, "prices.csv")


def test_price_list_lookup_ignores_case_and_spacing() -> None:
    prices = parse_price_list(HEADER + "iPhone 12,128,very good,439.00,390.00,EUR\n")
    entry = prices.lookup("IPHONE  12", 128, CosmeticGrade.VERY_GOOD)
    assert entry is not None
    assert (entry.price, entry.min_price, entry.currency) == (Decimal("439.00"), Decimal("390.00"), "EUR")
    assert prices.lookup("iPhone 12", 64, CosmeticGrade.VERY_GOOD) is None


@given(st.text(max_size=200))
def test_price_list_parser_never_crashes_on_garbage(text: str) -> None:
    with contextlib.suppress(RuleDataError):
        parse_price_list(HEADER + text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        pytest.param("model,storage_gb,colour,product_id\niPhone 12,128,Blue,nope\n", "not a UUID", id="uuid"),
        pytest.param("model,storage_gb,colour,product_id\niPhone 12,128,,1fabb3df-c319-5f97-bc13-1b143eef012c\n",
                     "cannot be empty", id="colour"),
    ],
)  # fmt: skip
def test_product_map_errors(text: str, error: str) -> None:
    with pytest.raises(RuleDataError, match=error):
        parse_product_map(text)


def test_the_packaged_examples_load() -> None:
    assert load_price_list().lookup("iPhone 12", 128, CosmeticGrade.PREMIUM) is not None
    assert load_product_map().lookup("iPhone 13", 128, "Midnight") is not None


def _facts(**changes: object) -> DeviceFacts:
    facts = DeviceFacts(
        label="Apple iPhone 12 (356938035643809)",
        family=DeviceFamily.IPHONE,
        model="iPhone 12",
        storage_bytes=128_000_000_000,
        colour="Blue",
        state="approved",
        lock_verdict="clear",
        battery=BatteryReading("t", 2815.0, 2562.0, CapacityUnit.MAH, 312, 91.0),
        grade=CosmeticGrade.PREMIUM,
        channel=load_channel("backmarket_pro"),
    )
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


def test_an_approved_clear_device_becomes_a_listing() -> None:
    draft = draft_listing(_facts(), load_price_list(), load_product_map())
    assert isinstance(draft, ListingDraft)
    assert draft.sku == "IPHONE-12-128GB-BLUE-PREMIUM"
    assert (draft.grade, draft.state, draft.price, draft.min_price, draft.currency) == (
        BackMarketGrade.PREMIUM, 9, Decimal("529.00"), Decimal("470.00"), "EUR",
    )  # fmt: skip
    assert draft.warranty_months >= 12
    assert catalog_row(draft) == {
        "sku": "IPHONE-12-128GB-BLUE-PREMIUM",
        "product_id": "1fabb3df-c319-5f97-bc13-1b143eef012c",
        "quantity": "1",
        "price": "529.00",
        "min_price": "470.00",
        "currency": "EUR",
        "grade": "PREMIUM",
        "state": "9",
        "warranty_delay": "12",
        "comment": "",
    }


@pytest.mark.parametrize(
    ("changes", "market", "reason"),
    [
        pytest.param({"state": "certified"}, "fr-fr", "it is certified, not approved", id="not-approved"),
        pytest.param({"lock_verdict": "locked"}, "fr-fr", "locks locked", id="locked"),
        pytest.param({"lock_verdict": None}, "fr-fr", "locks not checked", id="locks-unread"),
        pytest.param({"battery": BatteryReading("t", 2815.0, 2336.0, CapacityUnit.MAH, 312, 83.0)}, "fr-fr",
                     "battery replace for Back Market Pro", id="battery-pro"),
        pytest.param({"battery": None}, "fr-fr", "battery never read", id="battery-unread"),
        pytest.param({"grade": None}, "fr-fr", "no sellable cosmetic grade", id="no-grade"),
        pytest.param({"model": "Nokia 3310"}, "fr-fr", "no price for Nokia 3310", id="no-price"),
        pytest.param({"colour": "Purple"}, "fr-fr", "no Back Market product", id="no-product"),
        pytest.param({}, "en-gb", "sells in GBP", id="currency"),
        pytest.param({}, "xx-xx", "unknown market", id="market"),
    ],
)  # fmt: skip
def test_refusals_say_why(changes: dict[str, object], market: str, reason: str) -> None:
    refused = draft_listing(_facts(**changes), load_price_list(), load_product_map(), market=market)
    assert isinstance(refused, ListingRefused)
    assert reason in refused.reason
    assert refused.reason.startswith("cannot list Apple iPhone 12")


def test_the_channel_decides_the_battery_rule() -> None:
    battery = BatteryReading("t", 2815.0, 2336.0, CapacityUnit.MAH, 312, 83.0)
    facts = _facts(battery=battery, channel=load_channel("backmarket"))
    assert isinstance(draft_listing(facts, load_price_list(), load_product_map()), ListingDraft)


def test_quantities_add_up_per_market_and_sku() -> None:
    draft = draft_listing(_facts(), load_price_list(), load_product_map())
    assert isinstance(draft, ListingDraft)
    other = dataclasses.replace(draft, sku=draft.sku.lower())
    german = dataclasses.replace(draft, market="de-de")
    lines = aggregate_quantities([draft, other, german, draft])
    assert [(line.market, line.quantity) for line in lines] == [("fr-fr", 3), ("de-de", 1)]


def test_the_station_price_list_and_product_map_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.marketplace import load_price_list, load_product_map

    prices = tmp_path / "prices.csv"
    prices.write_text("model,storage_gb,grade,price,min_price,currency\nPixel 8,128,GOOD,333.00,300.00,EUR\n", "utf-8")
    products = tmp_path / "products.csv"
    products.write_text(
        "model,storage_gb,colour,product_id\nPixel 8,128,Obsidian,0b9a0d34-6f0e-4b7e-9a1f-2f0a2b9b1c11\n", "utf-8"
    )
    monkeypatch.setenv("REFURB_PRICE_LIST", str(prices))
    monkeypatch.setenv("REFURB_PRODUCT_MAP", str(products))
    assert load_price_list().source == str(prices)
    assert load_product_map().lookup("Pixel 8", 128, "Obsidian") == "0b9a0d34-6f0e-4b7e-9a1f-2f0a2b9b1c11"
    monkeypatch.setenv("REFURB_PRICE_LIST", str(tmp_path / "missing.csv"))
    with pytest.raises(RuleDataError, match="cannot read"):
        load_price_list()

import copy
import json
from importlib import resources
from typing import Any

import pytest

from audit.rules.calendar import add_months
from audit.rules.channels import (
    DEFAULT_CHANNEL_NAME,
    RuleDataError,
    SalesChannel,
    channel_names,
    load_channel,
    parse_channels,
)


def _document() -> dict[str, Any]:
    text = resources.files("resources").joinpath("channels.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def test_default_channel_is_back_market_pro_with_the_faq_thresholds() -> None:
    channel = load_channel()
    assert channel.name == DEFAULT_CHANNEL_NAME == "backmarket_pro"
    assert channel.battery_sellable_min_soh == 85.0
    assert channel.battery_worn_below_soh == 80.0
    assert channel.phone_cycle_flag == 500
    assert channel.laptop_cycle_flag == 1000
    assert channel.warranty_months == 12
    assert channel.quote_validity_months == 1
    assert channel.tradein is not None


def test_public_back_market_sells_from_80_percent() -> None:
    assert load_channel("backmarket").battery_sellable_min_soh == 80.0


def test_known_channels() -> None:
    assert {"backmarket_pro", "backmarket", "ebay"} <= set(channel_names())
    for name in channel_names():
        assert load_channel(name).name == name


def test_unknown_channel_lists_the_known_ones() -> None:
    with pytest.raises(RuleDataError, match=r"unknown sales channel 'amazon' \(known: backmarket_pro"):
        load_channel("amazon")


def _broken(path: tuple[str, ...], value: object) -> dict[str, Any]:
    data = copy.deepcopy(_document())
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        pytest.param(
            ("channels", "backmarket_pro", "battery_sellable_min_soh"),
            "85",
            r"battery_sellable_min_soh must be a number, got '85'",
            id="soh-as-text",
        ),
        pytest.param(
            ("channels", "backmarket_pro", "battery_sellable_min_soh"),
            120,
            r"battery_sellable_min_soh must be between 0.0 and 100, got 120",
            id="soh-above-100",
        ),
        pytest.param(
            ("channels", "backmarket_pro", "battery_worn_below_soh"),
            90,
            r"worn-below SoH \(90.0\) <= sellable SoH \(85.0\)",
            id="worn-above-sellable",
        ),
        pytest.param(
            ("channels", "backmarket_pro", "phone_cycle_flag"),
            0,
            r"phone_cycle_flag must be a whole number >= 1, got 0",
            id="zero-cycles",
        ),
        pytest.param(
            ("channels", "backmarket_pro", "warranty_months"),
            KeyError,
            r"channels.backmarket_pro: missing key 'warranty_months'",
            id="missing-key",
        ),
        pytest.param(
            ("channels", "backmarket_pro", "warranty_month"),
            12,
            r"unknown key\(s\) 'warranty_month'",
            id="misspelt-key",
        ),
        pytest.param(
            ("channels", "backmarket_pro", "tradein", "battery_percent", "worn"),
            KeyError,
            r"battery_percent: missing key 'worn'",
            id="tradein-battery-incomplete",
        ),
        pytest.param(
            ("channels", "backmarket_pro"),
            KeyError,
            r"default channel 'backmarket_pro' is missing",
            id="no-default",
        ),
    ],
)
def test_bad_channel_data_is_rejected_with_a_clear_message(path: tuple[str, ...], value: object, message: str) -> None:
    with pytest.raises(RuleDataError, match=message):
        parse_channels(_broken(path, value))


def test_a_channel_built_in_code_is_checked_too() -> None:
    with pytest.raises(RuleDataError, match="worn-below SoH"):
        SalesChannel("x", "X", 80.0, 85.0, 500, 1000, 12, 1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param("2026-01-31", 12, "2027-01-31", id="same-day-next-year"),
        pytest.param("2024-02-29", 12, "2025-02-28", id="leap-day-clamped"),
        pytest.param("2028-02-29", 48, "2032-02-29", id="leap-to-leap"),
        pytest.param("2026-01-31", 1, "2026-02-28", id="end-of-january-plus-one"),
        pytest.param("2028-01-31", 1, "2028-02-29", id="end-of-january-leap-year"),
        pytest.param("2026-03-31", 1, "2026-04-30", id="thirty-day-month"),
        pytest.param("2026-12-15", 1, "2027-01-15", id="year-wrap"),
        pytest.param("2026-05-10", 0, "2026-05-10", id="zero"),
        pytest.param("2026-03-31", -1, "2026-02-28", id="backwards"),
    ],
)
def test_add_months(start: str, months: int, expected: str) -> None:
    from datetime import date

    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)

"""The documents' catalogue: complete in both languages, and the formats French and English readers expect."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.lifecycle import DeviceState
from audit.readings import (
    DefectKind,
    DefectSeverity,
    DefectZone,
    DeviceFamily,
    ErasureStatus,
    LockKind,
    LockState,
    MeasuredBy,
    NistLevel,
    TestOutcome,
    VerificationResult,
)
from audit.rules.battery import BatteryVerdict
from audit.rules.functional import load_test_plan
from audit.rules.grading import CosmeticGrade
from audit.rules.locks import LockVerdict
from audit.rules.tradein import ReconciliationStatus
from reports.i18n import CATALOGUE, NBSP, Locale, UnknownLanguage

EN, FR = Locale("en"), Locale("fr")


def test_every_entry_has_both_languages_with_the_same_placeholders() -> None:
    for key, (english, french) in CATALOGUE.items():
        assert english.strip(), key
        assert french.strip(), key
        assert set(re.findall(r"{(\w+)}", english)) == set(re.findall(r"{(\w+)}", french)), key


@pytest.mark.parametrize(
    ("group", "values"),
    [
        ("grade", [g.value for g in CosmeticGrade]),
        ("lock_kind", [k.value for k in LockKind]),
        ("lock_state", [s.value for s in LockState]),
        ("lock_verdict", [v.value for v in LockVerdict]),
        ("battery_verdict", [v.value for v in BatteryVerdict]),
        ("outcome", [o.value for o in TestOutcome]),
        ("measured_by", [m.value for m in MeasuredBy]),
        ("zone", [z.value for z in DefectZone]),
        ("defect", [k.value for k in DefectKind]),
        ("severity", [s.value for s in DefectSeverity]),
        ("nist", [n.value for n in NistLevel]),
        ("erasure_status", [s.value for s in ErasureStatus]),
        ("verification_result", [v.value for v in VerificationResult]),
        ("status", [s.value for s in ReconciliationStatus] + ["pending"]),
        ("device_state", [s.value for s in DeviceState]),
        ("family", [f.value for f in DeviceFamily]),
        ("test", sorted({s.test_id for f in DeviceFamily for s in load_test_plan(f).steps})),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_every_recorded_value_has_words(group: str, values: list[str]) -> None:
    missing = [value for value in values if f"{group}.{value}" not in CATALOGUE]
    assert missing == []


@pytest.mark.parametrize(
    ("lang", "amount", "expected"),
    [
        ("en", Decimal("1234.5"), "€1,234.50"),
        ("fr", Decimal("1234.5"), f"1{NBSP}234,50{NBSP}€"),
        ("en", Decimal("-3"), "-€3.00"),
        ("fr", Decimal("0.005"), f"0,01{NBSP}€"),
        ("en", Decimal("123456789.99"), "€123,456,789.99"),
    ],
    ids=["en", "fr", "en-negative", "fr-rounds-half-up", "en-millions"],
)
def test_money(lang: str, amount: Decimal, expected: str) -> None:
    assert Locale(lang).money(amount, "EUR") == expected


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("en", date(2026, 11, 1), "1 November 2026"),
        ("fr", date(2026, 11, 1), "1er novembre 2026"),
        ("fr", date(2026, 8, 15), "15 août 2026"),
        ("fr", datetime(2026, 2, 3, 23, 30, tzinfo=UTC), "3 février 2026"),
    ],
    ids=["en", "fr-first", "fr-accent", "fr-datetime"],
)
def test_dates(lang: str, value: date, expected: str) -> None:
    assert Locale(lang).date(value) == expected


def test_datetime_and_percent_and_storage() -> None:
    moment = datetime(2026, 11, 21, 14, 5, tzinfo=UTC)
    assert EN.datetime(moment) == "21 November 2026, 14:05 UTC"
    assert FR.datetime(moment) == "21 novembre 2026 à 14:05 UTC"
    assert (EN.percent(91.04), FR.percent(91.05)) == ("91.0%", f"91,1{NBSP}%")
    assert (EN.percent(None), FR.percent(None)) == ("unknown", "inconnu")
    assert (EN.storage(128), FR.storage(1000)) == (f"128{NBSP}GB", f"1{NBSP}To")
    assert (EN.duration(185), FR.duration(3725)) == ("3 min 05 s", f"1{NBSP}h{NBSP}02{NBSP}min")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_french_numbers_read_back(value: Decimal) -> None:
    text = FR.number(value, 2)
    assert Decimal(text.replace(NBSP, "").replace(",", ".")) == value
    assert Decimal(EN.number(value, 2).replace(",", "")) == value


def test_unknown_words_show_as_recorded_and_unknown_languages_are_refused() -> None:
    assert FR.value("grade", "mint_condition") == "mint condition"
    assert FR.test_title("thermal_camera", "Thermal camera") == "Thermal camera"
    with pytest.raises(UnknownLanguage):
        Locale("de")
    with pytest.raises(KeyError):
        EN.t("no.such.key")

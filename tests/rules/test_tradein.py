import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from audit.readings import DeviceFamily
from audit.rules.battery import BatteryVerdict
from audit.rules.channels import load_channel
from audit.rules.errors import RuleDataError, RuleInputError
from audit.rules.functional import FunctionalVerdict
from audit.rules.grading import CosmeticGrade
from audit.rules.locks import LockVerdict
from audit.rules.tradein import (
    AuditedDevice,
    DeclaredDevice,
    ReconciliationStatus,
    quote_expires_on,
    reconcile,
)

PRO = load_channel()
QUOTED_ON = date(2026, 1, 31)
AUDITED_ON = date(2026, 2, 10)
Status = ReconciliationStatus


def _declared(**changes: Any) -> DeclaredDevice:
    base = DeclaredDevice(
        model="iPhone 13 Pro",
        storage_gb=256,
        grade="very_good",
        quoted_price=Decimal("400.00"),
        currency="EUR",
        imei_or_serial="490154203237518",
        has_charger=None,
    )
    return dataclasses.replace(base, **changes)


def _audited(**changes: Any) -> AuditedDevice:
    base = AuditedDevice(
        model="iPhone 13 Pro",
        storage_gb=256,
        grade=CosmeticGrade.VERY_GOOD,
        lock_verdict=LockVerdict.CLEAR,
        battery_verdict=BatteryVerdict.SELLABLE,
        functional_verdict=FunctionalVerdict.FUNCTIONAL,
        family=DeviceFamily.IPHONE,
        has_charger=None,
    )
    return dataclasses.replace(base, **changes)


def _laptop(**changes: Any) -> AuditedDevice:
    return _audited(model="MacBook Air M1", family=DeviceFamily.LAPTOP, **changes)


@pytest.mark.parametrize(
    ("declared", "audited", "status", "price", "reason"),
    [
        pytest.param(_declared(), _audited(), Status.MATCH, "400.00", "matches the declaration", id="match"),
        pytest.param(
            _declared(),
            _audited(grade=CosmeticGrade.EXCELLENT),
            Status.MATCH,
            "400.00",
            "matches",
            id="better-grade",
        ),
        pytest.param(
            _declared(),
            _audited(grade=CosmeticGrade.GOOD),
            Status.ADJUSTED,
            "360.00",
            "1 grade step",
            id="one-step",
        ),
        pytest.param(
            _declared(),
            _audited(grade=CosmeticGrade.FAIR),
            Status.ADJUSTED,
            "320.00",
            "2 grade step",
            id="two-steps",
        ),
        pytest.param(
            _declared(grade="premium"),
            _audited(grade=CosmeticGrade.FAIR),
            Status.ADJUSTED,
            "240.00",
            "4 grade step",
            id="premium-to-fair",
        ),
        pytest.param(
            _declared(),
            _audited(battery_verdict=BatteryVerdict.REPLACE),
            Status.ADJUSTED,
            "360.00",
            "battery replace",
            id="battery-replace",
        ),
        pytest.param(
            _declared(),
            _audited(battery_verdict=BatteryVerdict.WORN),
            Status.ADJUSTED,
            "340.00",
            "battery worn",
            id="battery-worn",
        ),
        pytest.param(
            _declared(),
            _audited(battery_verdict=BatteryVerdict.UNKNOWN),
            Status.ADJUSTED,
            "340.00",
            "battery unknown",
            id="battery-unknown",
        ),
        pytest.param(
            _declared(),
            _audited(storage_gb=128),
            Status.ADJUSTED,
            "320.00",
            "storage 128 GB",
            id="less-storage",
        ),
        pytest.param(_declared(), _audited(storage_gb=512), Status.MATCH, "400.00", "matches", id="more-storage"),
        pytest.param(
            _declared(),
            _audited(storage_gb=None),
            Status.MATCH,
            "400.00",
            "storage not read",
            id="storage-unread",
        ),
        pytest.param(
            _declared(model="MacBook Air M1", has_charger=True),
            _laptop(has_charger=False),
            Status.ADJUSTED,
            "360.00",
            "charger missing",
            id="laptop-without-charger",
        ),
        pytest.param(
            _declared(model="MacBook Air M1", has_charger=None),
            _laptop(has_charger=False),
            Status.ADJUSTED,
            "360.00",
            "charger missing",
            id="laptop-charger-undeclared",
        ),
        pytest.param(
            _declared(model="MacBook Air M1", has_charger=False),
            _laptop(has_charger=False),
            Status.MATCH,
            "400.00",
            "matches",
            id="laptop-declared-without-charger",
        ),
        pytest.param(
            _declared(model="MacBook Air M1", has_charger=True),
            _laptop(has_charger=None),
            Status.MATCH,
            "400.00",
            "charger presence not recorded",
            id="laptop-charger-unrecorded",
        ),
        pytest.param(
            _declared(has_charger=True),
            _audited(has_charger=False),
            Status.MATCH,
            "400.00",
            "matches",
            id="phone-charger-not-required",
        ),
        pytest.param(
            _declared(model="iphone  13 PRO"),
            _audited(),
            Status.MATCH,
            "400.00",
            "matches",
            id="model-spelling",
        ),
        pytest.param(
            _declared(grade="excellent", quoted_price=Decimal("333.33")),
            _audited(grade=CosmeticGrade.GOOD, battery_verdict=BatteryVerdict.WORN, storage_gb=128),
            Status.ADJUSTED,
            "150.00",
            "total adjustment -55 %",
            id="adjustments-add-up",
        ),
        pytest.param(
            _declared(quoted_price=Decimal("0.05")),
            _audited(grade=CosmeticGrade.GOOD),
            Status.ADJUSTED,
            "0.05",
            "1 grade step",
            id="half-cent-rounds-up",
        ),
    ],
)
def test_adjustments(
    declared: DeclaredDevice, audited: AuditedDevice, status: ReconciliationStatus, price: str, reason: str
) -> None:
    result = reconcile(declared, audited, quoted_on=QUOTED_ON, audited_on=AUDITED_ON, channel=PRO)
    assert result.status is status
    assert result.quoted_price == declared.quoted_price
    assert result.adjusted_price == Decimal(price)
    assert result.adjusted_price is not None
    assert result.adjusted_price.as_tuple().exponent == -2
    assert any(reason in line for line in result.reasons), result.reasons


@pytest.mark.parametrize(
    ("audited", "status", "reason"),
    [
        pytest.param(_audited(lock_verdict=LockVerdict.LOCKED), Status.REFUSED, "cannot be valued", id="locked"),
        pytest.param(
            _audited(lock_verdict=LockVerdict.UNKNOWN),
            Status.AUDIT_INCOMPLETE,
            "locks not fully",
            id="lock-unknown",
        ),
        pytest.param(
            _audited(functional_verdict=FunctionalVerdict.INCOMPLETE),
            Status.AUDIT_INCOMPLETE,
            "functional tests incomplete",
            id="functional-incomplete",
        ),
        pytest.param(
            _audited(functional_verdict=FunctionalVerdict.NOT_FUNCTIONAL),
            Status.REQUOTE,
            "not functional",
            id="not-functional",
        ),
        pytest.param(_audited(model="iPhone 12"), Status.REQUOTE, "model mismatch", id="model-mismatch"),
        pytest.param(_audited(grade=None), Status.REQUOTE, "not sellable as is", id="not-sellable"),
        pytest.param(
            _audited(lock_verdict=LockVerdict.LOCKED, model="iPhone 12"),
            Status.REFUSED,
            "model mismatch",
            id="locked-beats-requote-but-lists-it",
        ),
    ],
)
def test_statuses_without_a_price(audited: AuditedDevice, status: ReconciliationStatus, reason: str) -> None:
    result = reconcile(_declared(), audited, quoted_on=QUOTED_ON, audited_on=AUDITED_ON, channel=PRO)
    assert result.status is status
    assert result.adjusted_price is None
    assert any(reason in line for line in result.reasons), result.reasons


@pytest.mark.parametrize(
    ("quoted_on", "audited_on", "expired"),
    [
        pytest.param(date(2026, 1, 15), date(2026, 2, 15), False, id="one-month-to-the-day"),
        pytest.param(date(2026, 1, 15), date(2026, 2, 16), True, id="one-month-and-a-day"),
        pytest.param(date(2026, 1, 31), date(2026, 2, 28), False, id="end-of-january-last-valid"),
        pytest.param(date(2026, 1, 31), date(2026, 3, 1), True, id="end-of-january-expired"),
        pytest.param(date(2028, 1, 31), date(2028, 2, 29), False, id="leap-february"),
        pytest.param(date(2026, 3, 31), date(2026, 5, 1), True, id="thirty-day-april"),
        pytest.param(date(2026, 12, 20), date(2027, 1, 20), False, id="year-wrap"),
        pytest.param(date(2026, 5, 5), date(2026, 5, 5), False, id="same-day"),
    ],
)
def test_quote_validity_is_one_calendar_month(quoted_on: date, audited_on: date, expired: bool) -> None:
    result = reconcile(_declared(), _audited(), quoted_on=quoted_on, audited_on=audited_on, channel=PRO)
    assert (result.status is Status.EXPIRED) is expired
    assert (result.adjusted_price is None) is expired


def test_adjusted_price_is_never_negative() -> None:
    assert PRO.tradein is not None
    steep = dataclasses.replace(PRO, tradein=dataclasses.replace(PRO.tradein, grade_step_percent=Decimal(30)))
    result = reconcile(
        _declared(grade="premium", model="MacBook Air M1", has_charger=True),
        _laptop(grade=CosmeticGrade.FAIR, battery_verdict=BatteryVerdict.WORN, storage_gb=128, has_charger=False),
        quoted_on=QUOTED_ON,
        audited_on=AUDITED_ON,
        channel=steep,
    )
    assert result.status is Status.ADJUSTED
    assert result.adjusted_price == Decimal("0.00")
    assert "total adjustment -100 %: 0.00 EUR" in result.reasons


def test_expiry_date() -> None:
    assert quote_expires_on(date(2026, 1, 31), PRO) == date(2026, 2, 28)


def test_locked_beats_expired() -> None:
    result = reconcile(
        _declared(),
        _audited(lock_verdict=LockVerdict.LOCKED),
        quoted_on=date(2025, 1, 1),
        audited_on=date(2026, 1, 1),
        channel=PRO,
    )
    assert result.status is Status.REFUSED
    assert any("expired" in line for line in result.reasons)


def test_audit_before_quote_is_impossible() -> None:
    with pytest.raises(RuleInputError, match="cannot precede its quote"):
        reconcile(_declared(), _audited(), quoted_on=AUDITED_ON, audited_on=QUOTED_ON, channel=PRO)


def test_a_channel_without_a_trade_in_policy_cannot_reconcile() -> None:
    bare = dataclasses.replace(PRO, tradein=None)
    with pytest.raises(RuleDataError, match="no trade-in policy"):
        reconcile(_declared(), _audited(), quoted_on=QUOTED_ON, audited_on=AUDITED_ON, channel=bare)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"grade": "mint"}, "declared grade 'mint' is not a grade", id="grade"),
        pytest.param({"quoted_price": Decimal("-1")}, "must be a finite amount >= 0", id="negative"),
        pytest.param({"quoted_price": Decimal("NaN")}, "must be a finite amount", id="nan"),
        pytest.param({"currency": "euro"}, "ISO 4217", id="currency"),
    ],
)
def test_declared_device_is_checked(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(RuleInputError, match=message):
        _declared(**changes)

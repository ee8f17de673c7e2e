"""Readings are frozen, refuse impossible values, and survive the JSON round trip the records use exactly."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.readings import (
    BatteryReading,
    CapacityUnit,
    CosmeticDefect,
    DefectKind,
    DefectSeverity,
    DefectZone,
    DeviceFamily,
    DeviceIdentity,
    ErasureOutcome,
    ErasureStatus,
    FunctionalResult,
    LockCheck,
    LockState,
    LockStatus,
    MeasuredBy,
    NistLevel,
    ReadingError,
    TestOutcome,
    VerificationResult,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_readings_are_frozen() -> None:
    reading = BatteryReading("sysfs", 4000.0, 3500.0, CapacityUnit.MAH, 100)
    with pytest.raises(dataclasses.FrozenInstanceError):
        reading.cycle_count = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("reading", "soh"),
    [
        (BatteryReading("ioreg", 2815.0, 2533.5, CapacityUnit.MAH, state_of_health=None), 90.0),
        (BatteryReading("ioreg", 2815.0, 2533.5, CapacityUnit.MAH, state_of_health=88.0), 88.0),
        (BatteryReading("dumpsys"), None),
        (BatteryReading("sysfs", None, 3000.0, CapacityUnit.UAH), None),
        (BatteryReading("sysfs", 0.0, 3000.0, CapacityUnit.UAH), None),
    ],
    ids=["computed", "device-figure-wins", "nothing-known", "no-design", "zero-design"],
)
def test_state_of_health_is_never_invented(reading: BatteryReading, soh: float | None) -> None:
    assert reading.soh_percent == soh


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: BatteryReading("x", -1.0, 1.0, CapacityUnit.MAH), "design capacity cannot be negative"),
        (lambda: BatteryReading("x", 1.0, 1.0), "need a unit"),
        (lambda: BatteryReading("x", cycle_count=-3), "cycle count"),
        (lambda: DeviceIdentity(DeviceFamily.IPHONE, "Apple", "iPhone 12"), "serial number or an IMEI"),
        (lambda: DeviceIdentity(DeviceFamily.IPHONE, " ", "iPhone 12", serial="X"), "make and a model"),
        (lambda: FunctionalResult(" ", TestOutcome.PASS, MeasuredBy.MANUAL), "test id"),
        (
            lambda: ErasureOutcome(
                "m",
                NistLevel.CLEAR,
                ErasureStatus.ERASED,
                NOW,
                NOW - timedelta(seconds=1),
                "t",
                "1",
                "none",
                VerificationResult.NOT_VERIFIED,
            ),
            "finish before it starts",
        ),
        (
            lambda: ErasureOutcome(
                "m", NistLevel.CLEAR, ErasureStatus.ERASED, NOW, NOW, "t", "1", "all", VerificationResult.FAILED
            ),
            "verification failed is FAILED",
        ),
        (
            lambda: ErasureOutcome(
                "m",
                NistLevel.CLEAR,
                ErasureStatus.ERASED,
                NOW,
                NOW,
                "t",
                "1",
                "all",
                VerificationResult.PASSED,
                errors=("sync error",),
            ),
            "with errors is FAILED",
        ),
    ],
    ids=["negative", "unit", "cycles", "no-id", "no-make", "no-test-id", "time", "verify", "errors"],
)
def test_impossible_readings_are_refused(build: object, message: str) -> None:
    with pytest.raises(ReadingError, match=message):
        build()  # type: ignore[operator]


def test_from_record_rejects_garbage() -> None:
    with pytest.raises(ReadingError, match="not a valid LockState"):
        LockStatus.from_record({"source": "x", "icloud": {"state": "maybe"}})
    with pytest.raises(ReadingError, match="cannot build"):
        FunctionalResult.from_record({"test_id": "wifi"})
    with pytest.raises(ReadingError, match="cannot build"):
        BatteryReading.from_record(["not", "a", "mapping"])  # type: ignore[arg-type]


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
maybe_float = st.none() | st.floats(min_value=0, max_value=1e6, allow_nan=False)


@given(
    design=maybe_float,
    full=maybe_float,
    cycles=st.none() | st.integers(min_value=0, max_value=100_000),
    soh=maybe_float,
    raw=st.lists(st.tuples(texts, texts), max_size=4).map(tuple),
)
def test_battery_round_trip(
    design: float | None, full: float | None, cycles: int | None, soh: float | None, raw: tuple[tuple[str, str], ...]
) -> None:
    reading = BatteryReading("src", design, full, CapacityUnit.MWH, cycles, soh, raw)
    assert BatteryReading.from_record(reading.as_record()) == reading


@given(states=st.lists(st.sampled_from(LockState), min_size=4, max_size=4), evidence=texts)
def test_lock_status_round_trip(states: list[LockState], evidence: str) -> None:
    status = LockStatus("lockdown", *(LockCheck(state, evidence) for state in states))
    assert LockStatus.from_record(status.as_record()) == status


@given(zone=st.sampled_from(DefectZone), kind=st.sampled_from(DefectKind), severity=st.sampled_from(DefectSeverity))
def test_defect_round_trip(zone: DefectZone, kind: DefectKind, severity: DefectSeverity) -> None:
    defect = CosmeticDefect(zone, kind, severity, "near the camera")
    assert CosmeticDefect.from_record(defect.as_record()) == defect


def test_identity_and_erasure_round_trip() -> None:
    identity = DeviceIdentity(
        DeviceFamily.ANDROID,
        "Samsung",
        "Galaxy S21",
        "SM-G991B",
        "R58N12ABCDE",
        ("490154203237518", "356938035643809"),
        "Android",
        "14",
        128_000_000_000,
        "Phantom Grey",
        "R58N12ABCDE",
    )
    assert DeviceIdentity.from_record(identity.as_record()) == identity
    assert identity.storage_gb == 128
    erasure = ErasureOutcome(
        "overwrite zeros, 1 pass",
        NistLevel.CLEAR,
        ErasureStatus.ERASED,
        NOW,
        NOW,
        "nwipe",
        "0.37",
        "last pass",
        VerificationResult.PASSED,
        "Samsung SSD 870",
        500_107_862_016,
    )
    assert ErasureOutcome.from_record(erasure.as_record()) == erasure

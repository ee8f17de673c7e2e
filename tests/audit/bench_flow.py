"""Builders that walk a device through the real services, the way the bench does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from audit import services
from audit.certificates import Signer
from audit.readings import (
    BatteryReading,
    CapacityUnit,
    CosmeticDefect,
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
    TestOutcome,
    VerificationResult,
)
from audit.rules.functional import load_test_plan
from audit.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]

IPHONE_IMEI = "356938035643809"
ANDROID_IMEI = "490154203237518"
OFF = LockCheck(LockState.OFF, "checked")
NA = LockCheck(LockState.NOT_APPLICABLE, "")


def make_users(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        services.add_user(uow, None, "admin", "admin")
    for name, role in (
        ("tech", "technician"),
        ("tech2", "technician"),
        ("audrey", "auditor"),
        ("auguste", "auditor"),
        ("wendy", "warehouse"),
    ):
        with uow_factory() as uow:
            services.add_user(uow, "admin", name, role)


def iphone(imei: str = IPHONE_IMEI, serial: str = "F2LXK0ABHG7F") -> DeviceIdentity:
    return DeviceIdentity(
        family=DeviceFamily.IPHONE,
        make="Apple",
        model="iPhone 12",
        model_number="MGJ53",
        serial=serial,
        imeis=(imei,),
        os_name="iOS",
        os_version="17.5",
        storage_bytes=128_000_000_000,
        colour="Blue",
        hardware_id="00008101-000A1B2C3D4E5F60",
    )


def clear_locks() -> LockStatus:
    return LockStatus(source="lockdown", icloud=OFF, google_frp=NA, samsung=NA, mdm=OFF)


def battery(soh: float | None = 91.0, cycles: int | None = 312) -> BatteryReading:
    return BatteryReading(
        source="AppleSmartBattery",
        design_capacity=2815.0,
        full_charge_capacity=None if soh is None else round(2815 * soh / 100, 1),
        unit=CapacityUnit.MAH,
        cycle_count=cycles,
        state_of_health=soh,
    )


def all_functional(family: DeviceFamily = DeviceFamily.IPHONE) -> list[FunctionalResult]:
    return [
        FunctionalResult(step.test_id, TestOutcome.PASS, MeasuredBy.AUTOMATIC if step.automatic else MeasuredBy.MANUAL)
        for step in load_test_plan(family).steps
    ]


def erasure(status: ErasureStatus = ErasureStatus.ERASED) -> ErasureOutcome:
    end = datetime.now(UTC)
    return ErasureOutcome(
        method="Apple erase all content and settings",
        nist_level=NistLevel.PURGE,
        status=status,
        started_at=end - timedelta(minutes=3),
        finished_at=end,
        tool="refurb-station",
        tool_version="0.1.0",
        verification="device report",
        verification_result=VerificationResult.PASSED if status is ErasureStatus.ERASED else VerificationResult.FAILED,
    )


def register(uow_factory: UowFactory, identity: DeviceIdentity | None = None, actor: str = "tech") -> int:
    with uow_factory() as uow:
        return services.register_device(uow, actor, identity or iphone())


def inspect(
    uow_factory: UowFactory,
    device_id: int,
    *,
    actor: str = "tech",
    locks: LockStatus | None = None,
    soh: float | None = 91.0,
    defects: tuple[CosmeticDefect, ...] = (),
    finish: bool = True,
) -> services.InspectionOutcome | None:
    with uow_factory() as uow:
        inspection = services.start_inspection(uow, actor, device_id, station="bench-1")
    readings = [locks or clear_locks(), battery(soh), *all_functional(), *defects]
    for reading in readings:
        with uow_factory() as uow:
            services.record_reading(uow, actor, inspection, reading)
    if not finish:
        return None
    with uow_factory() as uow:
        return services.finish_inspection(uow, actor, inspection)


def to_certified(uow_factory: UowFactory, device_id: int, actor: str = "tech") -> str:
    inspect(uow_factory, device_id, actor=actor)
    with uow_factory() as uow:
        services.grade_device(uow, actor, device_id, genuine_parts=True)
    with uow_factory() as uow:
        services.record_erasure(uow, actor, device_id, erasure())
    with uow_factory() as uow:
        return services.issue_certificate(uow, actor, device_id, Signer.generate(), station="bench-1")

"""A pass at the bench: start, resume, interrupt, readings, and the verdict that routes the device."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa

from audit.errors import InvalidInput, NotFound, Refused
from audit.lifecycle import DeviceState
from audit.models import (
    BatteryRecord,
    DefectRecord,
    FunctionalRecord,
    IdentityRecord,
    Inspection,
    LockRecord,
    utcnow,
)
from audit.readings import (
    BatteryReading,
    CosmeticDefect,
    DeviceFamily,
    DeviceIdentity,
    FunctionalResult,
    LockStatus,
)
from audit.roles import Action
from audit.rules.battery import BatteryVerdict, assess_battery
from audit.rules.channels import load_channel
from audit.rules.functional import FunctionalVerdict, assess_functional, load_test_plan
from audit.rules.grading import load_rubric
from audit.rules.locks import LockVerdict, assess_locks
from audit.services._common import (
    identity_mismatch,
    latest_reading,
    load_device,
    normalized_identifiers,
    record_event,
    require_actor,
    set_state,
)
from audit.unit_of_work import UnitOfWork


def start_inspection(uow: UnitOfWork, actor: str, device_id: int, *, station: str, channel: str | None = None) -> int:
    """Open a pass at the bench, or resume the device's interrupted one."""
    user = require_actor(uow, actor, Action.INSPECT)
    device = load_device(uow, device_id)
    if device.state != DeviceState.IDENTIFIED.value:
        raise Refused(f"{device.label} is {device.state}: only an identified device can be inspected")
    channel_name = load_channel(channel).name if channel else load_channel().name
    existing = (
        uow.session.execute(
            sa.select(Inspection)
            .where(Inspection.device_id == device.id, Inspection.status.in_(("open", "interrupted")))
            .order_by(Inspection.id.desc())
        )
        .scalars()
        .first()
    )
    if existing is not None:
        if existing.status == "interrupted":
            existing.status = "open"
            record_event(
                uow,
                user.name,
                "inspection.resumed",
                f"device:{device.id}",
                {"inspection": existing.id, "station": station},
            )
            uow.commit()
        return existing.id
    inspection = Inspection(device_id=device.id, station=station, technician_id=user.id, channel=channel_name)
    uow.session.add(inspection)
    # Opening a pass claims the device: its version moves, so a second station opening one at the same moment is
    # told to reload (and then resumes this pass) instead of leaving a second open pass behind.
    device.updated_by = user.name
    device.updated_at = utcnow()
    uow.session.flush()
    record_event(
        uow,
        user.name,
        "inspection.started",
        f"device:{device.id}",
        {"inspection": inspection.id, "station": station, "channel": channel_name},
    )
    uow.commit()
    return inspection.id


_SOURCE_COLUMN = 64


def _open_inspection(uow: UnitOfWork, inspection_id: int) -> Inspection:
    inspection = uow.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(f"no inspection #{inspection_id}")
    if inspection.status != "open":
        raise Refused(f"inspection #{inspection_id} is {inspection.status}")
    return inspection


def interrupt_inspection(uow: UnitOfWork, actor: str, inspection_id: int, reason: str) -> None:
    """The device was unplugged or the station stopped mid-step: keep everything, mark the pass interrupted."""
    user = require_actor(uow, actor, Action.INSPECT)
    inspection = _open_inspection(uow, inspection_id)
    inspection.status = "interrupted"
    record_event(
        uow,
        user.name,
        "inspection.interrupted",
        f"device:{inspection.device_id}",
        {"inspection": inspection.id, "reason": reason},
    )
    uow.commit()


def _summary(source: str) -> str:
    """The source column is an index for searches; the reading's full source stays in its data."""
    return source if len(source) <= _SOURCE_COLUMN else source[: _SOURCE_COLUMN - 1] + "…"


def record_reading(
    uow: UnitOfWork,
    actor: str,
    inspection_id: int,
    reading: DeviceIdentity | BatteryReading | LockStatus | FunctionalResult | CosmeticDefect,
) -> int:
    """Add one reading to an open inspection. A lock found on quarantines the device at once."""
    user = require_actor(uow, actor, Action.INSPECT)
    inspection = _open_inspection(uow, inspection_id)
    device = load_device(uow, inspection.device_id)
    family = DeviceFamily(device.family)
    channel = load_channel(inspection.channel)
    common: dict[str, Any] = {
        "inspection_id": inspection.id,
        "device_id": device.id,
        "recorded_by_id": user.id,
        "data": reading.as_record(),
    }
    summary: dict[str, Any]
    quarantine_reason = ""
    record: Any
    if isinstance(reading, BatteryReading):
        battery = assess_battery(reading, family, channel)
        record = BatteryRecord(
            source=_summary(reading.source),
            soh_percent=battery.soh_percent,
            cycle_count=reading.cycle_count,
            verdict=battery.verdict.value,
            **common,
        )
        summary = {"kind": "battery", "soh": battery.soh_percent, "verdict": battery.verdict.value}
    elif isinstance(reading, LockStatus):
        locks = assess_locks(reading, family)
        record = LockRecord(source=_summary(reading.source), verdict=locks.verdict.value, **common)
        summary = {
            "kind": "locks",
            "verdict": locks.verdict.value,
            "blocking": [k.value for k in locks.blocking],
        }
        if locks.verdict is LockVerdict.LOCKED:
            quarantine_reason = "locked: " + ", ".join(k.value for k in locks.blocking)
    elif isinstance(reading, FunctionalResult):
        plan = load_test_plan(family)
        if reading.test_id not in {step.test_id for step in plan.steps}:
            raise InvalidInput(f"test {reading.test_id!r} is not in the {family.value} test plan {plan.version}")
        record = FunctionalRecord(test_id=reading.test_id, outcome=reading.outcome.value, **common)
        summary = {"kind": "functional", "test": reading.test_id, "outcome": reading.outcome.value}
    elif isinstance(reading, CosmeticDefect):
        zones = load_rubric().zones_for(family)
        if reading.zone not in zones:
            known = ", ".join(sorted(z.value for z in zones))
            raise InvalidInput(f"a {family.value} has no {reading.zone.value} zone (zones: {known})")
        record = DefectRecord(zone=reading.zone.value, severity=reading.severity.value, **common)
        summary = {
            "kind": "defect",
            "zone": reading.zone.value,
            "defect": reading.kind.value,
            "severity": reading.severity.value,
        }
    elif isinstance(reading, DeviceIdentity):
        try:
            imeis, serial = normalized_identifiers(reading)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
        record = IdentityRecord(source=_summary(reading.source or reading.hardware_id or "device"), **common)
        summary = {"kind": "identity"}
        mismatch = identity_mismatch(device, imeis, serial)
        if mismatch:
            quarantine_reason = f"identity mismatch: {mismatch}"
    else:  # pragma: no cover - the type checker keeps this unreachable
        raise InvalidInput(f"not a reading: {reading!r}")
    uow.session.add(record)
    uow.session.flush()
    record_event(
        uow,
        user.name,
        "reading.recorded",
        f"device:{device.id}",
        {"inspection": inspection.id, "reading": record.id, **summary},
    )
    if quarantine_reason:
        set_state(uow, device, DeviceState.QUARANTINED, user.name, quarantine_reason)
        inspection.status = "completed"
        inspection.ended_at = utcnow()
    uow.commit()
    return int(record.id)


@dataclasses.dataclass(frozen=True, slots=True)
class InspectionOutcome:
    state: DeviceState
    battery: str
    locks: str
    functional: str
    reasons: tuple[str, ...]


def finish_inspection(uow: UnitOfWork, actor: str, inspection_id: int) -> InspectionOutcome:
    """Close the pass: locked -> quarantined, not functional -> parts, battery below the channel -> repair.

    A pass with unknown locks, an unknown battery or untested required steps cannot finish: the technician is told
    what is missing, and nothing is written.
    """
    user = require_actor(uow, actor, Action.INSPECT)
    inspection = _open_inspection(uow, inspection_id)
    device = load_device(uow, inspection.device_id)
    family = DeviceFamily(device.family)
    channel = load_channel(inspection.channel)
    battery_row = latest_reading(uow, BatteryRecord, inspection.id)
    lock_row = latest_reading(uow, LockRecord, inspection.id)
    missing = []
    if lock_row is None:
        missing.append("no lock check recorded")
    if battery_row is None:
        missing.append("no battery reading recorded")
    if missing:
        raise Refused("cannot finish the inspection: " + "; ".join(missing))
    battery = assess_battery(BatteryReading.from_record(battery_row.data), family, channel)
    locks = assess_locks(LockStatus.from_record(lock_row.data), family)
    results = [
        FunctionalResult.from_record(row.data)
        for row in uow.session.execute(
            sa.select(FunctionalRecord)
            .where(FunctionalRecord.inspection_id == inspection.id)
            .order_by(FunctionalRecord.id)
        ).scalars()
    ]
    functional = assess_functional(load_test_plan(family), results)
    reasons = (*locks.reasons, *battery.reasons, *functional.reasons)
    if locks.verdict is LockVerdict.UNKNOWN:
        raise Refused(
            "cannot finish the inspection: lock status unknown, check required ("
            + ", ".join(k.value for k in locks.unchecked)
            + ")"
        )
    if battery.verdict is BatteryVerdict.UNKNOWN:
        raise Refused("cannot finish the inspection: battery health unknown; read it again or test it by hand")
    if functional.verdict is FunctionalVerdict.INCOMPLETE:
        raise Refused("cannot finish the inspection: untested steps: " + ", ".join(functional.missing))
    if locks.verdict is LockVerdict.LOCKED:
        target, why = DeviceState.QUARANTINED, "locked: " + ", ".join(k.value for k in locks.blocking)
    elif functional.verdict is FunctionalVerdict.NOT_FUNCTIONAL:
        target, why = DeviceState.PARTS, "failed: " + ", ".join(functional.failed)
    elif battery.verdict is not BatteryVerdict.SELLABLE:
        target, why = DeviceState.REPAIR, f"battery {battery.verdict.value} ({battery.soh_percent}%)"
    else:
        target, why = DeviceState.INSPECTED, "functional, battery sellable, no lock"
    inspection.status = "completed"
    inspection.ended_at = utcnow()
    inspection.outcome = {
        "state": target.value,
        "battery": battery.verdict.value,
        "locks": locks.verdict.value,
        "functional": functional.verdict.value,
        "reasons": list(reasons),
    }
    record_event(
        uow,
        user.name,
        "inspection.finished",
        f"device:{device.id}",
        {"inspection": inspection.id, **inspection.outcome},
    )
    set_state(uow, device, target, user.name, why)
    uow.commit()
    return InspectionOutcome(target, battery.verdict.value, locks.verdict.value, functional.verdict.value, reasons)

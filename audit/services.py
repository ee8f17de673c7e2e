"""Use cases. Each one checks the actor's role, validates its input, writes in one transaction and appends an
audit event. The CLI and the GUI call these same functions; nothing else writes to the records.
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from audit.certificates import Signer, certificate_payload
from audit.chain import ChainReport, append_event, verify_audit_chain
from audit.errors import ConcurrentUpdate, IdentityConflict, InvalidInput, NotFound, PermissionDenied, Refused
from audit.lifecycle import DeviceState, require_transition
from audit.models import (
    BatteryRecord,
    CertificateRecord,
    DefectRecord,
    Device,
    ErasureRecord,
    FunctionalRecord,
    GradeRecord,
    IdentityRecord,
    Inspection,
    Listing,
    LockRecord,
    Lot,
    LotItem,
    ReviewRecord,
    User,
    utcnow,
)
from audit.readings import (
    BatteryReading,
    CosmeticDefect,
    DeviceFamily,
    DeviceIdentity,
    ErasureOutcome,
    FunctionalResult,
    LockStatus,
)
from audit.roles import Action, Role, may
from audit.rules.battery import BatteryVerdict, assess_battery
from audit.rules.channels import load_channel
from audit.rules.functional import FunctionalVerdict, assess_functional, load_test_plan
from audit.rules.grading import CosmeticGrade, GradeDecision, decide_grade, load_rubric
from audit.rules.identifiers import classify_identifier, normalize_imei, normalize_serial
from audit.rules.locks import LockVerdict, assess_locks
from audit.rules.tradein import AuditedDevice, DeclaredDevice, reconcile
from audit.unit_of_work import UnitOfWork

BOOTSTRAP_ACTOR = "bootstrap"


# --- actors -------------------------------------------------------------------------------------------------------


def _actor(uow: UnitOfWork, name: str, action: Action) -> User:
    user = uow.session.execute(sa.select(User).where(User.name == name)).scalar_one_or_none()
    if user is None or not user.active:
        raise PermissionDenied(f"unknown or inactive user {name!r}")
    if not may(Role(user.role), action):
        raise PermissionDenied(f"{name} ({user.role}) may not {action.value}")
    return user


def add_user(uow: UnitOfWork, actor: str | None, name: str, role: str) -> int:
    """Add a user. With no active admin yet, anyone at the station may create the first accounts (bootstrap)."""
    name = name.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise InvalidInput(f"invalid user name {name!r}: 1 to 64 characters, no spaces")
    try:
        parsed_role = Role(role)
    except ValueError:
        raise InvalidInput(f"unknown role {role!r}; roles are {', '.join(r.value for r in Role)}") from None
    has_admin = uow.session.execute(
        sa.select(sa.func.count()).select_from(User).where(User.role == Role.ADMIN.value, User.active)
    ).scalar_one()
    if has_admin:
        if actor is None:
            raise PermissionDenied("an admin must add users: say who you are (--as NAME)")
        actor_name = _actor(uow, actor, Action.MANAGE_USERS).name
    else:
        actor_name = actor or BOOTSTRAP_ACTOR
    if uow.session.execute(sa.select(User.id).where(User.name == name)).first():
        raise InvalidInput(f"user {name!r} already exists")
    user = User(name=name, role=parsed_role.value)
    uow.session.add(user)
    uow.session.flush()
    append_event(
        uow.session,
        actor=actor_name,
        action="user.added",
        subject=f"user:{name}",
        payload={"role": parsed_role.value},
    )
    uow.commit()
    return user.id


# --- devices ------------------------------------------------------------------------------------------------------


def _identifiers(identity: DeviceIdentity) -> tuple[list[str], str | None]:
    imeis = [normalize_imei(imei) for imei in identity.imeis]
    serial = normalize_serial(identity.serial) if identity.serial else None
    return imeis, serial


def find_device(uow: UnitOfWork, identifier: str) -> Device:
    """The device an IMEI, serial number or ``#id`` names."""
    text = identifier.strip()
    if text.startswith("#") and text[1:].isdigit():
        device = uow.session.get(Device, int(text[1:]))
    else:
        candidates = {text.upper()}
        with contextlib.suppress(ValueError):  # not a valid identifier: only the literal text can match
            candidates.add(classify_identifier(text)[1])
        device = uow.session.execute(
            sa.select(Device).where(
                sa.or_(Device.imei.in_(candidates), Device.imei2.in_(candidates), Device.serial.in_(candidates))
            )
        ).scalar_one_or_none()
    if device is None:
        raise NotFound(f"no device with IMEI or serial {identifier!r}")
    return device


def _device(uow: UnitOfWork, device_id: int, expected_version: int | None = None) -> Device:
    device = uow.session.get(Device, device_id)
    if device is None:
        raise NotFound(f"no device #{device_id}")
    if expected_version is not None and device.version_id != expected_version:
        raise ConcurrentUpdate(
            f"{device.label} was changed by {device.updated_by} at {device.updated_at:%Y-%m-%d %H:%M:%S} UTC "
            "since you opened it: reload and try again"
        )
    uow.touch(device)
    return device


def _set_state(uow: UnitOfWork, device: Device, target: DeviceState, actor: str, reason: str = "") -> None:
    current = DeviceState(device.state)
    require_transition(current, target, reason)
    device.state = target.value
    device.state_reason = reason[:500]
    device.updated_by = actor
    device.updated_at = utcnow()
    append_event(
        uow.session,
        actor=actor,
        action="device.state",
        subject=f"device:{device.id}",
        payload={"from": current.value, "to": target.value, "reason": reason},
    )


def register_device(uow: UnitOfWork, actor: str, identity: DeviceIdentity) -> int:
    """A device reached the bench and said who it is: find or create its record and mark it identified.

    A device whose IMEI and serial belong to two different records, or whose serial no longer matches the one on
    record for its IMEI, is quarantined (identity mismatch) rather than merged.
    """
    user = _actor(uow, actor, Action.REGISTER_DEVICE)
    try:
        imeis, serial = _identifiers(identity)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    clauses: list[sa.ColumnElement[bool]] = [Device.imei.in_(imeis), Device.imei2.in_(imeis)] if imeis else []
    if serial:
        clauses.append(Device.serial == serial)
    matches = uow.session.execute(sa.select(Device).where(sa.or_(*clauses))).scalars().all()
    if len(matches) > 1:
        raise IdentityConflict(
            "this device's identifiers belong to several records ("
            + ", ".join(d.label for d in matches)
            + "): an auditor must resolve it"
        )
    if matches:
        device = matches[0]
        uow.touch(device)
        mismatch = _identity_mismatch(device, imeis, serial)
        if mismatch:
            if device.state != DeviceState.QUARANTINED.value:
                _set_state(uow, device, DeviceState.QUARANTINED, user.name, f"identity mismatch: {mismatch}")
            uow.commit()
            return device.id
        target = DeviceState.IDENTIFIED
        if device.state != DeviceState.IDENTIFIED.value:
            _set_state(uow, device, target, user.name, "back on the bench")
    else:
        device = Device(
            family=identity.family.value,
            make=identity.make,
            model=identity.model,
            model_number=identity.model_number,
            serial=serial,
            imei=imeis[0] if imeis else None,
            imei2=imeis[1] if len(imeis) > 1 else None,
            hardware_id=identity.hardware_id,
            storage_bytes=identity.storage_bytes,
            colour=identity.colour,
            state=DeviceState.CONNECTED.value,
            updated_by=user.name,
        )
        uow.session.add(device)
        try:
            uow.session.flush()
        except IntegrityError as exc:
            raise ConcurrentUpdate("another station registered this device at the same moment: retry") from exc
        append_event(
            uow.session,
            actor=user.name,
            action="device.registered",
            subject=f"device:{device.id}",
            payload={"identity": identity.as_record()},
        )
        _set_state(uow, device, DeviceState.IDENTIFIED, user.name, "identified")
    uow.commit()
    return device.id


def _identity_mismatch(device: Device, imeis: Sequence[str], serial: str | None) -> str:
    problems = []
    if serial and device.serial and serial != device.serial:
        problems.append(f"serial {serial} but {device.serial} on record")
    known = {device.imei, device.imei2} - {None}
    if imeis and known and not set(imeis) & known:
        problems.append(f"IMEI {imeis[0]} not on record")
    return "; ".join(problems)


def quarantine(uow: UnitOfWork, actor: str, device_id: int, reason: str) -> None:
    user = _actor(uow, actor, Action.QUARANTINE)
    if not reason.strip():
        raise InvalidInput("say why the device is quarantined")
    device = _device(uow, device_id)
    _set_state(uow, device, DeviceState.QUARANTINED, user.name, reason.strip())
    uow.commit()


def release(uow: UnitOfWork, actor: str, device_id: int, reason: str) -> None:
    """The lock is gone (owner removed it) or the mismatch is explained: the device starts a new pass."""
    user = _actor(uow, actor, Action.RELEASE)
    if not reason.strip():
        raise InvalidInput("say why the device is released")
    device = _device(uow, device_id)
    if device.state != DeviceState.QUARANTINED.value:
        raise Refused(f"{device.label} is {device.state}, not quarantined")
    _set_state(uow, device, DeviceState.IDENTIFIED, user.name, f"released: {reason.strip()}")
    uow.commit()


# --- inspections ----------------------------------------------------------------------------------------------------


def start_inspection(uow: UnitOfWork, actor: str, device_id: int, *, station: str, channel: str | None = None) -> int:
    """Open a pass at the bench, or resume the device's interrupted one."""
    user = _actor(uow, actor, Action.INSPECT)
    device = _device(uow, device_id)
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
            append_event(
                uow.session,
                actor=user.name,
                action="inspection.resumed",
                subject=f"device:{device.id}",
                payload={"inspection": existing.id, "station": station},
            )
            uow.commit()
        return existing.id
    inspection = Inspection(device_id=device.id, station=station, technician_id=user.id, channel=channel_name)
    uow.session.add(inspection)
    uow.session.flush()
    append_event(
        uow.session,
        actor=user.name,
        action="inspection.started",
        subject=f"device:{device.id}",
        payload={"inspection": inspection.id, "station": station, "channel": channel_name},
    )
    uow.commit()
    return inspection.id


def _open_inspection(uow: UnitOfWork, inspection_id: int) -> Inspection:
    inspection = uow.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(f"no inspection #{inspection_id}")
    if inspection.status != "open":
        raise Refused(f"inspection #{inspection_id} is {inspection.status}")
    return inspection


def interrupt_inspection(uow: UnitOfWork, actor: str, inspection_id: int, reason: str) -> None:
    """The device was unplugged or the station stopped mid-step: keep everything, mark the pass interrupted."""
    user = _actor(uow, actor, Action.INSPECT)
    inspection = _open_inspection(uow, inspection_id)
    inspection.status = "interrupted"
    append_event(
        uow.session,
        actor=user.name,
        action="inspection.interrupted",
        subject=f"device:{inspection.device_id}",
        payload={"inspection": inspection.id, "reason": reason},
    )
    uow.commit()


def record_reading(
    uow: UnitOfWork,
    actor: str,
    inspection_id: int,
    reading: DeviceIdentity | BatteryReading | LockStatus | FunctionalResult | CosmeticDefect,
) -> int:
    """Add one reading to an open inspection. A lock found on quarantines the device at once."""
    user = _actor(uow, actor, Action.INSPECT)
    inspection = _open_inspection(uow, inspection_id)
    device = _device(uow, inspection.device_id)
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
            source=reading.source,
            soh_percent=battery.soh_percent,
            cycle_count=reading.cycle_count,
            verdict=battery.verdict.value,
            **common,
        )
        summary = {"kind": "battery", "soh": battery.soh_percent, "verdict": battery.verdict.value}
    elif isinstance(reading, LockStatus):
        locks = assess_locks(reading, family)
        record = LockRecord(source=reading.source, verdict=locks.verdict.value, **common)
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
            imeis, serial = _identifiers(reading)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
        record = IdentityRecord(source=reading.hardware_id or "device", **common)
        summary = {"kind": "identity"}
        mismatch = _identity_mismatch(device, imeis, serial)
        if mismatch:
            quarantine_reason = f"identity mismatch: {mismatch}"
    else:  # pragma: no cover - the type checker keeps this unreachable
        raise InvalidInput(f"not a reading: {reading!r}")
    uow.session.add(record)
    uow.session.flush()
    append_event(
        uow.session,
        actor=user.name,
        action="reading.recorded",
        subject=f"device:{device.id}",
        payload={"inspection": inspection.id, "reading": record.id, **summary},
    )
    if quarantine_reason:
        _set_state(uow, device, DeviceState.QUARANTINED, user.name, quarantine_reason)
        inspection.status = "completed"
        inspection.ended_at = utcnow()
    uow.commit()
    return int(record.id)


def _latest(uow: UnitOfWork, model: Any, inspection_id: int) -> Any:
    return uow.session.execute(
        sa.select(model).where(model.inspection_id == inspection_id).order_by(model.id.desc()).limit(1)
    ).scalar_one_or_none()


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
    user = _actor(uow, actor, Action.INSPECT)
    inspection = _open_inspection(uow, inspection_id)
    device = _device(uow, inspection.device_id)
    family = DeviceFamily(device.family)
    channel = load_channel(inspection.channel)
    battery_row = _latest(uow, BatteryRecord, inspection.id)
    lock_row = _latest(uow, LockRecord, inspection.id)
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
    append_event(
        uow.session,
        actor=user.name,
        action="inspection.finished",
        subject=f"device:{device.id}",
        payload={"inspection": inspection.id, **inspection.outcome},
    )
    _set_state(uow, device, target, user.name, why)
    uow.commit()
    return InspectionOutcome(target, battery.verdict.value, locks.verdict.value, functional.verdict.value, reasons)


def _last_inspection(uow: UnitOfWork, device: Device) -> Inspection:
    inspection = uow.session.execute(
        sa.select(Inspection).where(Inspection.device_id == device.id).order_by(Inspection.id.desc()).limit(1)
    ).scalar_one_or_none()
    if inspection is None:
        raise Refused(f"{device.label} has never been inspected")
    return inspection


def _assert_not_locked(uow: UnitOfWork, device: Device, inspection: Inspection, doing: str) -> None:
    lock_row = _latest(uow, LockRecord, inspection.id)
    if lock_row is None or lock_row.verdict != LockVerdict.CLEAR.value:
        verdict = lock_row.verdict if lock_row else "not checked"
        raise Refused(f"cannot {doing} {device.label}: locks {verdict}")


def grade_device(
    uow: UnitOfWork,
    actor: str,
    device_id: int,
    *,
    genuine_parts: bool | None = None,
    expected_version: int | None = None,
) -> GradeDecision:
    """Grade the device from the defects recorded in its last inspection, by the rubric kept as data."""
    user = _actor(uow, actor, Action.GRADE)
    device = _device(uow, device_id, expected_version)
    state = DeviceState(device.state)
    if state not in (DeviceState.INSPECTED, DeviceState.GRADED):
        raise Refused(f"cannot grade {device.label}: it is {state.value}")
    inspection = _last_inspection(uow, device)
    _assert_not_locked(uow, device, inspection, "grade")
    defects = [
        CosmeticDefect.from_record(row.data)
        for row in uow.session.execute(
            sa.select(DefectRecord).where(DefectRecord.inspection_id == inspection.id).order_by(DefectRecord.id)
        ).scalars()
    ]
    family = DeviceFamily(device.family)
    decision = decide_grade(defects, family, load_rubric(), genuine_parts=genuine_parts)
    record = GradeRecord(
        inspection_id=inspection.id,
        device_id=device.id,
        grade=decision.grade.value if decision.grade else None,
        ctia=decision.ctia.value,
        sellable=decision.sellable,
        reason=decision.reason[:500],
        rubric_version=decision.rubric_version,
        decided_by_id=user.id,
    )
    uow.session.add(record)
    uow.session.flush()
    append_event(
        uow.session,
        actor=user.name,
        action="device.graded",
        subject=f"device:{device.id}",
        payload={
            "grade": record.grade,
            "ctia": record.ctia,
            "sellable": decision.sellable,
            "reason": decision.reason,
            "defects": len(defects),
        },
    )
    if decision.sellable:
        _set_state(uow, device, DeviceState.GRADED, user.name, decision.reason)
    else:
        _set_state(uow, device, DeviceState.REPAIR, user.name, decision.reason)
    _reconcile_lot_item(uow, device, user.name)
    uow.commit()
    return decision


def record_erasure(uow: UnitOfWork, actor: str, device_id: int, outcome: ErasureOutcome) -> int:
    """Record an erasure; only a successful one moves the device on. A failure is kept, never hidden."""
    user = _actor(uow, actor, Action.ERASE)
    device = _device(uow, device_id)
    if device.state != DeviceState.GRADED.value:
        raise Refused(f"cannot record an erasure for {device.label}: it is {device.state}, not graded")
    inspection = _last_inspection(uow, device)
    record = ErasureRecord(
        device_id=device.id,
        inspection_id=inspection.id,
        performed_by_id=user.id,
        method=outcome.method[:200],
        nist_level=outcome.nist_level.value,
        status=outcome.status.value,
        started_at=outcome.started_at,
        finished_at=outcome.finished_at,
        data=outcome.as_record(),
    )
    uow.session.add(record)
    uow.session.flush()
    append_event(
        uow.session,
        actor=user.name,
        action="erasure.recorded",
        subject=f"device:{device.id}",
        payload={
            "erasure": record.id,
            "status": outcome.status.value,
            "method": outcome.method,
            "nist": outcome.nist_level.value,
        },
    )
    if outcome.succeeded:
        _set_state(uow, device, DeviceState.ERASED, user.name, outcome.method)
    uow.commit()
    return record.id


def issue_certificate(uow: UnitOfWork, actor: str, device_id: int, signer: Signer, *, station: str) -> str:
    """Sign the certificate of the device's last successful erasure (NIST SP 800-88 Appendix G fields)."""
    user = _actor(uow, actor, Action.CERTIFY)
    device = _device(uow, device_id)
    if device.state != DeviceState.ERASED.value:
        raise Refused(f"cannot certify {device.label}: it is {device.state}, not erased")
    erasure = uow.session.execute(
        sa.select(ErasureRecord)
        .where(ErasureRecord.device_id == device.id, ErasureRecord.status == "erased")
        .order_by(ErasureRecord.id.desc())
        .limit(1)
    ).scalar_one()
    performer = uow.session.get(User, erasure.performed_by_id)
    certificate_id = str(uuid.uuid4())
    data = erasure.data
    payload = certificate_payload(
        {
            "certificate_id": certificate_id,
            "issued_at": utcnow().isoformat(),
            "station": station,
            "person": {
                "name": performer.name if performer else "?",
                "role": performer.role if performer else "?",
            },
            "issued_by": user.name,
            "media": {
                "manufacturer": device.make,
                "model": device.model,
                "model_number": device.model_number,
                "serial": device.serial,
                "imei": device.imei,
                "type": "flash memory (embedded)" if DeviceFamily(device.family) is not DeviceFamily.LAPTOP else "disk",
                "source": data.get("media") or "",
            },
            "sanitization": {
                "category": erasure.nist_level,
                "method": erasure.method,
                "tool": data.get("tool"),
                "tool_version": data.get("tool_version"),
                "verification": data.get("verification"),
                "verification_result": data.get("verification_result"),
                "started_at": data.get("started_at"),
                "finished_at": data.get("finished_at"),
                "status": erasure.status,
                "bytes_erased": data.get("bytes_erased"),
            },
            "key_fingerprint": signer.fingerprint,
        }
    )
    record = CertificateRecord(
        id=certificate_id,
        erasure_id=erasure.id,
        device_id=device.id,
        issued_by_id=user.id,
        payload=payload,
        signature=signer.sign(payload),
        key_fingerprint=signer.fingerprint,
    )
    uow.session.add(record)
    uow.session.flush()
    append_event(
        uow.session,
        actor=user.name,
        action="certificate.issued",
        subject=f"device:{device.id}",
        payload={"certificate": certificate_id, "erasure": erasure.id, "key": signer.fingerprint},
    )
    _set_state(uow, device, DeviceState.CERTIFIED, user.name, f"certificate {certificate_id}")
    uow.commit()
    return certificate_id


# --- auditor --------------------------------------------------------------------------------------------------------


def _own_work(uow: UnitOfWork, device: Device, inspection: Inspection, auditor: User) -> str:
    if inspection.technician_id == auditor.id:
        return "inspected"
    for model, column, what in (
        (GradeRecord, GradeRecord.decided_by_id, "graded"),
        (ErasureRecord, ErasureRecord.performed_by_id, "erased"),
        (FunctionalRecord, FunctionalRecord.recorded_by_id, "tested"),
    ):
        found = uow.session.execute(
            sa.select(model.id).where(model.inspection_id == inspection.id, column == auditor.id).limit(1)
        ).first()
        if found:
            return what
    return ""


def _review(uow: UnitOfWork, actor: str, device_id: int, decision: str, reason: str) -> Device:
    user = _actor(uow, actor, Action.REVIEW)
    device = _device(uow, device_id)
    if device.state != DeviceState.CERTIFIED.value:
        raise Refused(f"cannot review {device.label}: it is {device.state}, not certified")
    inspection = _last_inspection(uow, device)
    own = _own_work(uow, device, inspection, user)
    if own:
        raise Refused(f"{user.name} {own} {device.label} in this pass and cannot sign it off: ask another auditor")
    uow.session.add(
        ReviewRecord(
            device_id=device.id,
            inspection_id=inspection.id,
            auditor_id=user.id,
            decision=decision,
            reason=reason[:500],
        )
    )
    append_event(
        uow.session,
        actor=user.name,
        action=f"review.{decision}",
        subject=f"device:{device.id}",
        payload={"inspection": inspection.id, "reason": reason},
    )
    return device


def approve(uow: UnitOfWork, actor: str, device_id: int, reason: str = "") -> None:
    device = _review(uow, actor, device_id, "approved", reason)
    _set_state(uow, device, DeviceState.APPROVED, actor, reason or "approved")
    uow.commit()


def reject(uow: UnitOfWork, actor: str, device_id: int, reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("a rejection needs a reason")
    device = _review(uow, actor, device_id, "rejected", reason.strip())
    _set_state(uow, device, DeviceState.IDENTIFIED, actor, f"rejected: {reason.strip()}")
    uow.commit()


def hand_off(uow: UnitOfWork, actor: str, device_id: int, *, marketplace: str = "backmarket") -> int:
    """Queue an approved device for listing (the marketplace driver drains the pending listings)."""
    user = _actor(uow, actor, Action.HAND_OFF)
    device = _device(uow, device_id)
    if device.state != DeviceState.APPROVED.value:
        raise Refused(f"cannot list {device.label}: it is {device.state}, not approved")
    inspection = _last_inspection(uow, device)
    _assert_not_locked(uow, device, inspection, "list")
    battery_row = _latest(uow, BatteryRecord, inspection.id)
    channel = load_channel(inspection.channel)
    battery = assess_battery(BatteryReading.from_record(battery_row.data), DeviceFamily(device.family), channel)
    if battery.verdict is not BatteryVerdict.SELLABLE:
        raise Refused(f"cannot list {device.label}: battery {battery.verdict.value} for {channel.label}")
    grade = uow.session.execute(
        sa.select(GradeRecord).where(GradeRecord.device_id == device.id).order_by(GradeRecord.id.desc()).limit(1)
    ).scalar_one()
    listing = Listing(
        device_id=device.id,
        marketplace=marketplace,
        sku=listing_sku(device, grade.grade or ""),
        created_by_id=user.id,
    )
    uow.session.add(listing)
    uow.session.flush()
    append_event(
        uow.session,
        actor=user.name,
        action="listing.queued",
        subject=f"device:{device.id}",
        payload={"listing": listing.id, "marketplace": marketplace, "sku": listing.sku},
    )
    _set_state(uow, device, DeviceState.LISTED, user.name, f"queued on {marketplace}")
    uow.commit()
    return listing.id


def listing_sku(device: Device, grade: str) -> str:
    """MODEL-STORAGE-COLOUR-GRADE in upper case, spaces as dashes: stable for the same kind of device."""
    storage = f"{round(device.storage_bytes / 1e9)}GB" if device.storage_bytes else "NA"
    parts = [device.model, storage, device.colour or "NA", grade or "NA"]
    return "-".join("".join(ch if ch.isalnum() else "-" for ch in part.upper()).strip("-") for part in parts)


def verify_chain(uow: UnitOfWork) -> ChainReport:
    return verify_audit_chain(uow.session)


# --- lots -----------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class DeclaredLine:
    model: str
    storage_gb: int | None
    grade: str
    quoted_price: str
    currency: str = "EUR"
    identifier: str | None = None
    has_charger: bool | None = None


def receive_lot(
    uow: UnitOfWork,
    actor: str,
    *,
    reference: str,
    partner: str,
    quoted_on: date,
    lines: Sequence[DeclaredLine],
    channel: str | None = None,
) -> int:
    """Receive a trade-in lot against the partner's quote (one line per declared device)."""
    user = _actor(uow, actor, Action.RECEIVE_LOT)
    if not reference.strip() or not partner.strip():
        raise InvalidInput("a lot needs a reference and a partner")
    if not lines:
        raise InvalidInput("a lot needs at least one declared device")
    if uow.session.execute(sa.select(Lot.id).where(Lot.reference == reference.strip())).first():
        raise InvalidInput(f"lot {reference!r} was already received")
    channel_name = load_channel(channel).name if channel else load_channel().name
    lot = Lot(
        reference=reference.strip(),
        partner=partner.strip(),
        channel=channel_name,
        quoted_on=quoted_on,
        received_by_id=user.id,
    )
    uow.session.add(lot)
    uow.session.flush()
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        identifier = _line_identifier(number, line)
        if identifier:
            if identifier in seen:
                raise InvalidInput(f"line {number}: {identifier} is declared twice in the lot")
            seen.add(identifier)
        try:
            price = Decimal(line.quoted_price).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise InvalidInput(f"line {number}: {line.quoted_price!r} is not a price") from None
        if price < 0:
            raise InvalidInput(f"line {number}: a price cannot be negative")
        try:
            CosmeticGrade(line.grade)
        except ValueError:
            raise InvalidInput(f"line {number}: unknown grade {line.grade!r}") from None
        uow.session.add(
            LotItem(
                lot_id=lot.id,
                line_no=number,
                declared_model=line.model,
                declared_storage_gb=line.storage_gb,
                declared_grade=line.grade,
                declared_identifier=identifier,
                declared_has_charger=line.has_charger,
                quoted_price=price,
                currency=line.currency.upper()[:3],
            )
        )
    append_event(
        uow.session,
        actor=user.name,
        action="lot.received",
        subject=f"lot:{lot.reference}",
        payload={"partner": lot.partner, "lines": len(lines), "quoted_on": quoted_on.isoformat()},
    )
    uow.commit()
    return lot.id


def _line_identifier(number: int, line: DeclaredLine) -> str | None:
    if not line.identifier:
        return None
    try:
        return classify_identifier(line.identifier)[1]
    except ValueError as exc:
        raise InvalidInput(f"line {number}: {exc}") from exc


def _reconcile_lot_item(uow: UnitOfWork, device: Device, actor: str) -> None:
    """If the device was declared in a lot, compare declared and audited and adjust its price."""
    identifiers = [i for i in (device.imei, device.imei2, device.serial) if i]
    item = uow.session.execute(
        sa.select(LotItem)
        .where(sa.or_(LotItem.device_id == device.id, LotItem.declared_identifier.in_(identifiers)))
        .limit(1)
    ).scalar_one_or_none()
    if item is None:
        return
    inspection = _last_inspection(uow, device)
    outcome = inspection.outcome or {}
    grade_row = uow.session.execute(
        sa.select(GradeRecord).where(GradeRecord.device_id == device.id).order_by(GradeRecord.id.desc()).limit(1)
    ).scalar_one_or_none()
    lot = item.lot
    family = DeviceFamily(device.family)
    declared = DeclaredDevice(
        model=item.declared_model,
        storage_gb=item.declared_storage_gb,
        grade=item.declared_grade,
        quoted_price=item.quoted_price,
        currency=item.currency,
        imei_or_serial=item.declared_identifier,
        has_charger=item.declared_has_charger,
    )
    audited = AuditedDevice(
        model=device.model,
        storage_gb=round(device.storage_bytes / 1e9) if device.storage_bytes else None,
        grade=CosmeticGrade(grade_row.grade) if grade_row and grade_row.grade else None,
        lock_verdict=LockVerdict(outcome.get("locks", "unknown")),
        battery_verdict=BatteryVerdict(outcome.get("battery", "unknown")),
        functional_verdict=FunctionalVerdict(outcome.get("functional", "incomplete")),
        family=family,
        has_charger=item.declared_has_charger,
    )
    result = reconcile(
        declared,
        audited,
        quoted_on=lot.quoted_on,
        audited_on=utcnow().date(),
        channel=load_channel(lot.channel),
    )
    item.device_id = device.id
    item.status = result.status.value
    item.adjusted_price = result.adjusted_price
    item.reasons = list(result.reasons)
    append_event(
        uow.session,
        actor=actor,
        action="lot.reconciled",
        subject=f"lot:{lot.reference}",
        payload={
            "line": item.line_no,
            "device": device.id,
            "status": result.status.value,
            "adjusted_price": str(result.adjusted_price) if result.adjusted_price is not None else None,
        },
    )

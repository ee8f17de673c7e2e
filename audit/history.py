"""A device's full history, read-only, as plain values for the CLI, the GUI and the reports."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from audit.models import (
    AuditEvent,
    BatteryRecord,
    CertificateRecord,
    DefectRecord,
    Device,
    ErasureRecord,
    FunctionalRecord,
    GradeRecord,
    Inspection,
    Listing,
    LockRecord,
    LotItem,
    ReviewRecord,
    User,
)
from audit.readings import LockKind
from audit.unit_of_work import UnitOfWork


@dataclasses.dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    who: str
    what: str
    detail: str


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceHistory:
    device_id: int
    label: str
    family: str
    make: str
    model: str
    model_number: str | None
    serial: str | None
    imeis: tuple[str, ...]
    storage_bytes: int | None
    colour: str | None
    state: str
    state_reason: str
    version: int
    lot: str | None
    entries: tuple[HistoryEntry, ...]

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["entries"] = [{**dataclasses.asdict(e), "at": e.at.isoformat()} for e in self.entries]
        return out


# Audit events that change what a device is, shown in its timeline by the name they get there.
_EVENTS_SHOWN = {"device.state": "state", "device.colour": "colour"}


def _describe(kind: str, row: Any) -> str:
    data = getattr(row, "data", {}) or {}
    if kind == "battery":
        soh = "unknown" if row.soh_percent is None else f"{row.soh_percent:g}%"
        cycles = "unknown" if row.cycle_count is None else str(row.cycle_count)
        return f"battery SoH {soh}, {cycles} cycles -> {row.verdict} (source: {row.source})"
    if kind == "locks":
        parts = [
            f"{name} {data[name]['state']}"
            for name in (kind.value for kind in LockKind)
            if isinstance(data.get(name), dict)
        ]
        return f"locks -> {row.verdict}: " + ", ".join(parts) + f" (source: {row.source})"
    if kind == "functional":
        note = f" ({data.get('note')})" if data.get("note") else ""
        return f"test {row.test_id}: {row.outcome} [{data.get('measured_by', '?')}]{note}"
    if kind == "defect":
        return f"defect: {row.zone} {data.get('kind', '?')} ({row.severity})"
    if kind == "grade":
        return f"grade {row.grade or 'not sellable'} / CTIA {row.ctia}: {row.reason} (rubric {row.rubric_version})"
    if kind == "erasure":
        return f"erasure {row.status}: {row.method} (NIST {row.nist_level}, verification {data.get('verification')})"
    if kind == "certificate":
        return f"certificate {row.id} signed by key {row.key_fingerprint[:16]}"
    if kind == "review":
        return f"{row.decision}" + (f": {row.reason}" if row.reason else "")
    if kind == "listing":
        return f"listing on {row.marketplace} as {row.sku}: {row.status}"
    return ""


def device_history(uow: UnitOfWork, device: Device) -> DeviceHistory:
    session = uow.session
    users: dict[int, str] = {row.id: row.name for row in session.execute(sa.select(User.id, User.name))}
    entries: list[HistoryEntry] = []
    for inspection in session.execute(
        sa.select(Inspection).where(Inspection.device_id == device.id).order_by(Inspection.id)
    ).scalars():
        who = users.get(inspection.technician_id, "?")
        detail = f"station {inspection.station}, channel {inspection.channel}"
        entries.append(HistoryEntry(inspection.started_at, who, f"inspection #{inspection.id} started", detail))
        if inspection.ended_at:
            outcome = inspection.outcome or {}
            summary = ", ".join(
                f"{k} {outcome[k]}" for k in ("state", "locks", "battery", "functional") if k in outcome
            )
            entries.append(HistoryEntry(inspection.ended_at, who, f"inspection #{inspection.id} ended", summary))
    readings: list[tuple[str, Any, str, str]] = [
        ("battery", BatteryRecord, "recorded_at", "recorded_by_id"),
        ("locks", LockRecord, "recorded_at", "recorded_by_id"),
        ("functional", FunctionalRecord, "recorded_at", "recorded_by_id"),
        ("defect", DefectRecord, "recorded_at", "recorded_by_id"),
        ("grade", GradeRecord, "decided_at", "decided_by_id"),
        ("erasure", ErasureRecord, "recorded_at", "performed_by_id"),
        ("certificate", CertificateRecord, "issued_at", "issued_by_id"),
        ("review", ReviewRecord, "decided_at", "auditor_id"),
        ("listing", Listing, "created_at", "created_by_id"),
    ]
    for kind, model, at_attr, who_attr in readings:
        for row in session.execute(sa.select(model).where(model.device_id == device.id)).scalars():
            entries.append(
                HistoryEntry(getattr(row, at_attr), users.get(getattr(row, who_attr), "?"), kind, _describe(kind, row))
            )
    for event in session.execute(
        sa.select(AuditEvent).where(AuditEvent.subject == f"device:{device.id}", AuditEvent.action.in_(_EVENTS_SHOWN))
    ).scalars():
        payload = json.loads(event.payload)
        reason = f" ({payload['reason']})" if payload.get("reason") else ""
        what = _EVENTS_SHOWN[event.action]
        before = payload.get("from") or "unknown"
        entries.append(HistoryEntry(event.occurred_at, event.actor, what, f"{before} -> {payload['to']}{reason}"))
    entries.sort(key=lambda e: e.at)
    lot = session.execute(sa.select(LotItem).where(LotItem.device_id == device.id).limit(1)).scalar_one_or_none()
    return DeviceHistory(
        device_id=device.id,
        label=device.label,
        family=device.family,
        make=device.make,
        model=device.model,
        model_number=device.model_number,
        serial=device.serial,
        imeis=tuple(i for i in (device.imei, device.imei2) if i),
        storage_bytes=device.storage_bytes,
        colour=device.colour,
        state=device.state,
        state_reason=device.state_reason,
        version=device.version_id,
        lot=f"{lot.lot.reference} line {lot.line_no} ({lot.status})" if lot else None,
        entries=tuple(entries),
    )

"""What each printed document says, read from the records as plain values (``reports/`` renders them).

Documents never compute a verdict of their own: they show the verdicts, reasons and thresholds the services
recorded. Each read model is a frozen dataclass so a renderer cannot touch the database, and ``reports/`` stays
free of SQLAlchemy.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from audit.chain import canonical_json
from audit.errors import NotFound
from audit.models import (
    BatteryRecord,
    CertificateRecord,
    DefectRecord,
    Device,
    ErasureRecord,
    FunctionalRecord,
    GradeRecord,
    Inspection,
    LockRecord,
    Lot,
    LotItem,
    ReviewRecord,
    User,
    utcnow,
)
from audit.models import Photo as PhotoRecord
from audit.queries import LotLineTerms, lot_line_terms
from audit.readings import BatteryReading, DeviceFamily, LockKind, LockState, storage_gb
from audit.rules.channels import RuleDataError, load_channel
from audit.rules.functional import load_test_plan
from audit.rules.grading import CosmeticGrade
from audit.rules.locks import relevant_locks, shown_locks
from audit.rules.tradein import LotTotals
from audit.unit_of_work import UnitOfWork

# ---------------------------------------------------------------------------------------------------------------
# Device audit report


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceSummary:
    device_id: int
    family: str
    make: str
    model: str
    model_number: str | None
    serial: str | None
    imeis: tuple[str, ...]
    storage_gb: int | None
    colour: str | None
    state: str
    state_reason: str
    lot: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class BatteryLine:
    source: str
    soh_percent: float | None
    soh_basis: str  # "device" (the device's own figure), "capacity" (full charge / design), "unknown"
    cycle_count: int | None
    design_capacity: float | None
    full_charge_capacity: float | None
    unit: str | None
    verdict: str
    sellable_min_soh: float
    worn_below_soh: float
    recorded_by: str
    recorded_at: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class LockLine:
    kind: str  # LockKind value
    state: str  # LockState value
    evidence: str
    relevant: bool  # whether the family must have this lock checked
    shown: bool = True  # whether it is worth a line for this family (every lock found on is)


@dataclasses.dataclass(frozen=True, slots=True)
class LocksSummary:
    source: str
    verdict: str
    lines: tuple[LockLine, ...]
    recorded_by: str
    recorded_at: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class FunctionalLine:
    test_id: str
    title: str  # the test plan's English title; renderers translate by test id
    outcome: str
    measured_by: str
    recorded_by: str
    recorded_at: datetime
    note: str
    evidence: tuple[tuple[str, str], ...] = ()  # e.g. ("samples", "[[s, V, A, W], ...]") from a USB meter


@dataclasses.dataclass(frozen=True, slots=True)
class DefectLine:
    zone: str
    kind: str
    severity: str
    note: str
    recorded_by: str


@dataclasses.dataclass(frozen=True, slots=True)
class GradeLine:
    grade: str | None  # CosmeticGrade value, None when not sellable
    ctia: str
    sellable: bool
    reason: str  # the rule that decided it, as the rubric wrote it
    rubric_version: str
    decided_by: str
    decided_at: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class ErasureLine:
    status: str
    method: str
    nist_level: str
    tool: str | None
    tool_version: str | None
    verification: str | None
    verification_result: str | None
    started_at: datetime
    finished_at: datetime
    performed_by: str
    certificate_id: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class ReviewLine:
    decision: str
    reason: str
    auditor: str
    decided_at: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class Photo:
    """One photo of the device (an intake / RMA view, or a defect close-up)."""

    view: str  # PhotoView value, or "defect"
    path: str  # absolute when the report was read with the data directory, else relative to it
    taken_by: str
    taken_at: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceReportData:
    report_id: str
    generated_at: datetime
    device: DeviceSummary
    inspection_id: int
    station: str
    channel: str
    channel_label: str
    inspection_status: str
    started_at: datetime
    ended_at: datetime | None
    technician: str
    battery: BatteryLine | None
    locks: LocksSummary | None
    functional: tuple[FunctionalLine, ...]
    defects: tuple[DefectLine, ...]
    grade: GradeLine | None
    erasure: ErasureLine | None
    review: ReviewLine | None
    photos: tuple[Photo, ...] = ()

    @property
    def digest(self) -> str:
        """SHA-256 of what the report states (everything but when it was generated): re-read it to compare."""
        body = dataclasses.asdict(self)
        body.pop("generated_at")
        return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def _users(uow: UnitOfWork) -> dict[int, str]:
    return {row.id: row.name for row in uow.session.execute(sa.select(User.id, User.name))}


def _lot_reference(uow: UnitOfWork, device_id: int) -> str | None:
    row = uow.session.execute(
        sa.select(Lot.reference, LotItem.line_no)
        .join(Lot, Lot.id == LotItem.lot_id)
        .where(LotItem.device_id == device_id)
    ).first()
    return None if row is None else f"{row.reference} #{row.line_no}"


def _summary(uow: UnitOfWork, device: Device) -> DeviceSummary:
    return DeviceSummary(
        device_id=device.id,
        family=device.family,
        make=device.make,
        model=device.model,
        model_number=device.model_number,
        serial=device.serial,
        imeis=tuple(i for i in (device.imei, device.imei2) if i),
        storage_gb=storage_gb(device.storage_bytes),
        colour=device.colour,
        state=device.state,
        state_reason=device.state_reason,
        lot=_lot_reference(uow, device.id),
    )


def _last(uow: UnitOfWork, model: Any, inspection_id: int) -> Any:
    return uow.session.execute(
        sa.select(model).where(model.inspection_id == inspection_id).order_by(model.id.desc()).limit(1)
    ).scalar_one_or_none()


def _battery_line(row: BatteryRecord, users: dict[int, str], channel: str) -> BatteryLine:
    reading = BatteryReading.from_record(row.data)
    if reading.state_of_health is not None:
        basis = "device"
    elif row.soh_percent is not None:
        basis = "capacity"
    else:
        basis = "unknown"
    thresholds = load_channel(channel)
    return BatteryLine(
        source=row.source,
        soh_percent=row.soh_percent,
        soh_basis=basis,
        cycle_count=row.cycle_count,
        design_capacity=reading.design_capacity,
        full_charge_capacity=reading.full_charge_capacity,
        unit=reading.unit.value if reading.unit else None,
        verdict=row.verdict,
        sellable_min_soh=thresholds.battery_sellable_min_soh,
        worn_below_soh=thresholds.battery_worn_below_soh,
        recorded_by=users.get(row.recorded_by_id, "?"),
        recorded_at=row.recorded_at,
    )


def _locks_summary(row: LockRecord, users: dict[int, str], family: DeviceFamily) -> LocksSummary:
    relevant = relevant_locks(family)
    lines = []
    for kind in LockKind:
        check = row.data.get(kind.value)
        state = check.get("state", LockState.UNKNOWN.value) if isinstance(check, dict) else LockState.UNKNOWN.value
        evidence = check.get("evidence", "") if isinstance(check, dict) else ""
        shown = kind in shown_locks(family) or state == LockState.ON.value
        lines.append(LockLine(kind.value, str(state), str(evidence), kind in relevant, shown))
    return LocksSummary(
        source=row.source,
        verdict=row.verdict,
        lines=tuple(lines),
        recorded_by=users.get(row.recorded_by_id, "?"),
        recorded_at=row.recorded_at,
    )


def _functional_lines(
    uow: UnitOfWork, inspection: Inspection, family: DeviceFamily, users: dict[int, str]
) -> tuple[FunctionalLine, ...]:
    plan = load_test_plan(family)
    titles = {step.test_id: step.title for step in plan.steps}
    latest: dict[str, FunctionalRecord] = {}
    for row in uow.session.execute(
        sa.select(FunctionalRecord).where(FunctionalRecord.inspection_id == inspection.id).order_by(FunctionalRecord.id)
    ).scalars():
        latest[row.test_id] = row  # a re-test adds a reading; the report shows the one that counts, the last
    order = {test_id: index for index, test_id in enumerate(plan.test_ids)}
    return tuple(
        FunctionalLine(
            test_id=row.test_id,
            title=titles.get(row.test_id, row.test_id),
            outcome=row.outcome,
            measured_by=str(row.data.get("measured_by", "")),
            recorded_by=users.get(row.recorded_by_id, "?"),
            recorded_at=row.recorded_at,
            note=str(row.data.get("note", "")),
            evidence=tuple(
                (str(pair[0]), str(pair[1]))
                for pair in row.data.get("evidence") or ()
                if isinstance(pair, list | tuple) and len(pair) == 2
            ),
        )
        for row in sorted(latest.values(), key=lambda r: order.get(r.test_id, len(order)))
    )


def _erasure_line(uow: UnitOfWork, row: ErasureRecord, users: dict[int, str]) -> ErasureLine:
    certificate = uow.session.execute(
        sa.select(CertificateRecord.id).where(CertificateRecord.erasure_id == row.id)
    ).scalar_one_or_none()
    data = row.data
    return ErasureLine(
        status=row.status,
        method=row.method,
        nist_level=row.nist_level,
        tool=data.get("tool"),
        tool_version=data.get("tool_version"),
        verification=data.get("verification"),
        verification_result=data.get("verification_result"),
        started_at=row.started_at,
        finished_at=row.finished_at,
        performed_by=users.get(row.performed_by_id, "?"),
        certificate_id=certificate,
    )


def _inspection(uow: UnitOfWork, device: Device, inspection_id: int | None) -> Inspection:
    query = sa.select(Inspection).where(Inspection.device_id == device.id)
    if inspection_id is not None:
        query = query.where(Inspection.id == inspection_id)
    inspection = uow.session.execute(query.order_by(Inspection.id.desc()).limit(1)).scalar_one_or_none()
    if inspection is None:
        which = f"inspection #{inspection_id}" if inspection_id is not None else "no inspection yet"
        raise NotFound(f"{device.label} has {which}: there is nothing to report")
    return inspection


def _photos(
    uow: UnitOfWork, device: Device, inspection: Inspection, users: dict[int, str], data_dir: Path | None
) -> tuple[Photo, ...]:
    rows = uow.session.execute(
        sa.select(PhotoRecord)
        .where(
            PhotoRecord.device_id == device.id,
            sa.or_(PhotoRecord.inspection_id == inspection.id, PhotoRecord.inspection_id.is_(None)),
        )
        .order_by(PhotoRecord.id)
    ).scalars()
    return tuple(
        Photo(
            view=row.view,
            path=str(data_dir.joinpath(*row.path.split("/"))) if data_dir is not None else row.path,
            taken_by=users.get(row.taken_by_id, "?"),
            taken_at=row.added_at,
        )
        for row in rows
    )


def device_report_data(
    uow: UnitOfWork, device: Device, inspection_id: int | None = None, *, data_dir: Path | None = None
) -> DeviceReportData:
    """The audit report of one inspection of ``device`` (its last one unless ``inspection_id`` is given).

    ``data_dir`` is the station's data directory, where photos are stored; without it photo paths stay relative.
    """
    users = _users(uow)
    inspection = _inspection(uow, device, inspection_id)
    family = DeviceFamily(device.family)
    battery_row = _last(uow, BatteryRecord, inspection.id)
    lock_row = _last(uow, LockRecord, inspection.id)
    grade_row = _last(uow, GradeRecord, inspection.id)
    erasure_row = _last(uow, ErasureRecord, inspection.id)
    review_row = _last(uow, ReviewRecord, inspection.id)
    defects = tuple(
        DefectLine(
            zone=row.zone,
            kind=str(row.data.get("kind", "")),
            severity=row.severity,
            note=str(row.data.get("note", "")),
            recorded_by=users.get(row.recorded_by_id, "?"),
        )
        for row in uow.session.execute(
            sa.select(DefectRecord).where(DefectRecord.inspection_id == inspection.id).order_by(DefectRecord.id)
        ).scalars()
    )
    try:
        channel_label = load_channel(inspection.channel).label
    except RuleDataError:
        channel_label = inspection.channel
    return DeviceReportData(
        report_id=f"DR-{device.id:06d}-{inspection.id}",
        generated_at=utcnow(),
        device=_summary(uow, device),
        inspection_id=inspection.id,
        station=inspection.station,
        channel=inspection.channel,
        channel_label=channel_label,
        inspection_status=inspection.status,
        started_at=inspection.started_at,
        ended_at=inspection.ended_at,
        technician=users.get(inspection.technician_id, "?"),
        battery=_battery_line(battery_row, users, inspection.channel) if battery_row else None,
        locks=_locks_summary(lock_row, users, family) if lock_row else None,
        functional=_functional_lines(uow, inspection, family, users),
        defects=defects,
        grade=(
            GradeLine(
                grade=grade_row.grade,
                ctia=grade_row.ctia,
                sellable=grade_row.sellable,
                reason=grade_row.reason,
                rubric_version=grade_row.rubric_version,
                decided_by=users.get(grade_row.decided_by_id, "?"),
                decided_at=grade_row.decided_at,
            )
            if grade_row
            else None
        ),
        erasure=_erasure_line(uow, erasure_row, users) if erasure_row else None,
        review=(
            ReviewLine(
                decision=review_row.decision,
                reason=review_row.reason,
                auditor=users.get(review_row.auditor_id, "?"),
                decided_at=review_row.decided_at,
            )
            if review_row
            else None
        ),
        photos=_photos(uow, device, inspection, users, data_dir),
    )


# ---------------------------------------------------------------------------------------------------------------
# Erasure certificate


@dataclasses.dataclass(frozen=True, slots=True)
class CertificateData:
    """A signed certificate exactly as recorded: ``payload`` is the signed text, ``fields`` its parsed form."""

    certificate_id: str
    issued_at: datetime
    issued_by: str
    payload: str
    signature: str
    key_fingerprint: str
    public_key_pem: str | None  # the station's public key when it matches the fingerprint; None otherwise
    fields: dict[str, Any]

    @property
    def media(self) -> dict[str, Any]:
        media = self.fields.get("media")
        return media if isinstance(media, dict) else {}

    @property
    def sanitization(self) -> dict[str, Any]:
        sanitization = self.fields.get("sanitization")
        return sanitization if isinstance(sanitization, dict) else {}


def certificate_data(uow: UnitOfWork, certificate_id: str, *, public_key_pem: str | None = None) -> CertificateData:
    """Read one certificate. ``public_key_pem`` (the station's key) is kept only if it is the key that signed it."""
    record = uow.session.get(CertificateRecord, certificate_id)
    if record is None:
        raise NotFound(f"no certificate {certificate_id}")
    return _certificate(uow, record, public_key_pem)


def device_certificate_data(uow: UnitOfWork, device: Device, *, public_key_pem: str | None = None) -> CertificateData:
    """The device's latest certificate."""
    record = uow.session.execute(
        sa.select(CertificateRecord)
        .where(CertificateRecord.device_id == device.id)
        .order_by(CertificateRecord.issued_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if record is None:
        raise NotFound(f"{device.label} has no erasure certificate")
    return _certificate(uow, record, public_key_pem)


def _certificate(uow: UnitOfWork, record: CertificateRecord, public_key_pem: str | None) -> CertificateData:
    # Imported here: the certificate module pulls in cryptography, which only certificates need.
    from audit.certificates import CertificateError, fingerprint, load_public_key

    if public_key_pem is not None:
        try:
            if fingerprint(load_public_key(public_key_pem)) != record.key_fingerprint:
                public_key_pem = None  # the station key changed since: never print a key that did not sign
        except CertificateError:
            public_key_pem = None
    issuer = uow.session.get(User, record.issued_by_id)
    fields = json.loads(record.payload)
    return CertificateData(
        certificate_id=record.id,
        issued_at=record.issued_at,
        issued_by=issuer.name if issuer else "?",
        payload=record.payload,
        signature=record.signature,
        key_fingerprint=record.key_fingerprint,
        public_key_pem=public_key_pem,
        fields=fields if isinstance(fields, dict) else {},
    )


# ---------------------------------------------------------------------------------------------------------------
# Lot report


@dataclasses.dataclass(frozen=True, slots=True)
class LotLine(LotLineTerms):
    """A line of the lot report: the declared terms, then what the audit found."""

    audited_model: str | None
    audited_storage_gb: int | None
    audited_grade: str | None
    sellable: bool | None
    soh_percent: float | None
    battery_verdict: str | None
    lock_verdict: str | None
    functional_verdict: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class LotReportData(LotTotals[LotLine]):
    reference: str
    partner: str
    channel: str
    channel_label: str
    quoted_on: date
    received_at: datetime
    received_by: str
    generated_at: datetime
    lines: tuple[LotLine, ...]
    sellable_min_soh: float
    worn_below_soh: float

    def counts_by_status(self) -> tuple[tuple[str, int], ...]:
        return _counts(line.status for line in self.lines)

    def counts_by_grade(self) -> tuple[tuple[str, int], ...]:
        """Audited grades, best first; "not_sellable" and "not_graded" last."""
        counts = Counter(
            line.audited_grade if line.audited_grade else ("not_sellable" if line.sellable is False else "not_graded")
            for line in self.lines
        )
        order = [g.value for g in CosmeticGrade.best_first()] + ["not_sellable", "not_graded"]
        return tuple((key, counts[key]) for key in order if counts[key])

    def counts_by_lock(self) -> tuple[tuple[str, int], ...]:
        return _counts(line.lock_verdict or "not_checked" for line in self.lines)

    def counts_by_battery_band(self) -> tuple[tuple[str, int], ...]:
        """Bands on the lot channel's thresholds: at or above the sellable minimum, between, below, unknown."""
        counts = Counter(self.battery_band(line.soh_percent) for line in self.lines)
        order = ("sellable", "replace", "worn", "unknown")
        return tuple((band, counts[band]) for band in order if counts[band])

    def battery_band(self, soh: float | None) -> str:
        if soh is None:
            return "unknown"
        if soh >= self.sellable_min_soh:
            return "sellable"
        if soh >= self.worn_below_soh:
            return "replace"
        return "worn"


def _counts(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def _latest_by_device(uow: UnitOfWork, model: Any, device_ids: Sequence[int]) -> dict[int, Any]:
    latest: dict[int, Any] = {}
    if device_ids:
        for row in uow.session.execute(
            sa.select(model).where(model.device_id.in_(device_ids)).order_by(model.id)
        ).scalars():
            latest[row.device_id] = row
    return latest


def lot_report_data(uow: UnitOfWork, reference: str) -> LotReportData:
    """A lot, line by line, declared against audited: a handful of queries whatever the lot's size."""
    lot = uow.session.execute(sa.select(Lot).where(Lot.reference == reference.strip())).scalar_one_or_none()
    if lot is None:
        raise NotFound(f"no lot {reference!r}")
    items = uow.session.execute(sa.select(LotItem).where(LotItem.lot_id == lot.id).order_by(LotItem.line_no)).scalars()
    items_list = list(items)
    device_ids = [item.device_id for item in items_list if item.device_id is not None]
    devices: dict[int, Device] = {}
    if device_ids:
        devices = {d.id: d for d in uow.session.execute(sa.select(Device).where(Device.id.in_(device_ids))).scalars()}
    batteries = _latest_by_device(uow, BatteryRecord, device_ids)
    grades = _latest_by_device(uow, GradeRecord, device_ids)
    locks = _latest_by_device(uow, LockRecord, device_ids)
    inspections = _latest_by_device(uow, Inspection, device_ids)
    channel = load_channel(lot.channel)
    receiver = uow.session.get(User, lot.received_by_id)
    lines = []
    for item in items_list:
        device = devices.get(item.device_id) if item.device_id is not None else None
        battery = batteries.get(item.device_id) if item.device_id is not None else None
        grade = grades.get(item.device_id) if item.device_id is not None else None
        lock = locks.get(item.device_id) if item.device_id is not None else None
        inspection = inspections.get(item.device_id) if item.device_id is not None else None
        outcome = (inspection.outcome or {}) if inspection is not None else {}
        lines.append(
            LotLine(
                **lot_line_terms(item),
                audited_model=device.model if device else None,
                audited_storage_gb=storage_gb(device.storage_bytes) if device else None,
                audited_grade=grade.grade if grade else None,
                sellable=grade.sellable if grade else None,
                soh_percent=battery.soh_percent if battery else None,
                battery_verdict=battery.verdict if battery else None,
                lock_verdict=lock.verdict if lock else None,
                functional_verdict=outcome.get("functional"),
            )
        )
    return LotReportData(
        reference=lot.reference,
        partner=lot.partner,
        channel=lot.channel,
        channel_label=channel.label,
        quoted_on=lot.quoted_on,
        received_at=lot.received_at,
        received_by=receiver.name if receiver else "?",
        generated_at=utcnow(),
        lines=tuple(lines),
        sellable_min_soh=channel.battery_sellable_min_soh,
        worn_below_soh=channel.battery_worn_below_soh,
    )


# ---------------------------------------------------------------------------------------------------------------
# Labels


@dataclasses.dataclass(frozen=True, slots=True)
class LabelData:
    device_id: int
    make: str
    model: str
    storage_gb: int | None
    colour: str | None
    grade: str | None  # CosmeticGrade value; None: not graded or not sellable
    ctia: str | None
    battery_percent: float | None
    imei: str | None
    serial: str | None
    lot: str | None

    @property
    def barcode_value(self) -> str:
        """What the scanner reads back: the IMEI of a phone, else the serial number."""
        return self.imei or self.serial or f"RS{self.device_id:08d}"


def label_data(uow: UnitOfWork, device: Device) -> LabelData:
    grade = uow.session.execute(
        sa.select(GradeRecord).where(GradeRecord.device_id == device.id).order_by(GradeRecord.id.desc()).limit(1)
    ).scalar_one_or_none()
    battery = uow.session.execute(
        sa.select(BatteryRecord).where(BatteryRecord.device_id == device.id).order_by(BatteryRecord.id.desc()).limit(1)
    ).scalar_one_or_none()
    return LabelData(
        device_id=device.id,
        make=device.make,
        model=device.model,
        storage_gb=storage_gb(device.storage_bytes),
        colour=device.colour,
        grade=grade.grade if grade else None,
        ctia=grade.ctia if grade else None,
        battery_percent=battery.soh_percent if battery else None,
        imei=device.imei,
        serial=device.serial,
        lot=_lot_reference(uow, device.id),
    )

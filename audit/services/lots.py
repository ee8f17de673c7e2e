"""Trade-in lots: receiving them against a quote and reconciling declared with audited."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from audit.errors import IdentityConflict, InvalidInput, NotFound, Refused
from audit.models import (
    Device,
    GradeRecord,
    Lot,
    LotItem,
    utcnow,
)
from audit.readings import DeviceFamily, storage_gb
from audit.roles import Action
from audit.rules.battery import BatteryVerdict
from audit.rules.channels import load_channel
from audit.rules.functional import FunctionalVerdict
from audit.rules.grading import CosmeticGrade
from audit.rules.identifiers import IdentifierError, classify_identifier
from audit.rules.locks import LockVerdict
from audit.rules.lot_csv import CsvProblem, parse_lot_csv
from audit.rules.tradein import AuditedDevice, DeclaredDevice, reconcile
from audit.services._common import (
    devices_matching,
    last_inspection,
    record_event,
    require_actor,
)
from audit.unit_of_work import UnitOfWork


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
    user = require_actor(uow, actor, Action.RECEIVE_LOT)
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
    record_event(
        uow,
        user.name,
        "lot.received",
        f"lot:{lot.reference}",
        {"partner": lot.partner, "lines": len(lines), "quoted_on": quoted_on.isoformat()},
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


def reconcile_lot_item(uow: UnitOfWork, device: Device, actor: str) -> None:
    """If the device was declared in a lot, compare declared and audited and adjust its price."""
    identifiers = [i for i in (device.imei, device.imei2, device.serial) if i]
    item = uow.session.execute(
        sa.select(LotItem)
        .where(sa.or_(LotItem.device_id == device.id, LotItem.declared_identifier.in_(identifiers)))
        .limit(1)
    ).scalar_one_or_none()
    if item is None:
        return
    inspection = last_inspection(uow, device)
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
        storage_gb=storage_gb(device.storage_bytes),
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
    record_event(
        uow,
        actor,
        "lot.reconciled",
        f"lot:{lot.reference}",
        {
            "line": item.line_no,
            "device": device.id,
            "status": result.status.value,
            "adjusted_price": str(result.adjusted_price) if result.adjusted_price is not None else None,
        },
    )


class LotFileRejected(InvalidInput):
    """The partner's file has problems: nothing was imported. ``problems`` lists each one with its line number."""

    def __init__(self, problems: Sequence[CsvProblem]) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(str(problem) for problem in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"the lot file was not imported: {shown}{more}")


def import_lot_csv(
    uow: UnitOfWork,
    actor: str,
    data: bytes | str,
    *,
    reference: str,
    partner: str,
    quoted_on: date,
    channel: str | None = None,
) -> int:
    """Receive a lot from the partner's CSV; a file with any bad line is refused whole (``LotFileRejected``)."""
    require_actor(uow, actor, Action.RECEIVE_LOT)
    parsed = parse_lot_csv(data)
    if not parsed.ok:
        raise LotFileRejected(parsed.problems)
    lines = [
        DeclaredLine(
            model=line.model,
            storage_gb=line.storage_gb,
            grade=line.grade,
            quoted_price=str(line.quoted_price),
            currency=line.currency,
            identifier=line.identifier,
            has_charger=line.has_charger,
        )
        for line in parsed.lines
    ]
    return receive_lot(
        uow, actor, reference=reference, partner=partner, quoted_on=quoted_on, lines=lines, channel=channel
    )


@dataclasses.dataclass(frozen=True, slots=True)
class ScanResult:
    lot: str
    line_no: int
    device_id: int
    label: str
    status: str  # the line's status: "pending" until the device is graded, then the reconciliation's
    adjusted_price: Decimal | None
    already_scanned: bool


def _same_model(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def scan_into_lot(uow: UnitOfWork, actor: str, lot_reference: str, identifier: str) -> ScanResult:
    """Link a scanned device to its line of the lot (by declared IMEI/serial, else by model); reconcile if graded.

    A device declared in, or already scanned into, another lot is refused; an unknown one must be registered at
    the bench first.
    """
    user = require_actor(uow, actor, Action.RECONCILE_LOT)
    lot = uow.session.execute(sa.select(Lot).where(Lot.reference == lot_reference.strip())).scalar_one_or_none()
    if lot is None:
        raise NotFound(f"no lot {lot_reference!r}")
    try:
        normalized = classify_identifier(identifier)[1]
    except IdentifierError as exc:
        raise InvalidInput(f"scan {identifier.strip()!r} is not an IMEI or serial number: {exc}") from exc
    found = devices_matching(uow, [normalized], [normalized])
    if len(found) > 1:
        raise IdentityConflict(f"{normalized} names several devices: an auditor must resolve it")
    device = found[0] if found else None
    if device is None:
        raise NotFound(
            f"no device with IMEI or serial {normalized}: plug it in at the bench so that it is registered, "
            "then scan it again"
        )
    uow.touch(device)
    identifiers = [i for i in (device.imei, device.imei2, device.serial) if i]
    linked = uow.session.execute(sa.select(LotItem).where(LotItem.device_id == device.id)).scalar_one_or_none()
    if linked is not None:
        if linked.lot_id != lot.id:
            raise Refused(f"{device.label} is already in lot {linked.lot.reference} (line {linked.line_no})")
        return ScanResult(
            lot.reference, linked.line_no, device.id, device.label, linked.status, linked.adjusted_price, True
        )
    declared = uow.session.execute(
        sa.select(LotItem).where(LotItem.declared_identifier.in_(identifiers)).order_by(LotItem.id)
    ).scalars()
    item: LotItem | None = None
    for candidate in declared:
        if candidate.lot_id != lot.id:
            raise Refused(
                f"{device.label} is declared in lot {candidate.lot.reference} (line {candidate.line_no}), "
                f"not in {lot.reference}: scan it into that lot"
            )
        if candidate.device_id is None:
            item = candidate
    if item is None:
        # Lines without an identifier ("10 x iPhone 12, good") take any device of their model, first come.
        item = next(
            (
                candidate
                for candidate in uow.session.execute(
                    sa.select(LotItem)
                    .where(
                        LotItem.lot_id == lot.id,
                        LotItem.device_id.is_(None),
                        LotItem.declared_identifier.is_(None),
                    )
                    .order_by(LotItem.line_no)
                ).scalars()
                if _same_model(candidate.declared_model, device.model)
            ),
            None,
        )
    if item is None:
        raise Refused(
            f"lot {lot.reference} has no open line for {device.label}: it is not in the partner's quote "
            "(or every line of its model is already scanned)"
        )
    item.device_id = device.id
    uow.session.flush()
    record_event(
        uow,
        user.name,
        "lot.scanned",
        f"lot:{lot.reference}",
        {"line": item.line_no, "device": device.id, "identifier": normalized},
    )
    graded = uow.session.execute(sa.select(GradeRecord.id).where(GradeRecord.device_id == device.id).limit(1)).first()
    if graded is not None:
        reconcile_lot_item(uow, device, user.name)
    uow.commit()
    return ScanResult(lot.reference, item.line_no, device.id, device.label, item.status, item.adjusted_price, False)

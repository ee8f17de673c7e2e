"""Trade-in lots: receiving them against a quote and reconciling declared with audited."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from audit.errors import InvalidInput
from audit.models import (
    Device,
    GradeRecord,
    Lot,
    LotItem,
    utcnow,
)
from audit.readings import (
    DeviceFamily,
)
from audit.roles import Action
from audit.rules.battery import BatteryVerdict
from audit.rules.channels import load_channel
from audit.rules.functional import FunctionalVerdict
from audit.rules.grading import CosmeticGrade
from audit.rules.identifiers import classify_identifier
from audit.rules.locks import LockVerdict
from audit.rules.tradein import AuditedDevice, DeclaredDevice, reconcile
from audit.services._common import (
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

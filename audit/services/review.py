"""The auditor's sign-off (never one's own work) and the audit chain check."""

from __future__ import annotations

import sqlalchemy as sa

from audit.chain import ChainReport, verify_audit_chain
from audit.errors import InvalidInput, Refused
from audit.lifecycle import DeviceState
from audit.models import (
    Device,
    ErasureRecord,
    FunctionalRecord,
    GradeRecord,
    Inspection,
    ReviewRecord,
    User,
)
from audit.roles import Action
from audit.services._common import (
    last_inspection,
    load_device,
    record_event,
    require_actor,
    set_state,
)
from audit.services.listings import queue_listing
from audit.unit_of_work import UnitOfWork


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
    user = require_actor(uow, actor, Action.REVIEW)
    device = load_device(uow, device_id)
    if device.state != DeviceState.CERTIFIED.value:
        raise Refused(f"cannot review {device.label}: it is {device.state}, not certified")
    inspection = last_inspection(uow, device)
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
    record_event(
        uow, user.name, f"review.{decision}", f"device:{device.id}", {"inspection": inspection.id, "reason": reason}
    )
    return device


def approve(
    uow: UnitOfWork,
    actor: str,
    device_id: int,
    reason: str = "",
    *,
    list_on: str | None = None,
    market: str = "fr-fr",
) -> int | None:
    """Sign the device off. With ``list_on`` (a marketplace), its listing is queued in the same transaction as the
    approval, so an approved device is never left unlisted by a crash in between; a listing the marketplace rules
    refuse (no price, battery below the channel...) refuses the whole approval with the reason. Returns the listing
    id, if any."""
    device = _review(uow, actor, device_id, "approved", reason)
    set_state(uow, device, DeviceState.APPROVED, actor, reason or "approved")
    listing_id = None
    if list_on is not None:
        auditor = require_actor(uow, actor, Action.HAND_OFF)
        listing_id = queue_listing(uow, auditor, device, marketplace=list_on, market=market).id
    uow.commit()
    return listing_id


def reject(uow: UnitOfWork, actor: str, device_id: int, reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("a rejection needs a reason")
    device = _review(uow, actor, device_id, "rejected", reason.strip())
    set_state(uow, device, DeviceState.IDENTIFIED, actor, f"rejected: {reason.strip()}")
    uow.commit()


def verify_chain(uow: UnitOfWork) -> ChainReport:
    return verify_audit_chain(uow.session)

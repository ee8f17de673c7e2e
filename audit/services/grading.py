"""Cosmetic grading by the rubric kept as data."""

from __future__ import annotations

import sqlalchemy as sa

from audit.errors import Refused
from audit.lifecycle import DeviceState
from audit.models import (
    DefectRecord,
    GradeRecord,
)
from audit.readings import (
    CosmeticDefect,
    DeviceFamily,
)
from audit.roles import Action
from audit.rules.grading import GradeDecision, decide_grade, load_rubric
from audit.services._common import (
    assert_not_locked,
    last_inspection,
    load_device,
    record_event,
    require_actor,
    set_state,
)
from audit.services.agent_bundles import record_agent_erasures
from audit.services.lots import reconcile_lot_item
from audit.unit_of_work import UnitOfWork


def grade_device(
    uow: UnitOfWork,
    actor: str,
    device_id: int,
    *,
    genuine_parts: bool | None = None,
    expected_version: int | None = None,
) -> GradeDecision:
    """Grade the device from the defects recorded in its last inspection, by the rubric kept as data."""
    user = require_actor(uow, actor, Action.GRADE)
    device = load_device(uow, device_id, expected_version)
    state = DeviceState(device.state)
    if state not in (DeviceState.INSPECTED, DeviceState.GRADED):
        raise Refused(f"cannot grade {device.label}: it is {state.value}")
    inspection = last_inspection(uow, device)
    assert_not_locked(uow, device, inspection, "grade")
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
    record_event(
        uow,
        user.name,
        "device.graded",
        f"device:{device.id}",
        {
            "grade": record.grade,
            "ctia": record.ctia,
            "sellable": decision.sellable,
            "reason": decision.reason,
            "defects": len(defects),
        },
    )
    if decision.sellable:
        set_state(uow, device, DeviceState.GRADED, user.name, decision.reason)
    else:
        set_state(uow, device, DeviceState.REPAIR, user.name, decision.reason)
    reconcile_lot_item(uow, device, user.name)
    uow.commit()
    if decision.sellable and device.family == DeviceFamily.LAPTOP.value:
        # A laptop erased by the agent before it was graded: its waiting erasure reports become records now (their
        # own transaction; if it fails the grade stands and `agent record-erasures` can do it again).
        record_agent_erasures(uow, actor, device.id)
    return decision

"""A lock the station could not read, checked by the technician at the bench and recorded as a new lock reading.

Find My reads false in Setup Assistant, a laptop agent on a boot stick cannot see MDM enrolment: the inspection
cannot finish while such a lock is unknown, so the technician checks it by hand (Settings, the activation server,
the maker's portal) and says what they did. The check becomes a new LockStatus, so the verdict and the quarantine
rules of ``record_reading`` apply to it as to any reading; a lock a reading found on is never cleared by hand.
"""

from __future__ import annotations

import dataclasses

from audit.errors import InvalidInput, NotFound, Refused
from audit.models import Inspection, LockRecord
from audit.readings import LockCheck, LockKind, LockState, LockStatus
from audit.roles import Action
from audit.rules.locks import LOCK_LABELS
from audit.services._common import latest_reading, record_event, require_actor
from audit.services.inspections import record_reading
from audit.unit_of_work import UnitOfWork

NOTE_MAX = 200
_STATES = (LockState.OFF, LockState.ON)


def record_lock_check(
    uow: UnitOfWork, actor: str, inspection_id: int, kind: LockKind, state: LockState, note: str
) -> int:
    """Record ``kind`` as ``state``, checked by hand by ``actor`` (``note``: what they did and saw).

    The latest lock reading of the inspection is kept with that one lock replaced. Returns the new reading's id.
    """
    user = require_actor(uow, actor, Action.INSPECT)
    note = " ".join(note.split())
    if not note:
        raise InvalidInput("say what you checked and saw (e.g. 'Settings > Apple ID: signed out')")
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"the note is {len(note)} characters: keep it to {NOTE_MAX}")
    if state not in _STATES:
        raise InvalidInput(f"a lock checked by hand is on or off, not {state.value}")
    inspection = uow.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(f"no inspection #{inspection_id}")
    label = LOCK_LABELS[kind]
    row = latest_reading(uow, LockRecord, inspection.id)
    base = LockStatus.from_record(row.data) if row is not None else LockStatus(source="")
    if base.check(kind).state is LockState.ON:
        raise Refused(
            f"{label} was read on ({base.source}): only the owner can remove it, "
            "then a new reading from the device clears it"
        )
    if inspection.status != "open":
        raise Refused(f"inspection #{inspection.id} is {inspection.status}: start a new one to check the locks")
    checked = LockCheck(state, f"checked by hand by {user.name}: {note}")
    status = dataclasses.replace(
        base, source=f"hand check at the bench ({inspection.station})", **{kind.value: checked}
    )
    record_event(
        uow,
        user.name,
        "locks.checked_by_hand",
        f"device:{inspection.device_id}",
        {"inspection": inspection.id, "lock": kind.value, "state": state.value, "note": note},
    )
    # The same path as every reading: the verdict is assessed there and a lock on quarantines at once.
    return record_reading(uow, user.name, inspection.id, status)

"""The device lifecycle: which state may follow which, as one table.

connected -> identified -> inspected -> graded -> erased -> certified -> approved -> listed, with the exits
quarantined (locked, blacklisted, identity mismatch), repair (e.g. a worn battery) and parts (not functional).
"""

from __future__ import annotations

import enum

from audit.errors import Refused


class DeviceState(enum.StrEnum):
    CONNECTED = "connected"
    IDENTIFIED = "identified"
    INSPECTED = "inspected"
    GRADED = "graded"
    ERASED = "erased"
    CERTIFIED = "certified"
    APPROVED = "approved"
    LISTED = "listed"
    QUARANTINED = "quarantined"
    REPAIR = "repair"
    PARTS = "parts"


class IllegalTransition(Refused):
    """A service asked for a state change the lifecycle does not allow."""

    def __init__(self, current: DeviceState, target: DeviceState, why: str = "") -> None:
        self.current = current
        self.target = target
        detail = f": {why}" if why else ""
        super().__init__(f"a device that is {current.value} cannot become {target.value}{detail}")


_S = DeviceState
_EXITS = frozenset({_S.QUARANTINED, _S.REPAIR, _S.PARTS})

TRANSITIONS: dict[DeviceState, frozenset[DeviceState]] = {
    _S.CONNECTED: frozenset({_S.IDENTIFIED, _S.QUARANTINED}),
    # Re-identifying is how a device that comes back to the bench starts a new pass.
    _S.IDENTIFIED: frozenset({_S.IDENTIFIED, _S.INSPECTED}) | _EXITS,
    _S.INSPECTED: frozenset({_S.IDENTIFIED, _S.GRADED}) | _EXITS,
    _S.GRADED: frozenset({_S.IDENTIFIED, _S.GRADED, _S.ERASED}) | _EXITS,
    _S.ERASED: frozenset({_S.IDENTIFIED, _S.CERTIFIED}) | _EXITS,
    # An auditor's rejection sends the device back to the bench for a new pass.
    _S.CERTIFIED: frozenset({_S.IDENTIFIED, _S.APPROVED}) | _EXITS,
    _S.APPROVED: frozenset({_S.IDENTIFIED, _S.LISTED, _S.QUARANTINED}),
    _S.LISTED: frozenset({_S.IDENTIFIED, _S.QUARANTINED}),
    # Once the owner removed the lock, or the repair is done, the device starts a new pass.
    _S.QUARANTINED: frozenset({_S.IDENTIFIED}),
    _S.REPAIR: frozenset({_S.IDENTIFIED, _S.PARTS}),
    _S.PARTS: frozenset({_S.IDENTIFIED}),
}


def can_transition(current: DeviceState, target: DeviceState) -> bool:
    return target in TRANSITIONS[current]


def require_transition(current: DeviceState, target: DeviceState, why: str = "") -> None:
    if not can_transition(current, target):
        raise IllegalTransition(current, target, why)

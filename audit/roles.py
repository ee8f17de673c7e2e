"""Who may do what. The service layer checks this table on every call; the GUI only mirrors it."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    TECHNICIAN = "technician"
    WAREHOUSE = "warehouse"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Action(enum.StrEnum):
    MANAGE_USERS = "manage users"
    RECEIVE_LOT = "receive lot"
    RECONCILE_LOT = "reconcile lot"
    REGISTER_DEVICE = "register device"
    INSPECT = "inspect"
    GRADE = "grade"
    ERASE = "erase"
    CERTIFY = "certify"
    QUARANTINE = "quarantine"
    RELEASE = "release"
    REVIEW = "review"
    HAND_OFF = "hand off"
    READ = "read"


_R = Role
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.MANAGE_USERS: frozenset({_R.ADMIN}),
    Action.RECEIVE_LOT: frozenset({_R.WAREHOUSE, _R.ADMIN}),
    Action.RECONCILE_LOT: frozenset({_R.WAREHOUSE, _R.TECHNICIAN, _R.ADMIN}),
    Action.REGISTER_DEVICE: frozenset({_R.TECHNICIAN, _R.WAREHOUSE, _R.ADMIN}),
    Action.INSPECT: frozenset({_R.TECHNICIAN, _R.ADMIN}),
    Action.GRADE: frozenset({_R.TECHNICIAN, _R.ADMIN}),
    Action.ERASE: frozenset({_R.TECHNICIAN, _R.ADMIN}),
    Action.CERTIFY: frozenset({_R.TECHNICIAN, _R.ADMIN}),
    Action.QUARANTINE: frozenset({_R.TECHNICIAN, _R.WAREHOUSE, _R.AUDITOR, _R.ADMIN}),
    # Releasing a quarantined device says "the owner removed the lock": an auditor's or admin's word.
    Action.RELEASE: frozenset({_R.AUDITOR, _R.ADMIN}),
    Action.REVIEW: frozenset({_R.AUDITOR, _R.ADMIN}),
    Action.HAND_OFF: frozenset({_R.WAREHOUSE, _R.AUDITOR, _R.ADMIN}),
    Action.READ: frozenset(Role),
}


def may(role: Role, action: Action) -> bool:
    return role in PERMISSIONS[action]

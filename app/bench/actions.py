"""The one next action a tile shows per device, as a code (for colour, icon and translation) and an English text.

The texts are templates (``%1`` is the detail, ``%2`` a percentage) so that the window can translate them with the
same placeholders; :attr:`NextAction.text` renders the English one for logs, tests and the CLI.
"""

from __future__ import annotations

import dataclasses
import enum

from audit.lifecycle import DeviceState
from audit.readings import LockKind


class Tone(enum.StrEnum):
    """How a tile looks from two metres: working (blue), a person must act on the phone (orange), done and good
    (green), blocked (red), nothing to do at the bench (grey)."""

    WORKING = "working"
    WAITING = "waiting"
    READY = "ready"
    BLOCKED = "blocked"
    IDLE = "idle"


class ActionCode(enum.StrEnum):
    CONNECTING = "connecting"
    READING = "reading"
    TRUST = "trust"
    UNLOCK = "unlock"
    TRUST_DENIED = "trust denied"
    USB_DEBUGGING = "usb debugging"
    ADB_STATE = "adb state"
    ICLOUD = "icloud"
    GOOGLE = "google"
    SAMSUNG = "samsung"
    MDM = "mdm"
    LOCKS_UNKNOWN = "locks unknown"
    IDENTITY_MISMATCH = "identity mismatch"
    QUARANTINED = "quarantined"
    READY_TO_GRADE = "ready to grade"
    READY_BATTERY = "ready, battery"
    BATTERY_UNKNOWN = "battery unknown"
    READY_TO_ERASE = "ready to erase"
    ERASING = "erasing"
    CERTIFY = "certify"
    AWAIT_APPROVAL = "await approval"
    READY_TO_LIST = "ready to list"
    LISTED = "listed"
    REPAIR = "repair"
    PARTS = "parts"
    NOT_ALLOWED = "not allowed"
    FAILED = "failed"


TEMPLATES: dict[ActionCode, tuple[str, Tone]] = {
    ActionCode.CONNECTING: ("Connecting…", Tone.WORKING),
    ActionCode.READING: ("Reading %1…", Tone.WORKING),
    ActionCode.TRUST: ("Trust this computer on the phone", Tone.WAITING),
    ActionCode.UNLOCK: ("Unlock the phone with its passcode", Tone.WAITING),
    ActionCode.TRUST_DENIED: ("“Don't Trust” was tapped: unplug the phone and plug it in again", Tone.WAITING),
    ActionCode.USB_DEBUGGING: ("Accept the USB debugging prompt", Tone.WAITING),
    ActionCode.ADB_STATE: ("Phone %1: unplug it and plug it in again", Tone.WAITING),
    ActionCode.ICLOUD: ("Find My is on: ask the owner to remove the phone from their iCloud", Tone.BLOCKED),
    ActionCode.GOOGLE: ("Google account present: ask the owner to remove it", Tone.BLOCKED),
    ActionCode.SAMSUNG: ("Samsung account present: ask the owner to remove it", Tone.BLOCKED),
    ActionCode.MDM: ("Managed by an organisation (MDM): ask the owner to release it", Tone.BLOCKED),
    ActionCode.LOCKS_UNKNOWN: ("Locks not readable: check them by hand (%1)", Tone.WAITING),
    ActionCode.IDENTITY_MISMATCH: ("Identity mismatch: set aside for an auditor (%1)", Tone.BLOCKED),
    ActionCode.QUARANTINED: ("Quarantined: %1", Tone.BLOCKED),
    ActionCode.READY_TO_GRADE: ("Ready to grade", Tone.READY),
    ActionCode.READY_BATTERY: ("Ready to grade — battery %2%: %1", Tone.WAITING),
    ActionCode.BATTERY_UNKNOWN: ("Ready to grade — battery unreadable: test it by hand", Tone.WAITING),
    ActionCode.READY_TO_ERASE: ("Graded: ready to erase", Tone.READY),
    ActionCode.ERASING: ("Erasing %2%", Tone.WORKING),
    ActionCode.CERTIFY: ("Erased: issue the certificate", Tone.READY),
    ActionCode.AWAIT_APPROVAL: ("Certified: waiting for an auditor", Tone.IDLE),
    ActionCode.READY_TO_LIST: ("Approved: ready for listing", Tone.READY),
    ActionCode.LISTED: ("Listed for sale", Tone.IDLE),
    ActionCode.REPAIR: ("For repair: %1", Tone.IDLE),
    ActionCode.PARTS: ("For parts: %1", Tone.IDLE),
    ActionCode.NOT_ALLOWED: ("Sign in as a technician to inspect (%1)", Tone.WAITING),
    ActionCode.FAILED: ("Problem: %1", Tone.BLOCKED),
}


@dataclasses.dataclass(frozen=True, slots=True)
class NextAction:
    code: ActionCode
    detail: str = ""
    percent: int | None = None

    @property
    def template(self) -> str:
        return TEMPLATES[self.code][0]

    @property
    def tone(self) -> Tone:
        return TEMPLATES[self.code][1]

    @property
    def text(self) -> str:
        return render(self.template, self)


def render(template: str, action: NextAction) -> str:
    percent = "" if action.percent is None else str(action.percent)
    return template.replace("%1", action.detail).replace("%2", percent)


_LOCK_ACTIONS: dict[LockKind, ActionCode] = {
    LockKind.ICLOUD: ActionCode.ICLOUD,
    LockKind.GOOGLE_FRP: ActionCode.GOOGLE,
    LockKind.SAMSUNG: ActionCode.SAMSUNG,
    LockKind.MDM: ActionCode.MDM,
}


def for_lock(kind: LockKind) -> NextAction:
    return NextAction(_LOCK_ACTIONS[kind])


def for_quarantine(reason: str) -> NextAction:
    """What to do about a device quarantined earlier, from the reason on record ("locked: google_frp, mdm")."""
    if reason.startswith("locked:"):
        kinds = [part.strip() for part in reason.removeprefix("locked:").split(",")]
        for kind in LockKind:
            if kind.value in kinds:
                return for_lock(kind)
    if reason.startswith("identity mismatch:"):
        return NextAction(ActionCode.IDENTITY_MISMATCH, reason.removeprefix("identity mismatch:").strip())
    return NextAction(ActionCode.QUARANTINED, reason or "see its history")


def for_state(state: str, reason: str = "") -> NextAction | None:
    """The next action for a device whose record is past the bench pass (None: the bench pass applies)."""
    match DeviceState(state):
        case DeviceState.CONNECTED | DeviceState.IDENTIFIED:
            return None
        case DeviceState.INSPECTED:
            return NextAction(ActionCode.READY_TO_GRADE)
        case DeviceState.GRADED:
            return NextAction(ActionCode.READY_TO_ERASE)
        case DeviceState.ERASED:
            return NextAction(ActionCode.CERTIFY)
        case DeviceState.CERTIFIED:
            return NextAction(ActionCode.AWAIT_APPROVAL)
        case DeviceState.APPROVED:
            return NextAction(ActionCode.READY_TO_LIST)
        case DeviceState.LISTED:
            return NextAction(ActionCode.LISTED)
        case DeviceState.QUARANTINED:
            return for_quarantine(reason)
        case DeviceState.REPAIR:
            return NextAction(ActionCode.REPAIR, reason)
        case DeviceState.PARTS:
            return NextAction(ActionCode.PARTS, reason)
    return None  # pragma: no cover - every state is matched above


def erasing(percent: int) -> NextAction:
    return NextAction(ActionCode.ERASING, percent=max(0, min(100, percent)))

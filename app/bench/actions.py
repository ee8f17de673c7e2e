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
    FIRMWARE_PASSWORD = "firmware password"
    COMPUTRACE = "computrace"
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


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate looks for
    """Marks ``text`` for translation in ``context`` without importing Qt here: the window translates it when shown
    (``QCoreApplication.translate("NextAction", template)``)."""
    return text


TEMPLATES: dict[ActionCode, tuple[str, Tone]] = {
    ActionCode.CONNECTING: (QT_TRANSLATE_NOOP("NextAction", "Connecting…"), Tone.WORKING),
    ActionCode.READING: (QT_TRANSLATE_NOOP("NextAction", "Reading %1…"), Tone.WORKING),
    ActionCode.TRUST: (QT_TRANSLATE_NOOP("NextAction", "Trust this computer on the phone"), Tone.WAITING),
    ActionCode.UNLOCK: (QT_TRANSLATE_NOOP("NextAction", "Unlock the phone with its passcode"), Tone.WAITING),
    ActionCode.TRUST_DENIED: (
        QT_TRANSLATE_NOOP("NextAction", "“Don't Trust” was tapped: unplug the phone and plug it in again"),
        Tone.WAITING,
    ),
    ActionCode.USB_DEBUGGING: (QT_TRANSLATE_NOOP("NextAction", "Accept the USB debugging prompt"), Tone.WAITING),
    ActionCode.ADB_STATE: (QT_TRANSLATE_NOOP("NextAction", "Phone %1: unplug it and plug it in again"), Tone.WAITING),
    ActionCode.ICLOUD: (
        QT_TRANSLATE_NOOP("NextAction", "Find My is on: ask the owner to remove the phone from their iCloud"),
        Tone.BLOCKED,
    ),
    ActionCode.GOOGLE: (
        QT_TRANSLATE_NOOP("NextAction", "Google account present: ask the owner to remove it"),
        Tone.BLOCKED,
    ),
    ActionCode.SAMSUNG: (
        QT_TRANSLATE_NOOP("NextAction", "Samsung account present: ask the owner to remove it"),
        Tone.BLOCKED,
    ),
    ActionCode.MDM: (
        QT_TRANSLATE_NOOP("NextAction", "Managed by an organisation (MDM): ask the owner to release it"),
        Tone.BLOCKED,
    ),
    ActionCode.FIRMWARE_PASSWORD: (
        QT_TRANSLATE_NOOP("NextAction", "Firmware password set: ask the owner for it, or its removal"),
        Tone.BLOCKED,
    ),
    ActionCode.COMPUTRACE: (
        QT_TRANSLATE_NOOP("NextAction", "Absolute / Computrace active: ask the owner to release the laptop"),
        Tone.BLOCKED,
    ),
    ActionCode.LOCKS_UNKNOWN: (
        QT_TRANSLATE_NOOP("NextAction", "Locks not readable: check them by hand (%1)"),
        Tone.WAITING,
    ),
    ActionCode.IDENTITY_MISMATCH: (
        QT_TRANSLATE_NOOP("NextAction", "Identity mismatch: set aside for an auditor (%1)"),
        Tone.BLOCKED,
    ),
    ActionCode.QUARANTINED: (QT_TRANSLATE_NOOP("NextAction", "Quarantined: %1"), Tone.BLOCKED),
    ActionCode.READY_TO_GRADE: (QT_TRANSLATE_NOOP("NextAction", "Ready to grade"), Tone.READY),
    ActionCode.READY_BATTERY: (QT_TRANSLATE_NOOP("NextAction", "Ready to grade — battery %2%: %1"), Tone.WAITING),
    ActionCode.BATTERY_UNKNOWN: (
        QT_TRANSLATE_NOOP("NextAction", "Ready to grade — battery unreadable: test it by hand"),
        Tone.WAITING,
    ),
    ActionCode.READY_TO_ERASE: (QT_TRANSLATE_NOOP("NextAction", "Graded: ready to erase"), Tone.READY),
    ActionCode.ERASING: (QT_TRANSLATE_NOOP("NextAction", "Erasing %2%"), Tone.WORKING),
    ActionCode.CERTIFY: (QT_TRANSLATE_NOOP("NextAction", "Erased: issue the certificate"), Tone.READY),
    ActionCode.AWAIT_APPROVAL: (QT_TRANSLATE_NOOP("NextAction", "Certified: waiting for an auditor"), Tone.IDLE),
    ActionCode.READY_TO_LIST: (QT_TRANSLATE_NOOP("NextAction", "Approved: ready for listing"), Tone.READY),
    ActionCode.LISTED: (QT_TRANSLATE_NOOP("NextAction", "Listed for sale"), Tone.IDLE),
    ActionCode.REPAIR: (QT_TRANSLATE_NOOP("NextAction", "For repair: %1"), Tone.IDLE),
    ActionCode.PARTS: (QT_TRANSLATE_NOOP("NextAction", "For parts: %1"), Tone.IDLE),
    ActionCode.NOT_ALLOWED: (QT_TRANSLATE_NOOP("NextAction", "Sign in as a technician to inspect (%1)"), Tone.WAITING),
    ActionCode.FAILED: (QT_TRANSLATE_NOOP("NextAction", "Problem: %1"), Tone.BLOCKED),
}

# The fixed details the bench gives with some actions (%1 above): this module owns them, the supervisor and the links
# use these names. The window translates a detail it finds in the catalogue, and shows any other (an error's text) as
# it is.
STEP_NAMES = (  # "Reading %1…": the values of app.bench.events.Step
    QT_TRANSLATE_NOOP("NextAction", "identity"),
    QT_TRANSLATE_NOOP("NextAction", "battery"),
    QT_TRANSLATE_NOOP("NextAction", "locks"),
    QT_TRANSLATE_NOOP("NextAction", "probes"),
)
REPLACE_BEFORE_SALE = QT_TRANSLATE_NOOP("NextAction", "replace before sale")
WORN = QT_TRANSLATE_NOOP("NextAction", "worn, send to repair")
READ_FAILED = QT_TRANSLATE_NOOP("NextAction", "read failed")
NOT_READY = QT_TRANSLATE_NOOP("NextAction", "not ready")
SEE_HISTORY = QT_TRANSLATE_NOOP("NextAction", "see its history")
DETAILS = (*STEP_NAMES, REPLACE_BEFORE_SALE, WORN, READ_FAILED, NOT_READY, SEE_HISTORY)


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
    LockKind.FIRMWARE_PASSWORD: ActionCode.FIRMWARE_PASSWORD,
    LockKind.COMPUTRACE: ActionCode.COMPUTRACE,
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
    return NextAction(ActionCode.QUARANTINED, reason or SEE_HISTORY)


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

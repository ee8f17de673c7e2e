"""Account and management locks: any lock on blocks valuation and grading until the owner removes it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from types import MappingProxyType

from audit.readings import DeviceFamily, LockKind, LockState, LockStatus


class LockVerdict(enum.StrEnum):
    CLEAR = "clear"
    LOCKED = "locked"
    UNKNOWN = "unknown"  # a relevant lock was not checked: check required before valuation

    @property
    def blocks_valuation(self) -> bool:
        return self is not LockVerdict.CLEAR


LOCK_LABELS: MappingProxyType[LockKind, str] = MappingProxyType(
    {
        LockKind.ICLOUD: "iCloud Activation Lock / Find My",
        LockKind.GOOGLE_FRP: "Google account (Factory Reset Protection)",
        LockKind.SAMSUNG: "Samsung account (Reactivation Lock)",
        LockKind.MDM: "MDM / remote management",
        LockKind.FIRMWARE_PASSWORD: "Firmware (BIOS/UEFI) password",
        LockKind.COMPUTRACE: "Absolute / Computrace persistence",
    }
)

# Kinds that must be checked for a family. Samsung is listed for every Android device because the family alone
# does not say the make: drivers report NOT_APPLICABLE on other makes; an unchecked Samsung lock stays open.
# Laptops list iCloud for Macs on the same terms (NOT_APPLICABLE on other makes).
_RELEVANT: MappingProxyType[DeviceFamily, tuple[LockKind, ...]] = MappingProxyType(
    {
        DeviceFamily.IPHONE: (LockKind.ICLOUD, LockKind.MDM),
        DeviceFamily.IPAD: (LockKind.ICLOUD, LockKind.MDM),
        DeviceFamily.ANDROID: (LockKind.GOOGLE_FRP, LockKind.SAMSUNG, LockKind.MDM),
        DeviceFamily.LAPTOP: (LockKind.ICLOUD, LockKind.MDM),
    }
)


# Kinds worth showing for a family (a lock reported ON is shown whatever the family). A laptop's firmware locks are
# shown but not required: the agent cannot see them from a boot stick, and a reading of ON still blocks.
_SHOWN: MappingProxyType[DeviceFamily, tuple[LockKind, ...]] = MappingProxyType(
    {
        DeviceFamily.IPHONE: (LockKind.ICLOUD, LockKind.GOOGLE_FRP, LockKind.SAMSUNG, LockKind.MDM),
        DeviceFamily.IPAD: (LockKind.ICLOUD, LockKind.GOOGLE_FRP, LockKind.SAMSUNG, LockKind.MDM),
        DeviceFamily.ANDROID: (LockKind.ICLOUD, LockKind.GOOGLE_FRP, LockKind.SAMSUNG, LockKind.MDM),
        DeviceFamily.LAPTOP: (LockKind.ICLOUD, LockKind.MDM, LockKind.FIRMWARE_PASSWORD, LockKind.COMPUTRACE),
    }
)


def relevant_locks(family: DeviceFamily) -> tuple[LockKind, ...]:
    return _RELEVANT[family]


def shown_locks(family: DeviceFamily) -> tuple[LockKind, ...]:
    return _SHOWN[family]


@dataclass(frozen=True, slots=True)
class LockAssessment:
    verdict: LockVerdict
    blocking: tuple[LockKind, ...]
    unchecked: tuple[LockKind, ...]
    reasons: tuple[str, ...]


def _evidence(text: str) -> str:
    return f" ({text})" if text else ""


def assess_locks(status: LockStatus, family: DeviceFamily) -> LockAssessment:
    relevant = relevant_locks(family)
    blocking: list[LockKind] = []
    unchecked: list[LockKind] = []
    reasons: list[str] = []
    for kind, check in status.items():
        label = LOCK_LABELS[kind]
        # A lock reported ON blocks even on a family where it "cannot" exist: the reading wins over our table.
        if check.state is LockState.ON:
            blocking.append(kind)
            reasons.append(f"{label} is on{_evidence(check.evidence)}: the owner must remove it")
        elif check.state is LockState.UNKNOWN and kind in relevant:
            unchecked.append(kind)
            reasons.append(f"{label} not checked{_evidence(check.evidence)}: check required")
    if blocking:
        verdict = LockVerdict.LOCKED
    elif unchecked:
        verdict = LockVerdict.UNKNOWN
    else:
        verdict = LockVerdict.CLEAR
        reasons.append("no account or management lock")
    return LockAssessment(verdict=verdict, blocking=tuple(blocking), unchecked=tuple(unchecked), reasons=tuple(reasons))

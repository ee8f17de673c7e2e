"""Erase an iPhone or iPad ("Erase All Content and Settings") and record what happened as an ErasureOutcome.

iOS erases by destroying the key that encrypts the user data partition (cryptographic erase), which NIST SP 800-88
counts as Purge. The command goes through MCInstall (``EraseDevice``, as Apple Configurator sends it) or through
Mobilebackup2 (BackupAgent2's ``EraseDevice`` process message, iOS 9 and later, as Finder/iTunes send it); by
default MCInstall first and Mobilebackup2 when MCInstall refuses. The device acknowledges, drops the link and
reboots into Setup Assistant. The station verifies it as far as a host can: the device leaves the bus, comes back,
and no longer trusts this station (its pairing was wiped with everything else). The outcome's tool string says
which way the command went.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from importlib import metadata

from audit.readings import ErasureOutcome, ErasureStatus, NistLevel, VerificationResult

log = logging.getLogger(__name__)

METHOD = "Apple erase all content and settings"
MEDIA = "internal flash storage (cryptographic erase of the data protection keys)"
VERIFICATION = "device report"
_POLL_SECONDS = 0.05


class EraseRoute(enum.StrEnum):
    """Which device service carries the EraseDevice command."""

    MCINSTALL = "MCInstall EraseDevice"
    MOBILEBACKUP2 = "Mobilebackup2 EraseDevice"


DEFAULT_ROUTES = (EraseRoute.MCINSTALL, EraseRoute.MOBILEBACKUP2)


def tool(routes: tuple[EraseRoute, ...]) -> str:
    """The ErasureOutcome tool string: the routes tried, the one that carried the command last."""
    return f"pymobiledevice3 ({', then '.join(routes)})"


@dataclasses.dataclass(frozen=True, slots=True)
class EraseEvidence:
    """What the station saw after the device accepted the erase."""

    left_bus: bool
    came_back: bool
    still_trusted: bool | None  # None: not checked


def tool_version() -> str:
    try:
        return metadata.version("pymobiledevice3")
    except metadata.PackageNotFoundError:
        return "unknown"


async def watch_return(
    is_attached: Callable[[], Awaitable[bool]],
    still_trusted: Callable[[], Awaitable[bool]],
    timeout: float,
) -> EraseEvidence:
    """Wait (up to ``timeout`` s) for the device to leave the bus and come back, then ask if it still trusts us."""
    deadline = time.monotonic() + timeout
    left = False
    while time.monotonic() < deadline:
        if not await is_attached():
            left = True
            break
        await asyncio.sleep(_POLL_SECONDS)
    if not left:
        return EraseEvidence(left_bus=False, came_back=False, still_trusted=None)
    while time.monotonic() < deadline:
        if await is_attached():
            return EraseEvidence(left_bus=True, came_back=True, still_trusted=await still_trusted())
        await asyncio.sleep(_POLL_SECONDS)
    return EraseEvidence(left_bus=True, came_back=False, still_trusted=None)


def outcome(
    started_at: datetime,
    evidence: EraseEvidence | None,
    *errors: str,
    routes: tuple[EraseRoute, ...] = (EraseRoute.MCINSTALL,),
) -> ErasureOutcome:
    """The ErasureOutcome for an erase that was accepted (``evidence``) or refused / cut short (``errors``: one per
    route that refused). ``routes`` are the routes tried, in order."""
    if evidence is None:
        return _outcome(
            started_at,
            ErasureStatus.FAILED,
            VerificationResult.NOT_VERIFIED,
            routes,
            *(errors or ("the device refused the erase",)),
        )
    if evidence.still_trusted is True:
        # it came back still paired with us: whatever happened, it was not an erase
        return _outcome(
            started_at,
            ErasureStatus.FAILED,
            VerificationResult.FAILED,
            routes,
            *errors,
            "the device came back still paired with this station: it was not erased",
        )
    passed = evidence.came_back and evidence.still_trusted is False
    result = VerificationResult.PASSED if passed else VerificationResult.NOT_VERIFIED
    # an earlier route's refusal is not an error of this erasure: the tool string says it was tried first
    return _outcome(started_at, ErasureStatus.ERASED, result, routes)


def _outcome(
    started_at: datetime,
    status: ErasureStatus,
    result: VerificationResult,
    routes: tuple[EraseRoute, ...],
    *errors: str,
) -> ErasureOutcome:
    return ErasureOutcome(
        method=METHOD,
        nist_level=NistLevel.PURGE,
        status=status,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        tool=tool(routes),
        tool_version=tool_version(),
        verification=VERIFICATION,
        verification_result=result,
        media=MEDIA,
        errors=errors,
    )

"""How the device page erases a device: an ``Eraser`` the composition root wires to a driver, and a simulated one.

The contract (what the wiring implements for the iOS, Android and laptop-agent drivers):

* ``method(target)`` names, before anything starts, what will be done ("Apple erase all content and settings").
* ``start(target, progress)`` runs the whole erasure and blocks until it ends; it is called on a pool thread, never
  on the GUI thread. It calls ``progress(percent, text)`` (0-100, a short sentence for the technician) as often as
  it likes, from any thread, and returns an :class:`ErasureRun`: the :class:`~audit.readings.ErasureOutcome`, and
  for a disk the erasure tool's full report (nwipe's fields) for the certificate.
* A refused or failed erasure is an outcome with status FAILED and its errors, never an exception; an exception
  means nothing was done (no device, no trust) and nothing is recorded.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from typing import Any, Protocol

from audit.readings import DeviceFamily, ErasureOutcome, ErasureStatus, NistLevel, VerificationResult

Progress = Callable[[int, str], None]


@dataclasses.dataclass(frozen=True, slots=True)
class EraseTarget:
    """The device to erase, as the drivers know it."""

    device_id: int
    family: DeviceFamily
    label: str
    hardware_id: str | None  # UDID (iOS), adb serial (Android), agent id (laptop)
    serial: str | None
    storage_bytes: int | None


@dataclasses.dataclass(frozen=True, slots=True)
class ErasureRun:
    outcome: ErasureOutcome
    report: Mapping[str, Any] | None = None  # the erasure tool's report, kept as it came (services.record_erasure)


class Eraser(Protocol):
    def method(self, target: EraseTarget) -> str: ...

    def start(self, target: EraseTarget, progress: Progress) -> ErasureRun: ...


def _version() -> str:
    try:
        return metadata.version("refurb-station")
    except metadata.PackageNotFoundError:
        return "unknown"


# What the real drivers do, per family; the simulation says so in its method name, so that no certificate issued in a
# demo can pass for a real erasure.
_METHODS: dict[DeviceFamily, tuple[str, NistLevel, str]] = {
    DeviceFamily.IPHONE: ("Apple erase all content and settings", NistLevel.PURGE, "device report"),
    DeviceFamily.IPAD: ("Apple erase all content and settings", NistLevel.PURGE, "device report"),
    DeviceFamily.ANDROID: ("Android factory reset (cryptographic erase)", NistLevel.PURGE, "device report"),
    DeviceFamily.LAPTOP: ("overwrite zeros, 1 pass, verify last pass", NistLevel.CLEAR, "last pass"),
}
SIMULATED = "simulated: "
SIMULATED_TOOL = "refurb-station simulated eraser"


class SimulatedEraser:
    """Erases nothing; walks the progress in ``steps`` and returns the outcome a real erasure of the family would.

    ``fail_at`` (a percentage) makes it stop there with a FAILED outcome, as a real erasure interrupted by an
    unplugged cable does. ``step_seconds`` slows it down for demos; tests leave it at 0.
    """

    def __init__(self, *, steps: int = 10, step_seconds: float = 0.0, fail_at: int | None = None) -> None:
        if steps < 1:
            raise ValueError("a simulated erasure needs at least one step")
        self.steps = steps
        self.step_seconds = step_seconds
        self.fail_at = fail_at

    def method(self, target: EraseTarget) -> str:
        return SIMULATED + _METHODS[target.family][0]

    def start(self, target: EraseTarget, progress: Progress) -> ErasureRun:
        name, level, verification = _METHODS[target.family]
        started = datetime.now(UTC)
        progress(0, f"Erasing {target.label}…")
        errors: tuple[str, ...] = ()
        for step in range(1, self.steps + 1):
            percent = round(100 * step / self.steps)
            if self.fail_at is not None and percent > self.fail_at:
                errors = (f"the device stopped answering at {self.fail_at}% (simulated fault)",)
                progress(self.fail_at, "Erasure failed")
                break
            if self.step_seconds:
                time.sleep(self.step_seconds)
            progress(percent, "Verifying…" if step == self.steps else f"Erasing… {percent}%")
        status = ErasureStatus.FAILED if errors else ErasureStatus.ERASED
        outcome = ErasureOutcome(
            method=SIMULATED + name,
            nist_level=level,
            status=status,
            started_at=started,
            finished_at=datetime.now(UTC),
            tool=SIMULATED_TOOL,
            tool_version=_version(),
            verification=verification,
            verification_result=VerificationResult.NOT_VERIFIED if errors else VerificationResult.PASSED,
            media="simulated medium",
            bytes_erased=None if errors else target.storage_bytes,
            errors=errors,
        )
        report = None
        if target.family is DeviceFamily.LAPTOP and not errors:
            report = {
                "media": {"kind": "disk", "serial": target.serial, "size_bytes": target.storage_bytes},
                "rounds": 1,
                "bytes_written": target.storage_bytes,
                "bytes_verified": target.storage_bytes,
                "pass_errors": 0,
                "verify_errors": 0,
            }
        return ErasureRun(outcome, report)

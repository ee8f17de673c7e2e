"""A laptop's locks as far as the agent can read them on the machine it runs on; the rest stays unknown, with why.

- Apple Activation Lock (Macs with a T2 chip or Apple silicon): ``system_profiler SPHardwareDataType -json`` says
  ``"activation_lock_status": "activation_lock_enabled"`` or ``"activation_lock_disabled"``; a Mac that does not
  report it is unknown (the bench checks), never "off".
- Management (MDM): on macOS ``profiles status -type enrollment`` ("Enrolled via DEP: Yes", "MDM enrollment: Yes
  (User Approved)"). Elsewhere the agent usually runs from its own boot stick, not from the laptop's installed
  system, so the enrolment of that system cannot be read: unknown.
- Firmware locks (a supervisor / BIOS password, Absolute / Computrace persistence): on an Intel Mac
  ``firmwarepasswd -check`` ("Password Enabled: Yes"); everywhere else the firmware setup screen is the only witness,
  so they are unknown. They are in the LockStatus (a password found on quarantines the laptop like any lock) and
  also listed by name beside it, for the import's notes (and for stations that read bundles of the first format).

iCloud is not applicable to a laptop that is not an Apple one; Google and Samsung account locks do not exist on
laptops and are left as the readings' default (not checked), which the laptop rules do not require.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import platform
import re
from typing import Any

from audit.readings import LockCheck, LockState, LockStatus
from drivers.laptop.errors import ParseError, ToolUnavailable
from drivers.laptop.runner import CommandRunner

log = logging.getLogger(__name__)

HARDWARE_COMMAND = ("system_profiler", "SPHardwareDataType", "-json")
ENROLLMENT_COMMAND = ("profiles", "status", "-type", "enrollment")
FIRMWARE_PASSWORD_COMMAND = ("firmwarepasswd", "-check")
FIRMWARE_PASSWORD = "firmware_password"
COMPUTRACE = "computrace"
_APPLE_MAKES = ("apple", "apple inc.", "apple computer, inc.")


@dataclasses.dataclass(frozen=True, slots=True)
class LaptopLocks:
    """The locks for the records; the firmware ones are also listed by name (name -> check) for the import's notes."""

    status: LockStatus

    @property
    def firmware(self) -> tuple[tuple[str, LockCheck], ...]:
        return ((FIRMWARE_PASSWORD, self.status.firmware_password), (COMPUTRACE, self.status.computrace))

    def as_record(self) -> dict[str, Any]:
        return {"locks": self.status.as_record(), "firmware_locks": {k: c.as_record() for k, c in self.firmware}}


def _unknown(why: str) -> LockCheck:
    return LockCheck(LockState.UNKNOWN, why)


def parse_activation_lock(text: str) -> LockCheck:
    """``system_profiler SPHardwareDataType -json`` to the Activation Lock check."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"system_profiler answered invalid JSON: {exc}", device="system_profiler") from exc
    sections = document.get("SPHardwareDataType") if isinstance(document, dict) else None
    if not isinstance(sections, list) or not sections or not isinstance(sections[0], dict):
        raise ParseError("system_profiler's answer has no SPHardwareDataType", device="system_profiler")
    value = sections[0].get("activation_lock_status")
    if value == "activation_lock_enabled":
        return LockCheck(LockState.ON, "system_profiler: Activation Lock enabled")
    if value == "activation_lock_disabled":
        return LockCheck(LockState.OFF, "system_profiler: Activation Lock disabled")
    if value is None:
        return _unknown("system_profiler does not report Activation Lock on this Mac: check it at the bench")
    return _unknown(f"system_profiler reports Activation Lock as {str(value)[:60]!r}")


_ENROLLMENT_LINE = re.compile(r"^\s*(Enrolled via DEP|MDM enrollment)\s*:\s*(\w+)", re.MULTILINE | re.IGNORECASE)


def parse_enrollment(text: str) -> LockCheck:
    """``profiles status -type enrollment`` to the MDM check: either line saying Yes is a lock."""
    answers = {key.lower(): value.lower() for key, value in _ENROLLMENT_LINE.findall(text)}
    evidence = "; ".join(line.strip() for line in text.splitlines() if line.strip())[:200]
    if "yes" in answers.values():
        return LockCheck(LockState.ON, f"profiles: {evidence}")
    if answers.get("mdm enrollment") == "no":
        return LockCheck(LockState.OFF, f"profiles: {evidence}")
    return _unknown(f"profiles gave no enrolment answer: {evidence or 'empty'}")


def parse_firmware_password(text: str) -> LockCheck:
    """``firmwarepasswd -check`` ("Password Enabled: Yes|No") on an Intel Mac."""
    match = re.search(r"Password Enabled\s*:\s*(Yes|No)\b", text, re.IGNORECASE)
    if match is None:
        return _unknown(f"firmwarepasswd gave no answer: {text.strip()[:100] or 'empty'}")
    on = match.group(1).lower() == "yes"
    return LockCheck(LockState.ON if on else LockState.OFF, f"firmwarepasswd: {match.group(0)}")


class LockReader:
    """Reads what it can of the locks of the machine it runs on (``make`` from the inventory: Mac or not)."""

    def __init__(self, runner: CommandRunner, *, make: str | None, system: str | None = None) -> None:
        self.runner = runner
        self.apple = (make or "").strip().lower() in _APPLE_MAKES
        self.make_known = bool(make)
        self.system = system or platform.system()

    def read(self) -> LaptopLocks:
        source = f"laptop agent on {self.system}"
        computrace = _unknown("Absolute / Computrace persistence is not visible to the agent: check the firmware setup")
        if self.system == "Darwin":
            icloud = self._ask(HARDWARE_COMMAND, parse_activation_lock)
            mdm = self._ask(ENROLLMENT_COMMAND, parse_enrollment)
            firmware = self._ask(FIRMWARE_PASSWORD_COMMAND, parse_firmware_password)
            status = LockStatus(
                source=source, icloud=icloud, mdm=mdm, firmware_password=firmware, computrace=computrace
            )
            return LaptopLocks(status)
        if self.apple:
            icloud = _unknown("a Mac running the agent outside macOS: check Activation Lock at the bench")
        elif self.make_known:
            icloud = LockCheck(LockState.NOT_APPLICABLE, "not an Apple laptop")
        else:
            icloud = _unknown("the laptop's make is unknown")
        mdm = _unknown(
            f"the agent does not read management enrolment on {self.system} (from its boot stick it cannot see the "
            "installed system's): checked at the bench"
        )
        firmware = _unknown("a supervisor (BIOS/UEFI) password is not visible to the agent: check the firmware setup")
        status = LockStatus(source=source, icloud=icloud, mdm=mdm, firmware_password=firmware, computrace=computrace)
        return LaptopLocks(status)

    def _ask(self, argv: tuple[str, ...], parse: Any) -> LockCheck:
        try:
            result = self.runner.run(list(argv))
        except ToolUnavailable as exc:
            return _unknown(str(exc))
        if result.returncode != 0 and not result.stdout.strip():
            first = (result.stderr.strip().splitlines() or ["no output"])[0]
            return _unknown(f"{argv[0]} failed: {first}")
        try:
            check: LockCheck = parse(result.stdout)
        except ParseError as exc:
            log.warning("%s: %s", argv[0], exc)
            return _unknown(str(exc))
        return check

"""NIST SP 800-88 Purge through the drive's own commands (IEEE 2883): NVMe Sanitize / Format with Secure Erase,
ATA SANITIZE and ATA SECURITY ERASE UNIT, with the checks that decide whether they can run at all.

Planning reads the drive (``nvme id-ctrl -o json``; ``hdparm -I``, ``hdparm -N``, ``hdparm --dco-identify``) and
picks the strongest command the drive supports; a frozen or password-locked ATA drive is refused with what to do.
Running issues the commands and polls the drive's sanitize status until it reports the outcome. Every tool runs
through the injectable runner, so the tests feed captured outputs.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from audit.readings import ErasureStatus, NistLevel, VerificationResult
from drivers.erase.errors import PurgeUnavailable
from drivers.erase.report import Media, VerifyMode, WipeReport
from drivers.laptop.errors import LaptopError
from drivers.laptop.runner import CommandResult, CommandRunner

log = logging.getLogger(__name__)

TEMPORARY_PASSWORD = "refurb"  # set only to unlock SECURITY ERASE UNIT; the erase clears it
POLL_INTERVAL_S = 5.0
DEFAULT_TIMEOUT_S = 6 * 3600.0


class PurgeMethod(enum.StrEnum):
    NVME_SANITIZE_CRYPTO = "nvme sanitize, crypto erase"
    NVME_SANITIZE_BLOCK = "nvme sanitize, block erase"
    NVME_SANITIZE_OVERWRITE = "nvme sanitize, overwrite"
    NVME_FORMAT_CRYPTO = "nvme format, cryptographic erase (ses=2)"
    NVME_FORMAT_USER_DATA = "nvme format, user data erase (ses=1)"
    ATA_SANITIZE_CRYPTO = "ATA sanitize, crypto scramble"
    ATA_SANITIZE_BLOCK = "ATA sanitize, block erase"
    ATA_SANITIZE_OVERWRITE = "ATA sanitize, overwrite"
    ATA_ENHANCED_SECURITY_ERASE = "ATA enhanced security erase"
    ATA_SECURITY_ERASE = "ATA security erase"


# --- NVMe ----------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class NvmeController:
    model: str | None
    serial: str | None
    firmware: str | None
    sanitize_crypto: bool
    sanitize_block: bool
    sanitize_overwrite: bool
    format_supported: bool
    format_crypto: bool


def parse_nvme_id_ctrl(text: str) -> NvmeController:
    """``nvme id-ctrl DEV -o json``: SANICAP bits 0-2 (crypto, block, overwrite), OACS bit 1 (format), FNA bit 2."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PurgeUnavailable(f"nvme id-ctrl answered invalid JSON: {exc}", raw=text[:300]) from exc
    if not isinstance(document, dict):
        raise PurgeUnavailable("nvme id-ctrl answered no controller", raw=text[:300])

    def number(key: str) -> int:
        value = document.get(key, 0)
        return value if isinstance(value, int) else 0

    def text_of(key: str) -> str | None:
        value = document.get(key)
        return value.strip() or None if isinstance(value, str) else None

    sanicap, oacs, fna = number("sanicap"), number("oacs"), number("fna")
    return NvmeController(
        model=text_of("mn"),
        serial=text_of("sn"),
        firmware=text_of("fr"),
        sanitize_crypto=bool(sanicap & 0b001),
        sanitize_block=bool(sanicap & 0b010),
        sanitize_overwrite=bool(sanicap & 0b100),
        format_supported=bool(oacs & 0b10),
        format_crypto=bool(fna & 0b100),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class SanitizeStatus:
    state: str  # "idle", "in progress", "completed", "failed"
    progress: float | None  # 0..1


_NVME_SSTAT = {0: "idle", 1: "completed", 2: "in progress", 3: "failed", 4: "completed"}


def parse_nvme_sanitize_log(text: str) -> SanitizeStatus:
    """``nvme sanitize-log DEV -o json`` (nvme-cli 1.x flat, 2.x keyed by device): SSTAT bits 2:0 and SPROG."""
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PurgeUnavailable(f"nvme sanitize-log answered invalid JSON: {exc}", raw=text[:300]) from exc
    if isinstance(document, dict) and "sstat" not in document and len(document) == 1:
        document = next(iter(document.values()))
    if not isinstance(document, dict) or not isinstance(document.get("sstat"), int):
        raise PurgeUnavailable("nvme sanitize-log has no status", raw=text[:300])
    state = _NVME_SSTAT.get(document["sstat"] & 0b111, "failed")
    sprog = document.get("sprog")
    return SanitizeStatus(state, sprog / 65535 if isinstance(sprog, int) else None)


# --- ATA (hdparm) --------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class AtaDrive:
    model: str | None
    serial: str | None
    firmware: str | None
    security_supported: bool
    security_enabled: bool
    locked: bool
    frozen: bool
    enhanced_erase: bool
    sanitize: bool
    sanitize_crypto: bool
    sanitize_block: bool
    sanitize_overwrite: bool
    erase_minutes: int | None


def _field(text: str, label: str) -> str | None:
    match = re.search(rf"^\s*{re.escape(label)}:\s*(.+?)\s*$", text, re.MULTILINE)
    return match.group(1) if match else None


def parse_hdparm_identify(text: str) -> AtaDrive:
    """``hdparm -I DEV``: the identity, the Security section and the SANITIZE feature set lines."""
    if "ATA device" not in text and "Model Number" not in text:
        raise PurgeUnavailable("hdparm -I did not describe an ATA drive", raw=text[:300])
    security = text.split("Security:", 1)[1] if "Security:" in text else ""
    security = re.split(r"^\S", security, maxsplit=1, flags=re.MULTILINE)[0]  # up to the next section
    flags = {}
    for line in security.splitlines():
        stripped = line.strip()
        for word in ("supported", "enabled", "locked", "frozen"):
            if stripped == word:
                flags[word] = True
            elif re.fullmatch(rf"not\s+{word}", stripped):
                flags[word] = False
    minutes = re.search(r"(\d+)min for (?:ENHANCED )?SECURITY ERASE UNIT", security)

    def feature(name: str) -> bool:
        return re.search(rf"^\s*\*?\s*{re.escape(name)}", text, re.MULTILINE) is not None

    return AtaDrive(
        model=_field(text, "Model Number"),
        serial=_field(text, "Serial Number"),
        firmware=_field(text, "Firmware Revision"),
        security_supported=flags.get("supported", False),
        security_enabled=flags.get("enabled", False),
        locked=flags.get("locked", False),
        frozen=flags.get("frozen", False),
        enhanced_erase="supported: enhanced erase" in security,
        sanitize=feature("SANITIZE feature set"),
        sanitize_crypto=feature("CRYPTO_SCRAMBLE_EXT command"),
        sanitize_block=feature("BLOCK_ERASE_EXT command"),
        sanitize_overwrite=feature("OVERWRITE_EXT command"),
        erase_minutes=int(minutes.group(1)) if minutes else None,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class HiddenAreas:
    current_max: int | None
    native_max: int | None
    hpa_enabled: bool | None
    dco_real_max: int | None

    @property
    def hidden(self) -> bool:
        if self.hpa_enabled:
            return True
        reference = self.native_max or self.current_max
        return self.dco_real_max is not None and reference is not None and self.dco_real_max > reference

    def describe(self) -> str:
        if self.hpa_enabled is None and self.dco_real_max is None:
            return "not checked (hdparm gave no answer)"
        parts = []
        if self.hpa_enabled is not None:
            parts.append(
                f"HPA enabled: {self.current_max:,} of {self.native_max:,} sectors visible"
                if self.hpa_enabled and self.current_max is not None and self.native_max is not None
                else ("HPA enabled" if self.hpa_enabled else "HPA disabled")
            )
        if self.dco_real_max is not None:
            reference = self.native_max or self.current_max
            hidden = reference is not None and self.dco_real_max > reference
            parts.append(f"DCO restricts the drive to {reference:,} of {self.dco_real_max:,}" if hidden else "DCO none")
        return ", ".join(parts)


def parse_hidden_areas(hpa_text: str, dco_text: str = "") -> HiddenAreas:
    """``hdparm -N DEV`` (" max sectors = 976773168/976773168, HPA is disabled") and ``hdparm --dco-identify``."""
    match = re.search(r"max sectors\s*=\s*(\d+)/(\d+),\s*HPA is (enabled|disabled)", hpa_text)
    dco = re.search(r"Real max sectors:\s*(\d+)", dco_text)
    return HiddenAreas(
        current_max=int(match.group(1)) if match else None,
        native_max=int(match.group(2)) if match else None,
        hpa_enabled=(match.group(3) == "enabled") if match else None,
        dco_real_max=int(dco.group(1)) if dco else None,
    )


def parse_hdparm_sanitize_status(text: str) -> SanitizeStatus:
    """``hdparm --sanitize-status DEV``: State SD0 idle / SD1 frozen / SD2 in process, and the last outcome."""
    progress = re.search(r"Progress:\s*0x[0-9a-fA-F]+\s*\((\d+(?:\.\d+)?)%\)", text)
    fraction = float(progress.group(1)) / 100 if progress else None
    if "SD2" in text or "In Process" in text:
        return SanitizeStatus("in progress", fraction)
    if re.search(r"completed with error|failed", text, re.IGNORECASE):
        return SanitizeStatus("failed", fraction)
    if "Completed Without Error" in text or "completed without error" in text:
        return SanitizeStatus("completed", 1.0)
    if "SD1" in text:
        return SanitizeStatus("failed", None)
    return SanitizeStatus("idle", fraction)


# --- the plan ------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class PurgePlan:
    device: str
    method: PurgeMethod
    commands: tuple[tuple[str, ...], ...]
    status_command: tuple[str, ...] | None  # polled until the drive reports the outcome
    media: Media
    hpa_dco: str
    notes: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        lines = [
            f"target      {self.device} ({self.media.describe()})",
            f"method      NIST SP 800-88 Purge: {self.method.value}",
            f"HPA/DCO     {self.hpa_dco}",
        ]
        lines += [f"run         {' '.join(command)}" for command in self.commands]
        if self.status_command:
            lines.append(f"then poll   {' '.join(self.status_command)}")
        lines += [f"note        {note}" for note in self.notes]
        return lines


def _run(runner: CommandRunner, argv: list[str] | tuple[str, ...], device: str) -> CommandResult:
    try:
        return runner.run(list(argv))
    except LaptopError as exc:
        raise PurgeUnavailable(str(exc), device=device, raw=exc.raw) from exc


def _nvme_controller(device: str) -> str:
    return re.sub(r"n\d+$", "", device) if re.search(r"nvme\d+n\d+$", device) else device


def plan_nvme(device: str, runner: CommandRunner, *, size_bytes: int = 0) -> PurgePlan:
    controller = _nvme_controller(device)
    result = _run(runner, ["nvme", "id-ctrl", controller, "-o", "json"], device)
    if result.returncode != 0:
        raise PurgeUnavailable(f"nvme id-ctrl failed: {result.stderr.strip()}", device=device, raw=result.stderr)
    ctrl = parse_nvme_id_ctrl(result.stdout)
    media = Media(device, "nvme", size_bytes, None, ctrl.model, ctrl.serial, "nvme")
    status = ("nvme", "sanitize-log", controller, "-o", "json")
    choices = (
        (ctrl.sanitize_crypto, PurgeMethod.NVME_SANITIZE_CRYPTO, ["nvme", "sanitize", controller, "--sanact=4"]),
        (ctrl.sanitize_block, PurgeMethod.NVME_SANITIZE_BLOCK, ["nvme", "sanitize", controller, "--sanact=2"]),
        (ctrl.format_supported and ctrl.format_crypto, PurgeMethod.NVME_FORMAT_CRYPTO, None),
        (ctrl.format_supported, PurgeMethod.NVME_FORMAT_USER_DATA, None),
        (ctrl.sanitize_overwrite, PurgeMethod.NVME_SANITIZE_OVERWRITE, ["nvme", "sanitize", controller, "--sanact=3"]),
    )
    for supported, method, command in choices:
        if not supported:
            continue
        if command is None:
            ses = "2" if method is PurgeMethod.NVME_FORMAT_CRYPTO else "1"
            namespace = device if device != controller else f"{controller}n1"
            return PurgePlan(device, method, (("nvme", "format", namespace, f"--ses={ses}", "--force"),), None, media,
                             "not applicable (NVMe)")  # fmt: skip
        return PurgePlan(device, method, (tuple(command),), status, media, "not applicable (NVMe)")
    raise PurgeUnavailable(
        f"{device} supports neither sanitize nor format: use Clear (overwrite) or destroy it", device=device
    )


def plan_ata(device: str, runner: CommandRunner, *, size_bytes: int = 0) -> PurgePlan:
    result = _run(runner, ["hdparm", "-I", device], device)
    drive = parse_hdparm_identify(result.stdout)
    hpa = _run(runner, ["hdparm", "-N", device], device).stdout
    try:
        dco = runner.run(["hdparm", "--dco-identify", device]).stdout
    except LaptopError:
        dco = ""
    hidden = parse_hidden_areas(hpa, dco)
    media = Media(device, "ata", size_bytes, None, drive.model, drive.serial, "sata")
    notes: list[str] = []
    if hidden.hidden:
        notes.append(f"hidden areas ({hidden.describe()}): the drive's purge covers them, an overwrite would not")
    if drive.frozen:
        raise PurgeUnavailable(
            f"{device} is frozen (the BIOS froze its security at boot): suspend and resume the laptop "
            "(or re-plug the drive on a powered dock), then try again",
            device=device,
            raw=result.stdout,
        )
    if drive.locked:
        raise PurgeUnavailable(f"{device} is locked by an ATA password: unlock it first", device=device)
    sanitize = ("hdparm", "--yes-i-know-what-i-am-doing")
    status = ("hdparm", "--sanitize-status", device)
    if drive.sanitize and drive.sanitize_crypto:
        return PurgePlan(device, PurgeMethod.ATA_SANITIZE_CRYPTO, ((*sanitize, "--sanitize-crypto-scramble", device),),
                         status, media, hidden.describe(), tuple(notes))  # fmt: skip
    if drive.sanitize and drive.sanitize_block:
        return PurgePlan(device, PurgeMethod.ATA_SANITIZE_BLOCK, ((*sanitize, "--sanitize-block-erase", device),),
                         status, media, hidden.describe(), tuple(notes))  # fmt: skip
    if drive.security_supported:
        if drive.security_enabled:
            raise PurgeUnavailable(f"{device} already has an ATA password set: remove it first", device=device)
        enhanced = drive.enhanced_erase
        erase_flag = "--security-erase-enhanced" if enhanced else "--security-erase"
        commands = (
            ("hdparm", "--user-master", "u", "--security-set-pass", TEMPORARY_PASSWORD, device),
            ("hdparm", "--user-master", "u", erase_flag, TEMPORARY_PASSWORD, device),
        )
        if drive.erase_minutes:
            notes.append(f"the drive estimates {drive.erase_minutes} minutes")
        method = PurgeMethod.ATA_ENHANCED_SECURITY_ERASE if enhanced else PurgeMethod.ATA_SECURITY_ERASE
        return PurgePlan(device, method, commands, None, media, hidden.describe(), tuple(notes))
    if drive.sanitize and drive.sanitize_overwrite:
        return PurgePlan(device, PurgeMethod.ATA_SANITIZE_OVERWRITE,
                         ((*sanitize, "--sanitize-overwrite", "hex:00000000", device),), status, media,
                         hidden.describe(), tuple(notes))  # fmt: skip
    raise PurgeUnavailable(
        f"{device} supports neither SANITIZE nor SECURITY ERASE: use Clear (overwrite) or destroy it", device=device
    )


def plan_purge(device: str, runner: CommandRunner, *, size_bytes: int = 0) -> PurgePlan:
    """The strongest purge the drive supports; :class:`PurgeUnavailable` says why there is none."""
    name = device.rsplit("/", 1)[-1]
    if name.startswith("nvme"):
        return plan_nvme(device, runner, size_bytes=size_bytes)
    return plan_ata(device, runner, size_bytes=size_bytes)


# --- running it ----------------------------------------------------------------------------------------------------


def run_purge(
    plan: PurgePlan,
    runner: CommandRunner,
    *,
    progress: Callable[[float | None], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    poll_interval: float = POLL_INTERVAL_S,
    timeout: float = DEFAULT_TIMEOUT_S,
    clock: Callable[[], float] = time.monotonic,
) -> WipeReport:
    """Run the plan's commands, then poll the drive's status; any failure gives a FAILED report, never a crash."""
    started = datetime.now(UTC)
    errors: list[str] = []
    ran: list[str] = []
    verified = VerificationResult.NOT_VERIFIED
    for command in plan.commands:
        ran.append(" ".join(command))
        try:
            result = runner.run(list(command), timeout=timeout)
        except LaptopError as exc:
            errors.append(f"{command[0]}: {exc}")
            break
        if result.returncode != 0:
            errors.append(
                f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
            )
            break
    if not errors and plan.status_command is not None:
        deadline = clock() + timeout
        while True:
            try:
                answer = runner.run(list(plan.status_command))
                status = (
                    parse_nvme_sanitize_log(answer.stdout)
                    if plan.status_command[0] == "nvme"
                    else parse_hdparm_sanitize_status(answer.stdout)
                )
            except (LaptopError, PurgeUnavailable) as exc:
                errors.append(f"reading the sanitize status failed: {exc}")
                break
            if progress is not None:
                progress(status.progress)
            if status.state == "completed":
                verified = VerificationResult.PASSED
                break
            if status.state in ("failed", "idle"):
                errors.append(f"the drive reports the sanitize {status.state}")
                verified = VerificationResult.FAILED
                break
            if clock() >= deadline:
                errors.append(f"the drive had not finished after {timeout:.0f} s")
                break
            sleep(poll_interval)
    elif not errors:
        verified = VerificationResult.PASSED  # the command completes only when the drive has erased
    status_value = ErasureStatus.FAILED if errors else ErasureStatus.ERASED
    return WipeReport(
        media=plan.media,
        nist_level=NistLevel.PURGE,
        method=plan.method.value,
        status=status_value,
        started_at=started,
        finished_at=datetime.now(UTC),
        verify=VerifyMode.NONE,
        verification_result=verified,
        verification="device report",
        bytes_erased=plan.media.size_bytes if not errors else 0,
        errors=tuple(errors),
        hpa_dco=plan.hpa_dco,
        commands=tuple(ran),
        tool=f"refurb-station purge ({plan.commands[0][0] if plan.commands else '?'})",
    )

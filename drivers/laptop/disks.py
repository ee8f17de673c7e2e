"""Disks: ``lsblk -J`` for what is attached, ``smartctl -j -a`` for each disk's health, mapped to one verdict.

smartctl's exit status is a bit field (man smartctl, "RETURN VALUES"); its bits and the health log decide the
verdict together. A disk that cannot be read is ``unknown`` with the reason, never ``good``.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any

from drivers.laptop.errors import ParseError, ToolUnavailable
from drivers.laptop.runner import CommandRunner

log = logging.getLogger(__name__)

LSBLK_COLUMNS = "NAME,PATH,TYPE,SIZE,MODEL,SERIAL,TRAN,ROTA,RM,RO,MOUNTPOINTS,PKNAME"

# smartctl exit status bits
BIT_COMMAND_LINE = 1 << 0
BIT_OPEN_FAILED = 1 << 1
BIT_SMART_COMMAND_FAILED = 1 << 2
BIT_DISK_FAILING = 1 << 3
BIT_PREFAIL_BELOW_THRESHOLD = 1 << 4
BIT_USAGE_BELOW_THRESHOLD_PAST = 1 << 5
BIT_ERROR_LOG = 1 << 6
BIT_SELF_TEST_LOG = 1 << 7

# wear thresholds (percentage of the rated endurance used)
WEAR_WARNING_PERCENT = 80
WEAR_FAILING_PERCENT = 100

_ATA_REALLOCATED = 5
_ATA_PENDING = 197
_ATA_UNCORRECTABLE = 198
_ATA_WEAR_REMAINING = (231, 233, 177, 202)  # SSD_Life_Left, Media_Wearout_Indicator, Wear_Leveling_Count, ...
# The same ids mean other things on other firmware (a Dell-branded Intel S3520 names 233 Total_LBAs_Written and
# keeps its life left in 245 Percent_Life_Remaining): smartctl's attribute name, from its drive database, wins.
_ATA_WEAR_NAMES = (
    "Percent_Life_Remaining",
    "SSD_Life_Left",
    "Media_Wearout_Indicator",
    "Percent_Lifetime_Remain",
    "Remaining_Lifetime_Perc",
    "Wear_Leveling_Count",
)
_ATA_NOT_WEAR = re.compile(r"LBAs|Writ|Read|Host|Unknown", re.IGNORECASE)


class DiskHealth(enum.StrEnum):
    GOOD = "good"
    WARNING = "warning"  # works, but worn or has logged errors: tell the buyer, or replace
    FAILING = "failing"  # the disk says it is failing, or its endurance is spent: replace
    UNKNOWN = "unknown"  # could not be read


class MediaType(enum.StrEnum):
    NVME = "nvme"
    SSD = "ssd"
    HDD = "hdd"
    UNKNOWN = "unknown"


@dataclasses.dataclass(frozen=True, slots=True)
class DiskReport:
    """One disk's identity and health as smartctl reported it."""

    device: str
    model: str | None
    serial: str | None
    firmware: str | None
    capacity_bytes: int | None
    media_type: MediaType
    protocol: str | None
    health: DiskHealth
    reasons: tuple[str, ...]
    power_on_hours: int | None = None
    reallocated_sectors: int | None = None
    pending_sectors: int | None = None
    percentage_used: int | None = None
    media_errors: int | None = None
    smart_passed: bool | None = None
    exit_status: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["media_type"] = self.media_type.value
        out["health"] = self.health.value
        out["reasons"] = list(self.reasons)
        return out


def _get(document: Mapping[str, Any], *path: str) -> Any:
    node: Any = document
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _exit_status_reasons(status: int) -> tuple[DiskHealth, list[str]]:
    health = DiskHealth.GOOD
    reasons: list[str] = []
    if status & BIT_DISK_FAILING:
        health = DiskHealth.FAILING
        reasons.append("SMART overall health: the disk reports it is failing")
    if status & BIT_PREFAIL_BELOW_THRESHOLD:
        health = DiskHealth.FAILING
        reasons.append("a pre-failure SMART attribute is at or below its threshold")
    if status & BIT_USAGE_BELOW_THRESHOLD_PAST:
        reasons.append("a SMART attribute has been at or below its threshold in the past")
    if status & BIT_ERROR_LOG:
        reasons.append("the disk's error log holds errors")
    if status & BIT_SELF_TEST_LOG:
        reasons.append("the self-test log holds failed tests")
    if status & BIT_SMART_COMMAND_FAILED:
        reasons.append("a SMART command failed or a SMART data checksum was wrong")
    if health is DiskHealth.GOOD and status & (
        BIT_USAGE_BELOW_THRESHOLD_PAST | BIT_ERROR_LOG | BIT_SELF_TEST_LOG | BIT_SMART_COMMAND_FAILED
    ):
        health = DiskHealth.WARNING
    return health, reasons


def _worst(*verdicts: DiskHealth) -> DiskHealth:
    order = (DiskHealth.GOOD, DiskHealth.WARNING, DiskHealth.UNKNOWN, DiskHealth.FAILING)
    return max(verdicts, key=order.index)


def _ata_attributes(document: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    table = _get(document, "ata_smart_attributes", "table")
    if not isinstance(table, list):
        return {}
    return {row["id"]: row for row in table if isinstance(row, Mapping) and isinstance(row.get("id"), int)}


def _raw(attributes: Mapping[int, Mapping[str, Any]], attribute: int) -> int | None:
    row = attributes.get(attribute)
    return _int(_get(row, "raw", "value")) if row is not None else None


def _ata_wear_used(attributes: Mapping[int, Mapping[str, Any]]) -> int | None:
    """Percent of the rated endurance used, from the normalized value of the attribute counting life left."""
    by_name = {str(row.get("name")): row for row in attributes.values()}
    rows = [by_name[name] for name in _ATA_WEAR_NAMES if name in by_name]
    rows += [
        row
        for attribute in _ATA_WEAR_REMAINING
        if (row := attributes.get(attribute)) is not None and not _ATA_NOT_WEAR.search(str(row.get("name", "")))
    ]
    for row in rows:
        normalized = _int(row.get("value"))
        if normalized is not None and 0 <= normalized <= 100:
            return 100 - normalized
    return None


def parse_smartctl(text: str, device: str = "") -> DiskReport:
    """``smartctl -j -a DEVICE`` output (ATA or NVMe) to a report with a health verdict."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: bad JSON or a 5000-digit number; Recursion: nesting
        raise ParseError(f"smartctl answered invalid JSON: {exc}", device=device, raw=text[:300]) from exc
    if not isinstance(document, dict):
        raise ParseError("smartctl's answer is not a JSON object", device=device, raw=text[:300])
    device = device or _str(_get(document, "device", "name")) or "?"
    status = _int(_get(document, "smartctl", "exit_status"))
    protocol = _str(_get(document, "device", "protocol"))
    listed = _get(document, "smartctl", "messages")
    messages = [str(m.get("string")) for m in listed if isinstance(m, Mapping)] if isinstance(listed, list) else []
    base: dict[str, Any] = {
        "device": device,
        "model": _str(document.get("model_name")),
        "serial": _str(document.get("serial_number")),
        "firmware": _str(document.get("firmware_version")),
        "capacity_bytes": _int(_get(document, "user_capacity", "bytes")),
        "protocol": protocol,
        "exit_status": status,
    }
    rotation = _int(document.get("rotation_rate"))
    if protocol == "NVMe":
        media = MediaType.NVME
    elif rotation is not None:
        media = MediaType.HDD if rotation > 0 else MediaType.SSD
    else:
        media = MediaType.UNKNOWN
    if status is None or status & (BIT_COMMAND_LINE | BIT_OPEN_FAILED):
        why = "; ".join(messages) or "smartctl could not open the device"
        return DiskReport(**base, media_type=media, health=DiskHealth.UNKNOWN, reasons=(why,))

    health, reasons = _exit_status_reasons(status)
    passed = _get(document, "smart_status", "passed")
    passed = passed if isinstance(passed, bool) else None
    if passed is False:
        health = DiskHealth.FAILING
        if not status & BIT_DISK_FAILING:
            reasons.append("SMART overall health: FAILED")
    hours = _int(_get(document, "power_on_time", "hours"))
    reallocated = pending = used = media_errors = None

    if protocol == "NVMe":
        log_page = _get(document, "nvme_smart_health_information_log")
        log_page = log_page if isinstance(log_page, Mapping) else {}
        used = _int(log_page.get("percentage_used"))
        media_errors = _int(log_page.get("media_errors"))
        warning = _int(log_page.get("critical_warning"))
        spare = _int(log_page.get("available_spare"))
        spare_threshold = _int(log_page.get("available_spare_threshold"))
        hours = hours if hours is not None else _int(log_page.get("power_on_hours"))
        if warning:
            health = _worst(health, DiskHealth.FAILING)
            reasons.append(f"NVMe critical warning 0x{warning:02x}")
        if spare is not None and spare_threshold is not None and spare < spare_threshold:
            health = _worst(health, DiskHealth.FAILING)
            reasons.append(f"available spare {spare} % is below its threshold {spare_threshold} %")
        if media_errors:
            health = _worst(health, DiskHealth.WARNING)
            reasons.append(f"{media_errors} media and data integrity errors")
    else:
        attributes = _ata_attributes(document)
        reallocated = _raw(attributes, _ATA_REALLOCATED)
        pending = _raw(attributes, _ATA_PENDING)
        uncorrectable = _raw(attributes, _ATA_UNCORRECTABLE)
        for count, what in (
            (reallocated, "reallocated sectors"),
            (pending, "sectors pending reallocation"),
            (uncorrectable, "offline uncorrectable sectors"),
        ):
            if count:
                health = _worst(health, DiskHealth.WARNING)
                reasons.append(f"{count} {what}")
        if media is MediaType.SSD:
            used = _ata_wear_used(attributes)
        if hours is None:
            hours = _raw(attributes, 9)
    if used is not None:
        if used >= WEAR_FAILING_PERCENT:
            health = _worst(health, DiskHealth.FAILING)
            reasons.append(f"{used} % of the rated endurance is used")
        elif used >= WEAR_WARNING_PERCENT:
            health = _worst(health, DiskHealth.WARNING)
            reasons.append(f"{used} % of the rated endurance is used")
    if passed is None and health is DiskHealth.GOOD:
        health = DiskHealth.UNKNOWN
        reasons.append("the disk gave no SMART overall-health result")
    return DiskReport(
        **base,
        media_type=media,
        health=health,
        reasons=tuple(reasons) or ("no problem reported",),
        power_on_hours=hours,
        reallocated_sectors=reallocated,
        pending_sectors=pending,
        percentage_used=used,
        media_errors=media_errors,
        smart_passed=passed,
    )


# --- lsblk ---------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class BlockDevice:
    name: str
    path: str
    type: str  # disk, part, loop, rom, crypt, lvm...
    size: int | None
    model: str | None = None
    serial: str | None = None
    transport: str | None = None
    rotational: bool | None = None
    removable: bool | None = None
    read_only: bool | None = None
    mountpoints: tuple[str, ...] = ()
    children: tuple[BlockDevice, ...] = ()

    def walk(self) -> Iterator[BlockDevice]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def all_mountpoints(self) -> tuple[str, ...]:
        return tuple(mount for node in self.walk() for mount in node.mountpoints)


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in ("1", 1):
        return True
    if value in ("0", 0):
        return False
    return None


def _size(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        return int(value)
    return None  # lsblk without -b prints "256G": not a byte count we can trust


def _block_device(node: Mapping[str, Any]) -> BlockDevice:
    name = str(node.get("name") or "?")
    mounts = node.get("mountpoints")
    if mounts is None and "mountpoint" in node:  # util-linux < 2.37
        mounts = [node.get("mountpoint")]
    children = node.get("children")
    return BlockDevice(
        name=name,
        path=str(node.get("path") or f"/dev/{name}"),
        type=str(node.get("type") or "?"),
        size=_size(node.get("size")),
        model=_str(node.get("model")),
        serial=_str(node.get("serial")),
        transport=_str(node.get("tran")),
        rotational=_flag(node.get("rota")),
        removable=_flag(node.get("rm")),
        read_only=_flag(node.get("ro")),
        mountpoints=tuple(m for m in mounts if isinstance(m, str) and m) if isinstance(mounts, list) else (),
        children=tuple(_block_device(c) for c in children if isinstance(c, Mapping))
        if isinstance(children, list)
        else (),
    )


def parse_lsblk(text: str) -> tuple[BlockDevice, ...]:
    """``lsblk -J -b -o ...`` to a tree of block devices."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:  # a 5000-digit number, deep nesting
        raise ParseError(f"lsblk answered invalid JSON: {exc}", device="lsblk", raw=text[:300]) from exc
    devices = document.get("blockdevices") if isinstance(document, dict) else None
    if not isinstance(devices, list):
        raise ParseError("lsblk's answer has no blockdevices", device="lsblk", raw=text[:300])
    try:
        return tuple(_block_device(node) for node in devices if isinstance(node, Mapping))
    except RecursionError as exc:  # children nested deeper than any real disk stack
        raise ParseError("lsblk's device tree is nested too deep", device="lsblk", raw=text[:300]) from exc


class DiskInspector:
    """Lists the machine's disks and reads each one's SMART health through the injected runner."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def block_devices(self) -> tuple[BlockDevice, ...]:
        result = self.runner.run(["lsblk", "-J", "-b", "-o", LSBLK_COLUMNS])
        if result.returncode != 0:
            raise ToolUnavailable(f"lsblk failed: {result.stderr.strip()}", device="lsblk", raw=result.stderr)
        return parse_lsblk(result.stdout)

    def disks(self) -> tuple[BlockDevice, ...]:
        """Whole disks worth inspecting (no loop, rom or zram devices)."""
        return tuple(
            device
            for device in self.block_devices()
            if device.type == "disk" and not device.name.startswith(("zram", "ram", "loop"))
        )

    def health(self, device_path: str) -> DiskReport:
        try:
            result = self.runner.run(["smartctl", "-j", "-a", device_path])
        except ToolUnavailable as exc:
            return DiskReport(
                device=device_path,
                model=None,
                serial=None,
                firmware=None,
                capacity_bytes=None,
                media_type=MediaType.UNKNOWN,
                protocol=None,
                health=DiskHealth.UNKNOWN,
                reasons=(str(exc),),
            )
        return parse_smartctl(result.stdout, device_path)

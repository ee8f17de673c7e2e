"""What the laptop is: make, model, serial, CPU, RAM and storage, from ``dmidecode``, ``lshw -json`` and sysfs.

``dmidecode`` needs root; without it the serial comes from ``lshw`` (also root for serials) or stays unknown, and the
reason says so. Firmware placeholders ("To Be Filled By O.E.M.", "Default string"...) are unknown, not values.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from audit.readings import DeviceFamily, DeviceIdentity, ReadingError
from drivers.laptop.disks import BlockDevice
from drivers.laptop.errors import LaptopError, ParseError
from drivers.laptop.runner import CommandRunner

log = logging.getLogger(__name__)

SYSFS_DMI = Path("/sys/class/dmi/id")
PROC = Path("/proc")

_PLACEHOLDERS = {
    "",
    "to be filled by o.e.m.",
    "default string",
    "system serial number",
    "system product name",
    "system manufacturer",
    "system version",
    "not specified",
    "not applicable",
    "none",
    "n/a",
    "0123456789",
    "123456789",
    "00000000",
    "invalid",
    "unknown",
    "oem",
    "o.e.m.",
    "chassis serial number",
    "base board serial number",
}


def clean(value: Any) -> str | None:
    """A firmware string, or None when it is empty or one of the makers' placeholders."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if text.lower() in _PLACEHOLDERS or set(text) <= {"0", "F", "f", " ", "-"}:
        return None
    return text


@dataclasses.dataclass(frozen=True, slots=True)
class StorageItem:
    name: str
    model: str | None
    serial: str | None
    size_bytes: int | None
    transport: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class Inventory:
    make: str | None = None
    model: str | None = None
    model_number: str | None = None
    serial: str | None = None
    uuid: str | None = None
    cpu: str | None = None
    ram_bytes: int | None = None
    storage: tuple[StorageItem, ...] = ()
    sources: tuple[str, ...] = ()
    unknown: tuple[tuple[str, str], ...] = ()  # (field, why it is unknown)

    def why_unknown(self, field: str) -> str | None:
        return dict(self.unknown).get(field)

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["storage"] = [dataclasses.asdict(item) for item in self.storage]
        out["unknown"] = dict(self.unknown)
        out["sources"] = list(self.sources)
        return out

    def identity(self) -> DeviceIdentity:
        """The laptop's identity for the records; it needs a make, a model and a serial number."""
        try:
            return DeviceIdentity(
                family=DeviceFamily.LAPTOP,
                make=self.make or "",
                model=self.model or "",
                model_number=self.model_number,
                serial=self.serial,
                storage_bytes=sum(i.size_bytes for i in self.storage if i.size_bytes) or None,
                hardware_id=self.uuid,
            )
        except ReadingError as exc:
            missing = [f for f in ("make", "model", "serial") if getattr(self, f) is None]
            reasons = "; ".join(f"{f}: {self.why_unknown(f) or 'not found'}" for f in missing)
            raise LaptopError(f"cannot identify this laptop ({reasons})", device="inventory") from exc


# --- dmidecode -----------------------------------------------------------------------------------------------------


def parse_dmidecode(text: str) -> list[tuple[str, dict[str, str]]]:
    """dmidecode's text output to (section title, {key: value}) pairs, in order."""
    sections: list[tuple[str, dict[str, str]]] = []
    current: dict[str, str] | None = None
    expect_title = False
    for line in text.splitlines():
        if line.startswith("Handle "):
            current, expect_title = None, True
        elif line and not line[0].isspace():
            if expect_title:
                current = {}
                sections.append((line.strip(), current))
            expect_title = False
        elif current is not None and line.startswith("\t") and not line.startswith("\t\t") and ":" in line:
            key, _, value = line.strip().partition(":")
            current[key.strip()] = value.strip()
    return sections


_SIZE = re.compile(r"^(\d+)\s*(bytes|kB|KB|MB|GB|TB)$")
_UNITS = {"bytes": 1, "kB": 1024, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def _dmi_size(text: str) -> int | None:
    match = _SIZE.match(text.strip())
    return int(match.group(1)) * _UNITS[match.group(2)] if match else None


@dataclasses.dataclass
class _Draft:
    fields: dict[str, Any] = dataclasses.field(default_factory=dict)
    sources: list[str] = dataclasses.field(default_factory=list)
    unknown: dict[str, str] = dataclasses.field(default_factory=dict)

    def offer(self, field: str, value: Any) -> None:
        if value is not None and self.fields.get(field) is None:
            self.fields[field] = value


def _model_names(make: str | None, product: str | None, version: str | None) -> tuple[str | None, str | None]:
    """(model, model number). Lenovo puts the machine type in the product name and the marketing name in version."""
    if make and make.upper() == "LENOVO" and version and version.lower().startswith(("thinkpad", "ideapad", "yoga")):
        return version, product
    return product, None


def _from_dmidecode(draft: _Draft, text: str) -> None:
    memory = 0
    memory_seen = False
    for title, fields in parse_dmidecode(text):
        if title == "System Information":
            make = clean(fields.get("Manufacturer"))
            model, number = _model_names(make, clean(fields.get("Product Name")), clean(fields.get("Version")))
            draft.offer("make", make)
            draft.offer("model", model)
            draft.offer("model_number", number)
            draft.offer("serial", clean(fields.get("Serial Number")))
            draft.offer("uuid", clean(fields.get("UUID")))
        elif title == "Processor Information":
            draft.offer("cpu", clean(fields.get("Version")))
        elif title == "Memory Device":
            memory_seen = True
            memory += _dmi_size(fields.get("Size", "")) or 0
    if memory_seen and memory:
        draft.offer("ram_bytes", memory)


# --- lshw ----------------------------------------------------------------------------------------------------------


def _lshw_nodes(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _lshw_nodes(item)
    elif isinstance(node, Mapping):
        yield node
        yield from _lshw_nodes(node.get("children") or [])


def _from_lshw(draft: _Draft, text: str) -> None:
    try:
        document = json.loads(text)
        nodes = list(_lshw_nodes(document))
    except (ValueError, RecursionError) as exc:  # ValueError: bad JSON or a 5000-digit number; Recursion: nesting
        raise ParseError(f"lshw answered invalid JSON: {exc}", device="lshw", raw=text[:300]) from exc
    for node in nodes:
        kind = node.get("class")
        if kind == "system" and "make" not in draft.fields:
            make = clean(node.get("vendor"))
            product = clean(node.get("product"))
            if product and "(" in product:  # "20L7S02M00 (LENOVO_MT_20L7_BU_Think_FM_ThinkPad T480s)"
                product = product.split("(", 1)[0].strip()
            model, number = _model_names(make, product, clean(node.get("version")))
            draft.offer("make", make)
            draft.offer("model", model)
            draft.offer("model_number", number)
            draft.offer("serial", clean(node.get("serial")))
            configuration = node.get("configuration")
            draft.offer("uuid", clean(configuration.get("uuid")) if isinstance(configuration, Mapping) else None)
        elif kind == "processor" and str(node.get("id", "")).startswith("cpu"):
            draft.offer("cpu", clean(node.get("product")))
        elif kind == "memory" and node.get("id") == "memory":
            size = node.get("size")
            if isinstance(size, int) and not isinstance(size, bool) and size > 0:
                draft.offer("ram_bytes", size)


# --- sysfs and /proc (no root needed) ------------------------------------------------------------------------------


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _from_sysfs(draft: _Draft, dmi_root: Path, proc_root: Path) -> None:
    make = clean(_read(dmi_root / "sys_vendor"))
    model, number = _model_names(
        make, clean(_read(dmi_root / "product_name")), clean(_read(dmi_root / "product_version"))
    )
    draft.offer("make", make)
    draft.offer("model", model)
    draft.offer("model_number", number)
    draft.offer("serial", clean(_read(dmi_root / "product_serial")))  # root only: None otherwise
    draft.offer("uuid", clean(_read(dmi_root / "product_uuid")))
    cpuinfo = _read(proc_root / "cpuinfo") or ""
    match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    draft.offer("cpu", clean(match.group(1)) if match else None)
    meminfo = _read(proc_root / "meminfo") or ""
    match = re.search(r"^MemTotal:\s*(\d+)\s*kB", meminfo, re.MULTILINE)
    if match and "ram_bytes" not in draft.fields:
        draft.offer("ram_bytes", int(match.group(1)) * 1024)
        draft.unknown.setdefault("ram_installed", "MemTotal is what the OS can use, below the installed RAM")


class InventoryReader:
    """Gathers the laptop's inventory from every source it can reach, saying why each missing value is missing."""

    def __init__(self, runner: CommandRunner, *, dmi_root: Path = SYSFS_DMI, proc_root: Path = PROC) -> None:
        self.runner = runner
        self.dmi_root = dmi_root
        self.proc_root = proc_root

    def read(self, disks: tuple[BlockDevice, ...] = ()) -> Inventory:
        draft = _Draft()
        problems: list[str] = []
        for argv, parse in (
            (["dmidecode", "-t", "system", "-t", "processor", "-t", "memory"], _from_dmidecode),
            (["lshw", "-json", "-quiet"], _from_lshw),
        ):
            try:
                result = self.runner.run(argv)
            except LaptopError as exc:
                problems.append(str(exc))
                continue
            if result.returncode != 0 or not result.stdout.strip():
                problems.append(f"{argv[0]} failed: {(result.stderr.strip() or 'no output').splitlines()[0]}")
                continue
            try:
                parse(draft, result.stdout)
                draft.sources.append(argv[0])
            except ParseError as exc:
                problems.append(str(exc))
        _from_sysfs(draft, self.dmi_root, self.proc_root)
        draft.sources.append("sysfs")
        why = "; ".join(problems) or "no source reported it"
        for field in ("make", "model", "serial", "uuid", "cpu", "ram_bytes"):
            if draft.fields.get(field) is None:
                draft.unknown[field] = why
        storage = tuple(StorageItem(d.name, d.model, d.serial, d.size, d.transport) for d in disks if d.type == "disk")
        if not storage:
            draft.unknown.setdefault("storage", "no disk listed (lsblk unavailable or no disk found)")
        return Inventory(
            **{k: draft.fields.get(k) for k in ("make", "model", "model_number", "serial", "uuid", "cpu", "ram_bytes")},
            storage=storage,
            sources=tuple(draft.sources),
            unknown=tuple(sorted(draft.unknown.items())),
        )

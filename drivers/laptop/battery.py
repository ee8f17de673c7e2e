"""Laptop battery: one :class:`BatteryReading` per battery, whatever the operating system says it in.

- Linux: ``/sys/class/power_supply/<name>/`` (``energy_*`` in uWh or ``charge_*`` in uAh; ``cycle_count`` 0 means the
  firmware does not count, so unknown). The sysfs root is a parameter so tests and ``--simulate`` use a tree.
- macOS: ``ioreg -r -c AppleSmartBattery`` (text, or XML with ``-a``) and ``system_profiler SPPowerDataType -json``.
- Windows: ``powercfg /batteryreport /xml`` (namespace ``http://schemas.microsoft.com/battery/2012``, mWh).

Capacities come out in mWh or mAh. Nothing is invented: a missing or zero design capacity leaves the state of health
unknown.
"""

from __future__ import annotations

import json
import logging
import platform
import plistlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from audit.readings import BatteryReading, CapacityUnit
from drivers.laptop.errors import LaptopError, ParseError, ToolUnavailable
from drivers.laptop.runner import CommandRunner

log = logging.getLogger(__name__)

SYSFS_POWER_SUPPLY = Path("/sys/class/power_supply")
POWERCFG_NS = "http://schemas.microsoft.com/battery/2012"
IOREG_COMMAND = ("ioreg", "-r", "-c", "AppleSmartBattery", "-a")
SYSTEM_PROFILER_COMMAND = ("system_profiler", "SPPowerDataType", "-json")


def _int_or_none(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", text):  # ASCII digits only; more than 18 is no real counter
        return None
    return int(text)


def _positive(value: int | None) -> int | None:
    return value if value is not None and value > 0 else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:  # absent attribute, or the firmware refuses the read (EIO/ENODATA on some ACPI batteries)
        return None


# --- Linux sysfs ---------------------------------------------------------------------------------------------------


def parse_sysfs_battery(name: str, attributes: Mapping[str, str]) -> BatteryReading:
    """One power-supply directory's attributes (file name -> content) to a reading."""
    energy = _positive(_int_or_none(attributes.get("energy_full_design")))
    energy_full = _int_or_none(attributes.get("energy_full"))
    charge = _positive(_int_or_none(attributes.get("charge_full_design")))
    charge_full = _int_or_none(attributes.get("charge_full"))
    design: float | None = None
    full: float | None = None
    unit: CapacityUnit | None = None
    if energy is not None or (energy_full is not None and energy_full > 0):
        unit = CapacityUnit.MWH
        design = energy / 1000 if energy is not None else None
        full = energy_full / 1000 if energy_full is not None and energy_full >= 0 else None
    elif charge is not None or (charge_full is not None and charge_full > 0):
        unit = CapacityUnit.MAH
        design = charge / 1000 if charge is not None else None
        full = charge_full / 1000 if charge_full is not None and charge_full >= 0 else None
    cycles = _positive(_int_or_none(attributes.get("cycle_count")))  # 0 = not counted by this firmware
    return BatteryReading(
        source=f"linux-sysfs:{name}",
        design_capacity=design,
        full_charge_capacity=full,
        unit=unit,
        cycle_count=cycles,
        raw=tuple(sorted(attributes.items())),
    )


_SYSFS_KEEP = (
    "type",
    "scope",
    "present",
    "status",
    "technology",
    "manufacturer",
    "model_name",
    "serial_number",
    "capacity",
    "cycle_count",
    "energy_full_design",
    "energy_full",
    "energy_now",
    "charge_full_design",
    "charge_full",
    "charge_now",
    "voltage_min_design",
)


def parse_sysfs_uevent(text: str) -> BatteryReading:
    """A power supply's ``uevent`` file (``POWER_SUPPLY_ENERGY_FULL=...`` lines), the form bug reports and
    ``cat /sys/class/power_supply/BAT0/uevent`` captures come in, to the same reading as its attribute files."""
    attributes: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.startswith("POWER_SUPPLY_"):
            attributes[key.removeprefix("POWER_SUPPLY_").lower()] = value.strip()
    name = attributes.pop("name", "") or "?"
    if not attributes:
        raise ParseError("no POWER_SUPPLY_ line in the uevent text", device=name, raw=text[:200])
    return parse_sysfs_battery(name, {key: value for key, value in attributes.items() if key in _SYSFS_KEEP})


def read_sysfs_batteries(root: Path = SYSFS_POWER_SUPPLY) -> tuple[BatteryReading, ...]:
    """Every system battery under ``root`` (peripheral batteries, scope ``Device``, are skipped)."""
    if not root.is_dir():
        return ()
    readings = []
    for entry in sorted(root.iterdir()):
        attributes = {key: value for key in _SYSFS_KEEP if (value := _read(entry / key)) is not None}
        if attributes.get("type") != "Battery" or attributes.get("scope") == "Device":
            continue
        if attributes.get("present") == "0":
            log.info("battery slot %s is empty", entry.name)
            continue
        readings.append(parse_sysfs_battery(entry.name, attributes))
    return tuple(readings)


# --- macOS ---------------------------------------------------------------------------------------------------------

_IOREG_LINE = re.compile(r'^\s*\|?\s*"(?P<key>[^"]+)"\s*=\s*(?P<value>.*?)\s*$')


def _ioreg_text(text: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for line in text.splitlines():
        match = _IOREG_LINE.match(line)
        if not match:
            continue
        key, value = match["key"], match["value"]
        if key in values:  # a nested dictionary repeats keys; the battery's own come first
            continue
        if re.fullmatch(r"-?[0-9]{1,18}", value):
            values[key] = int(value)
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            values[key] = value[1:-1]
        elif value in ("Yes", "No"):
            values[key] = value == "Yes"
    return values


def _ioreg_plist(data: bytes) -> dict[str, Any]:
    try:
        loaded = plistlib.loads(data)
    except (plistlib.InvalidFileException, ValueError, ExpatError, TypeError, LookupError, AttributeError) as exc:
        # AttributeError: plistlib's <date> reader on a malformed date; LookupError: also an unknown XML encoding
        raw = data[:200].decode("utf-8", "replace")
        raise ParseError(f"ioreg answered an unreadable plist: {exc}", device="ioreg", raw=raw) from exc
    if isinstance(loaded, list):
        loaded = loaded[0] if loaded and isinstance(loaded[0], dict) else {}
    if not isinstance(loaded, dict):
        raise ParseError("ioreg's plist holds no battery dictionary", device="ioreg")
    return loaded


def parse_ioreg(output: str | bytes) -> BatteryReading:
    """``ioreg -r -c AppleSmartBattery`` text or ``-a`` XML. Capacities are mAh; Apple silicon's MaxCapacity is %."""
    data = output.encode("utf-8") if isinstance(output, str) else output
    stripped = data.lstrip()
    values = (
        _ioreg_plist(data)
        if stripped.startswith((b"<?xml", b"<plist", b"<!DOCTYPE"))
        else _ioreg_text(data.decode("utf-8", "replace"))
    )
    if not values:
        raise ParseError("ioreg found no AppleSmartBattery", device="ioreg", raw=data[:200].decode("utf-8", "replace"))

    def number(key: str) -> int | None:
        value = values.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**53:
            return None  # beyond a float's exact range: no battery counts that high
        return value

    design = _positive(number("DesignCapacity"))
    full = _positive(number("AppleRawMaxCapacity")) or _positive(number("NominalChargeCapacity"))
    max_capacity = number("MaxCapacity")
    if full is None and max_capacity is not None and max_capacity > 100:
        full = max_capacity  # Intel Macs: MaxCapacity is in mAh
    soh: float | None = None
    if full is None and design is None and max_capacity is not None and 0 < max_capacity < 100:
        # Apple silicon without raw capacities: MaxCapacity may be the health in %; but Apple silicon reports 100
        # there whatever the wear (see samples/ioreg_apple_silicon.plist), so 100 says nothing: unknown.
        soh = float(max_capacity)
    cycles = number("CycleCount")
    raw = tuple(sorted((k, str(v)) for k, v in values.items() if isinstance(v, str | int | float | bool)))
    return BatteryReading(
        source="macos-ioreg",
        design_capacity=float(design) if design is not None else None,
        full_charge_capacity=float(full) if full is not None else None,
        unit=CapacityUnit.MAH if design is not None or full is not None else None,
        cycle_count=cycles if cycles is not None and cycles >= 0 else None,
        state_of_health=soh,
        raw=raw,
    )


def parse_system_profiler(output: str) -> tuple[BatteryReading, ...]:
    """``system_profiler SPPowerDataType -json``: cycle count and Apple's own maximum-capacity figure."""
    try:
        document = json.loads(output)
    except (ValueError, RecursionError) as exc:  # a 5000-digit number, deep nesting
        raise ParseError(f"system_profiler answered invalid JSON: {exc}", device="system_profiler") from exc
    sections = document.get("SPPowerDataType") if isinstance(document, dict) else None
    if not isinstance(sections, list):
        raise ParseError("system_profiler's answer has no SPPowerDataType", device="system_profiler")
    readings = []
    for section in sections:
        if not isinstance(section, dict) or "sppower_battery_health_info" not in section:
            continue
        health = section.get("sppower_battery_health_info") or {}
        model = section.get("sppower_battery_model_info") or {}
        charge = section.get("sppower_battery_charge_info") or {}
        if not isinstance(health, dict) or not isinstance(model, dict) or not isinstance(charge, dict):
            continue
        cycles = health.get("sppower_battery_cycle_count")
        percent = str(health.get("sppower_battery_health_maximum_capacity", "")).strip()
        match = re.fullmatch(r"([0-9]{1,3}(?:\.[0-9]{1,3})?)\s*%", percent)
        raw = {f"health.{k}": str(v) for k, v in health.items()}
        raw.update({f"model.{k}": str(v) for k, v in model.items()})
        raw.update({f"charge.{k}": str(v) for k, v in charge.items()})
        readings.append(
            BatteryReading(
                source="macos-system_profiler",
                cycle_count=cycles if isinstance(cycles, int) and cycles >= 0 else None,
                state_of_health=float(match.group(1)) if match else None,
                raw=tuple(sorted(raw.items())),
            )
        )
    return tuple(readings)


# --- Windows -------------------------------------------------------------------------------------------------------


def parse_powercfg_xml(output: str | bytes) -> tuple[BatteryReading, ...]:
    """``powercfg /batteryreport /xml``: DesignCapacity / FullChargeCapacity in mWh (relative units if flagged)."""
    try:
        root = ET.fromstring(output)
    except ET.ParseError as exc:
        raise ParseError(f"the battery report is not XML: {exc}", device="powercfg") from exc
    ns = {"b": POWERCFG_NS}
    batteries = root.findall("b:Batteries/b:Battery", ns)
    if not batteries and root.find("b:Batteries", ns) is None:
        raise ParseError("the battery report has no Batteries section", device="powercfg")
    readings = []
    for index, battery in enumerate(batteries):
        fields = {child.tag.split("}", 1)[-1]: (child.text or "").strip() for child in battery}
        design = _positive(_int_or_none(fields.get("DesignCapacity")))
        full = _int_or_none(fields.get("FullChargeCapacity"))
        cycles = _positive(_int_or_none(fields.get("CycleCount")))  # 0: the battery does not report it
        relative = fields.get("RelativeCapacity") == "1"
        if relative:  # capacities in vendor units: only their ratio means something
            soh = round(100.0 * full / design, 1) if design and full is not None and full >= 0 else None
            reading = BatteryReading(source=f"windows-powercfg:{index}", cycle_count=cycles, state_of_health=soh)
        else:
            reading = BatteryReading(
                source=f"windows-powercfg:{index}",
                design_capacity=float(design) if design is not None else None,
                full_charge_capacity=float(full) if full is not None and full >= 0 else None,
                unit=CapacityUnit.MWH if design is not None or (full is not None and full >= 0) else None,
                cycle_count=cycles,
            )
        readings.append(
            BatteryReading(
                source=reading.source,
                design_capacity=reading.design_capacity,
                full_charge_capacity=reading.full_charge_capacity,
                unit=reading.unit,
                cycle_count=reading.cycle_count,
                state_of_health=reading.state_of_health,
                raw=tuple(sorted(fields.items())),
            )
        )
    return tuple(readings)


# --- the reader ----------------------------------------------------------------------------------------------------


class BatteryReader:
    """Reads the batteries of the machine it runs on (or of a simulated one: pass its sysfs root and a runner)."""

    def __init__(
        self, runner: CommandRunner, *, sysfs_root: Path = SYSFS_POWER_SUPPLY, system: str | None = None
    ) -> None:
        self.runner = runner
        self.sysfs_root = sysfs_root
        self.system = system or platform.system()

    def read(self) -> tuple[BatteryReading, ...]:
        """Every battery found; an empty tuple when the machine has none (or none can be read)."""
        if self.system == "Linux":
            return read_sysfs_batteries(self.sysfs_root)
        if self.system == "Darwin":
            return self._read_macos()
        if self.system == "Windows":
            return self._read_windows()
        raise LaptopError(f"no battery reader for {self.system}", device=self.system)

    def _read_macos(self) -> tuple[BatteryReading, ...]:
        readings: list[BatteryReading] = []
        try:
            result = self.runner.run(list(IOREG_COMMAND))
            if result.returncode == 0 and result.stdout.strip():
                readings.append(parse_ioreg(result.stdout))
        except (ToolUnavailable, ParseError) as exc:
            log.warning("ioreg: %s", exc)
        try:
            result = self.runner.run(list(SYSTEM_PROFILER_COMMAND))
            if result.returncode == 0:
                readings.extend(parse_system_profiler(result.stdout))
        except (ToolUnavailable, ParseError) as exc:
            log.warning("system_profiler: %s", exc)
        return tuple(readings)

    def _read_windows(self) -> tuple[BatteryReading, ...]:
        import os
        import tempfile

        with tempfile.TemporaryDirectory() as scratch:
            target = os.path.join(scratch, "battery.xml")
            result = self.runner.run(["powercfg", "/batteryreport", "/xml", "/output", target])
            if result.returncode != 0:
                raise LaptopError("powercfg could not write the battery report", device="powercfg", raw=result.stderr)
            try:
                data = Path(target).read_bytes()
            except OSError as exc:
                raise LaptopError(f"powercfg wrote no report: {exc}", device="powercfg") from exc
        return parse_powercfg_xml(data)

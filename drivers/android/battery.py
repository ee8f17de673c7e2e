"""An Android phone's battery: ``dumpsys battery`` whole, sysfs capacities and cycles where readable, the Android 14+
sticky intent's cycle count, Samsung's BatteryInfoBackUp health. Each value names its source; what none gives stays
None (never 100 %)."""

from __future__ import annotations

import dataclasses
from typing import Any

from audit.readings import BatteryReading, CapacityUnit
from drivers.android import parsers
from drivers.android.errors import AdbProtocolError
from drivers.android.shell import PhoneShell

# Without -s, grep names every file it cannot read and why: "Permission denied" (the file exists; shell uid 2000 may
# not read it, as SELinux rules on production phones say) is then told apart from "No such file or directory".
SYSFS_COMMAND = "grep -H . " + " ".join(parsers.sysfs_battery_paths())


@dataclasses.dataclass(frozen=True, slots=True)
class AndroidBattery:
    reading: BatteryReading
    dumpsys: parsers.DumpsysBattery | None
    samsung: parsers.SamsungBatteryBackup | None
    sources: tuple[tuple[str, str], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "reading": self.reading.as_record(),
            "soh_percent": self.reading.soh_percent,
            "level_percent": self.dumpsys.level_percent if self.dumpsys else None,
            "temperature_c": self.dumpsys.temperature_c if self.dumpsys else None,
            "voltage_mv": self.dumpsys.voltage_mv if self.dumpsys else None,
            "status": self.dumpsys.status_text if self.dumpsys else "unknown",
            "health": self.dumpsys.health_text if self.dumpsys else "unknown",
            "sources": dict(self.sources),
        }


def sysfs_access(sysfs: parsers.SysfsBattery) -> str:
    """What became of the sysfs capacity and cycle files, when they gave nothing: the reason, for the evidence."""
    states = dict(sysfs.access)
    wanted = {name: state for name, state in states.items() if name != "battery_cycle"}
    if "cycle_count" in wanted and states.get("battery_cycle") == parsers.SYSFS_READ:
        wanted["cycle_count"] = parsers.SYSFS_READ  # Samsung's name for the same count
    if not wanted or all(state == parsers.SYSFS_READ for state in wanted.values()):
        return ""
    unread = {name: state for name, state in wanted.items() if state != parsers.SYSFS_READ}
    if all(state == parsers.SYSFS_DENIED for state in unread.values()):
        return f"sysfs {', '.join(unread)}: permission denied to adb's shell (only root could read them)"
    if all(state == parsers.SYSFS_ABSENT for state in unread.values()):
        return f"sysfs {', '.join(unread)}: absent on this phone"
    return "sysfs " + ", ".join(f"{name}: {state}" for name, state in unread.items())


def read_battery(phone: PhoneShell, dumpsys_text: str | None = None) -> AndroidBattery:
    text = dumpsys_text if dumpsys_text is not None else phone.shell("dumpsys battery").output
    dumpsys = parsers.parse_dumpsys_battery(text)
    if dumpsys is None:
        raise AdbProtocolError("`dumpsys battery` printed no battery state", serial=phone.serial, raw=text)
    samsung = parsers.parse_samsung_battery_backup(text)
    sysfs = parsers.parse_sysfs_battery(phone.optional(SYSFS_COMMAND))
    sources: list[tuple[str, str]] = [("dumpsys", "dumpsys battery")]
    cycle_count: int | None = None
    sdk = parsers.parse_sdk(phone.props().get("ro.build.version.sdk"))
    if sdk is not None and sdk >= 34:
        cycle_count = parsers.parse_sticky_battery_cycle_count(phone.optional("dumpsys activity broadcasts"))
        if cycle_count is not None:
            sources.append(("cycle_count", "sticky ACTION_BATTERY_CHANGED android.os.extra.CYCLE_COUNT"))
    sysfs_sources = dict(sysfs.sources)
    if cycle_count is None and sysfs.cycle_count is not None:
        cycle_count = sysfs.cycle_count
        sources.append(("cycle_count", f"sysfs {sysfs_sources['cycle_count']}"))
    for field in ("charge_full_uah", "charge_full_design_uah"):
        if field in sysfs_sources:
            sources.append((field, f"sysfs {sysfs_sources[field]}"))
    state_of_health: float | None = None
    if samsung is not None and samsung.asoc is not None:
        state_of_health = float(samsung.asoc)
        sources.append(("state_of_health", "dumpsys battery BatteryInfoBackUp mSavedBatteryAsoc (Samsung)"))
    has_capacity = sysfs.charge_full_uah is not None or sysfs.charge_full_design_uah is not None
    access = sysfs_access(sysfs)
    if access:
        sources.append(("sysfs", access))
    raw = list(dumpsys.raw) + list(sysfs.raw) + [(f"source:{field}", source) for field, source in sources]
    raw += [(f"sysfs access:{name}", state) for name, state in sysfs.access]
    reading = BatteryReading(
        source="adb: " + ", ".join(dict.fromkeys(source for _, source in sources)),
        design_capacity=sysfs.charge_full_design_uah,
        full_charge_capacity=sysfs.charge_full_uah,
        unit=CapacityUnit.UAH if has_capacity else None,
        cycle_count=cycle_count,
        state_of_health=state_of_health,
        raw=tuple(raw),
    )
    return AndroidBattery(reading, dumpsys, samsung, tuple(sources))

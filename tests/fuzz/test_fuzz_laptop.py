"""Bad-input sweep of the laptop parsers: sysfs, smartctl, lsblk, dmidecode, lshw, ioreg, system_profiler, powercfg.

Property: a reading (unknowns as None) or the family's own :class:`LaptopError`; never another exception, never a
hang, and never a state of health the input does not give.
"""

from __future__ import annotations

import json
import math
import plistlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from audit.readings import BatteryReading
from drivers.laptop.battery import parse_ioreg, parse_powercfg_xml, parse_sysfs_battery, parse_system_profiler
from drivers.laptop.disks import DiskReport, parse_lsblk, parse_smartctl
from drivers.laptop.errors import LaptopError
from drivers.laptop.inventory import Inventory, InventoryReader, parse_dmidecode
from drivers.laptop.runner import CapturedRunner
from tests.fuzz._support import (
    LAPTOP_SAMPLES,
    ODD_NUMBERS_TEXT,
    deep_nesting,
    flipped_bytes,
    fuzz_settings,
    json_text,
    json_values,
    mutated_structure,
    mutated_text,
    run_parser,
    sample,
    text_inputs,
)

FUZZ = fuzz_settings(60)
SMARTCTL = tuple(sample(LAPTOP_SAMPLES, p.name) for p in sorted(LAPTOP_SAMPLES.glob("smartctl_*.json")))
LSBLK = sample(LAPTOP_SAMPLES, "lsblk.json")
LSHW = sample(LAPTOP_SAMPLES, "lshw.json")
DMIDECODE = (sample(LAPTOP_SAMPLES, "dmidecode.txt"), sample(LAPTOP_SAMPLES, "dmidecode_oem.txt"))
IOREG_TEXT = sample(LAPTOP_SAMPLES, "ioreg_intel.txt")
IOREG_PLIST = (LAPTOP_SAMPLES / "ioreg_apple_silicon.plist").read_bytes()
PROFILER = sample(LAPTOP_SAMPLES, "system_profiler_power.json")
POWERCFG = sample(LAPTOP_SAMPLES, "powercfg_batteryreport.xml")
HEALTH_KEY = "sppower_battery_health_maximum_capacity"
_CAPACITY_KEYS = ("DesignCapacity", "AppleRawMaxCapacity", "NominalChargeCapacity", "MaxCapacity")


def json_inputs(*originals: str) -> st.SearchStrategy[str]:
    """Structural mutations of captured JSON, text mutations of it, random JSON and random text."""
    documents = [json.loads(original) for original in originals]
    return st.one_of(
        st.sampled_from(documents).flatmap(lambda document: mutated_structure(document)).map(json_text),
        st.sampled_from(originals).flatmap(lambda original: mutated_text(original)),
        json_values.map(json_text),
        st.text(max_size=200),
    )


def _sound_battery(reading: BatteryReading) -> None:
    soh = reading.soh_percent
    assert soh is None or math.isfinite(soh), reading
    for value in (reading.design_capacity, reading.full_charge_capacity, reading.state_of_health):
        assert value is None or (math.isfinite(value) and value >= 0), reading


# --- sysfs ---------------------------------------------------------------------------------------------------------

_SYSFS_KEYS = ("energy_full_design", "energy_full", "charge_full_design", "charge_full", "cycle_count", "capacity")


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(_SYSFS_KEYS) | st.text(max_size=10),
        st.sampled_from(ODD_NUMBERS_TEXT) | st.text(max_size=12) | st.integers().map(str),
        max_size=6,
    )
)
@example({"capacity": "100", "cycle_count": "3"})
@example({"energy_full_design": "٣٤", "energy_full": "٣"})
def test_sysfs_battery(attributes: dict[str, str]) -> None:
    reading, _ = run_parser(lambda: parse_sysfs_battery("BAT0", attributes), ())
    _sound_battery(reading)
    if not any(key in attributes for key in _SYSFS_KEYS[:4]):  # "capacity" is the charge level, not the health
        assert reading.soh_percent is None


# --- smartctl / lsblk ----------------------------------------------------------------------------------------------


@FUZZ
@given(json_inputs(*SMARTCTL))
@example('{"smartctl": {"exit_status": 0, "messages": 5}}')
@example('{"smartctl": {"exit_status": 0}, "device": {"protocol": "NVMe"}, "nvme_smart_health_information_log": []}')
@example(deep_nesting("[", "]"))
@example("9" * 5000)
def test_smartctl(text: str) -> None:
    report, _ = run_parser(lambda: parse_smartctl(text, "/dev/sda"), (LaptopError,))
    if report is not None:
        assert isinstance(report, DiskReport)
        assert report.reasons


@FUZZ
@given(json_inputs(LSBLK))
@example('{"blockdevices": [{"name": "sda", "children": 5}]}')
@example('{"blockdevices": [{"name": "sda", "mountpoints": 7}]}')
@example('{"blockdevices": [{"name": "sda", "size": "٣٤"}]}')
@example('{"blockdevices": ' + deep_nesting("[", "]", 3000) + "}")
@example('{"blockdevices": [' + '{"children": [' * 2000 + "]}" * 2000 + "]}")
@example('{"blockdevices": [{"size": ' + "9" * 5000 + "}]}")
def test_lsblk(text: str) -> None:
    devices, _ = run_parser(lambda: parse_lsblk(text), (LaptopError,))
    for device in devices or ():
        for node in device.walk():
            assert node.size is None or node.size >= 0


# --- inventory (dmidecode + lshw, through the real reader on a captured runner) -------------------------------------


def _inventory(tmp_path: Path, dmidecode: str, lshw: str) -> Inventory:
    runner = CapturedRunner()
    runner.add("dmidecode -t system -t processor -t memory", dmidecode)
    runner.add("lshw -json -quiet", lshw)
    return InventoryReader(runner, dmi_root=tmp_path / "dmi", proc_root=tmp_path / "proc").read()


@FUZZ
@given(text_inputs(*DMIDECODE))
def test_dmidecode(text: str) -> None:
    sections, _ = run_parser(lambda: parse_dmidecode(text), ())
    assert all(isinstance(title, str) and isinstance(fields, dict) for title, fields in sections)


@FUZZ
@given(dmidecode=text_inputs(*DMIDECODE), lshw=json_inputs(LSHW))
@example(dmidecode="", lshw='[{"class": "processor", "id": 5}]')
@example(dmidecode="", lshw='{"class": "system", "configuration": ["uuid"]}')
@example(dmidecode="", lshw='{"class": "system", "vendor": "LENOVO", "version": 7}')
@example(dmidecode="", lshw=deep_nesting("[", "]"))
@example(dmidecode="", lshw='{"children": ' * 3000 + "{}" + "}" * 3000)
@example(dmidecode="Handle 0x0001\nMemory Device\n\tSize: 99999999999999999999 TB\n", lshw="{}")
@example(dmidecode="", lshw="9" * 5000)
def test_inventory(tmp_path_factory: pytest.TempPathFactory, dmidecode: str, lshw: str) -> None:
    tmp_path = tmp_path_factory.getbasetemp()
    inventory, _ = run_parser(lambda: _inventory(tmp_path, dmidecode, lshw), (LaptopError,))
    assert inventory.ram_bytes is None or inventory.ram_bytes >= 0
    for field in ("make", "model", "serial", "cpu"):
        value = getattr(inventory, field)
        assert value is None or isinstance(value, str), (field, value)


# --- macOS ---------------------------------------------------------------------------------------------------------


def _plist_inputs() -> st.SearchStrategy[bytes]:
    document = plistlib.loads(IOREG_PLIST)
    plist_safe = st.one_of(
        st.integers(min_value=-(2**63), max_value=2**64 - 1),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=10),
        st.booleans(),
        st.binary(max_size=8),
    )

    def dump(value: Any) -> bytes:
        try:
            return plistlib.dumps(value)
        except (TypeError, OverflowError, ValueError):
            return b"<?xml version='1.0'?><plist>broken</plist>"

    return st.one_of(
        mutated_structure(document, plist_safe).map(dump),
        flipped_bytes(IOREG_PLIST),
        st.binary(max_size=200).map(lambda data: b"<?xml " + data),
    )


@FUZZ
@given(st.one_of(text_inputs(IOREG_TEXT), _plist_inputs(), st.binary(max_size=300)))
@example('"MaxCapacity" = 100\n')  # Apple silicon always says 100 here (see the sample): not a health figure
@example('"AppleRawMaxCapacity" = -1\n"NominalChargeCapacity" = -5\n')
@example('"DesignCapacity" = ' + "9" * 400 + '\n"AppleRawMaxCapacity" = 1\n')
@example(b"<?xml version='1.0'?><plist><dict><key>a</key><data>!!!</data></dict></plist>")
@example(b"<?xml version='1.0'?><plist><dict><key>a</key><date>yesterday</date></dict></plist>")
@example(b"<plist>\xff\xfe</plist>")
def test_ioreg(output: str | bytes) -> None:
    reading, _ = run_parser(lambda: parse_ioreg(output), (LaptopError,))
    if reading is None:
        return
    _sound_battery(reading)
    if not any(f"{key}=" in entry for entry in _raw_text(reading) for key in _CAPACITY_KEYS):
        assert reading.soh_percent is None, reading
    if dict(reading.raw).get("MaxCapacity") == "100" and reading.design_capacity is None:
        assert reading.soh_percent is None, "MaxCapacity 100 is not a health figure"


def _raw_text(reading: BatteryReading) -> list[str]:
    return [f"{key}={value}" for key, value in reading.raw]


@FUZZ
@given(json_inputs(PROFILER))
@example(
    '{"SPPowerDataType": [{"sppower_battery_health_info": {"sppower_battery_health_maximum_capacity": "1e999%"}}]}'
)
@example('{"SPPowerDataType": [{"sppower_battery_health_info": {"sppower_battery_cycle_count": -5}}]}')
@example(deep_nesting("[", "]"))
@example(json.dumps({"SPPowerDataType": [{"sppower_battery_health_info": {HEALTH_KEY: "9" * 400 + "%"}}]}))
def test_system_profiler(text: str) -> None:
    readings, _ = run_parser(lambda: parse_system_profiler(text), (LaptopError,))
    for reading in readings or ():
        _sound_battery(reading)
        if "%" not in text:
            assert reading.soh_percent is None


# --- Windows -------------------------------------------------------------------------------------------------------


@FUZZ
@given(st.one_of(text_inputs(POWERCFG), st.binary(max_size=200)))
@example(POWERCFG.replace("<RelativeCapacity>0", "<RelativeCapacity>1").replace("<DesignCapacity>", "<X>"))
@example(
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><r>&d;&d;</r>'
)
@example(b"\xff\xfe<\x00r\x00>\x00")
def test_powercfg(output: str | bytes) -> None:
    readings, _ = run_parser(lambda: parse_powercfg_xml(output), (LaptopError,))
    for reading in readings or ():
        _sound_battery(reading)
        fields = dict(reading.raw)
        if not fields.get("DesignCapacity") and not fields.get("FullChargeCapacity"):
            assert reading.soh_percent is None

"""Battery parsers on the sample outputs, on simulated sysfs trees, and fuzzed."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.readings import CapacityUnit
from drivers.laptop.battery import (
    BatteryReader,
    parse_ioreg,
    parse_powercfg_xml,
    parse_sysfs_battery,
    parse_sysfs_uevent,
    parse_system_profiler,
    read_sysfs_batteries,
)
from drivers.laptop.errors import LaptopError, ParseError
from drivers.laptop.runner import CapturedRunner, CommandResult
from drivers.sim.laptop import SimBattery, SimLaptop, sample


@pytest.mark.parametrize(
    ("attributes", "unit", "design", "full", "cycles", "soh"),
    [
        (
            {"energy_full_design": "57020000", "energy_full": "45870000", "cycle_count": "312"},
            CapacityUnit.MWH,
            57020.0,
            45870.0,
            312,
            80.4,
        ),
        (
            {"charge_full_design": "4400000", "charge_full": "4180000", "cycle_count": "0"},
            CapacityUnit.MAH,
            4400.0,
            4180.0,
            None,
            95.0,
        ),
        ({"energy_full_design": "0", "energy_full": "41000000"}, CapacityUnit.MWH, None, 41000.0, None, None),
        ({"cycle_count": "garbage"}, None, None, None, None, None),
    ],
    ids=["energy-uwh", "charge-uah-cycles-zero-unknown", "design-zero-unknown", "nothing-readable"],
)
def test_sysfs_attributes(
    attributes: dict[str, str],
    unit: CapacityUnit | None,
    design: float | None,
    full: float | None,
    cycles: int | None,
    soh: float | None,
) -> None:
    reading = parse_sysfs_battery("BAT0", attributes)
    assert (reading.unit, reading.design_capacity, reading.full_charge_capacity) == (unit, design, full)
    assert reading.cycle_count == cycles
    assert reading.soh_percent == soh
    assert reading.source == "linux-sysfs:BAT0"


def test_sysfs_tree_skips_mains_peripherals_and_empty_slots(tmp_path: Path) -> None:
    laptop = SimLaptop(
        tmp_path,
        batteries=[
            SimBattery("BAT0"),
            SimBattery("BAT1", unit="charge", design=2_000_000, full=1_900_000, now=1_000_000, cycle_count=0),
            SimBattery("BAT2", present="0"),
            SimBattery("hid-mouse-battery", scope="Device"),
        ],
    )
    readings = read_sysfs_batteries(laptop.view.sys_root / "class" / "power_supply")
    assert [r.source for r in readings] == ["linux-sysfs:BAT0", "linux-sysfs:BAT1"]
    assert readings[0].soh_percent == 80.4
    assert readings[1].unit is CapacityUnit.MAH
    assert readings[1].cycle_count is None
    assert ("serial_number", "4532") in readings[0].raw


def test_reader_on_linux_uses_the_given_root(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path)
    reader = BatteryReader(laptop.runner, sysfs_root=laptop.view.sys_root / "class" / "power_supply", system="Linux")
    (reading,) = reader.read()
    assert reading.cycle_count == 312
    assert BatteryReader(laptop.runner, sysfs_root=tmp_path / "none", system="Linux").read() == ()


@pytest.mark.parametrize(
    ("name", "design", "full", "cycles", "soh"),
    [
        ("ioreg_intel.txt", 6669.0, 4382.0, 241, 65.7),
        ("ioreg_apple_silicon.plist", 4382.0, 4123.0, 187, 94.1),
    ],
    ids=["intel-text", "apple-silicon-plist"],
)
def test_ioreg(name: str, design: float, full: float, cycles: int, soh: float) -> None:
    reading = parse_ioreg(sample(name))
    assert reading.unit is CapacityUnit.MAH
    assert (reading.design_capacity, reading.full_charge_capacity, reading.cycle_count) == (design, full, cycles)
    assert reading.soh_percent == soh


def test_ioreg_apple_silicon_percent_only() -> None:
    text = '    {\n      "CycleCount" = 12\n      "MaxCapacity" = 97\n    }\n'
    reading = parse_ioreg(text)
    assert (reading.unit, reading.state_of_health, reading.cycle_count) == (None, 97.0, 12)


@pytest.mark.parametrize("text", ["", "no battery here", "<?xml version='1.0'?><plist><broken"], ids=str)
def test_ioreg_unreadable(text: str) -> None:
    with pytest.raises(ParseError):
        parse_ioreg(text)


def test_system_profiler() -> None:
    (reading,) = parse_system_profiler(sample("system_profiler_power.json"))
    assert (reading.state_of_health, reading.cycle_count) == (94.0, 187)
    assert ("health.sppower_battery_health", "Good") in reading.raw


def test_powercfg_two_batteries_cycle_zero_unknown() -> None:
    first, second = parse_powercfg_xml(sample("powercfg_batteryreport.xml"))
    assert (first.unit, first.design_capacity, first.full_charge_capacity, first.cycle_count) == (
        CapacityUnit.MWH,
        57020.0,
        45870.0,
        312,
    )
    assert first.soh_percent == 80.4
    assert second.cycle_count is None


def test_powercfg_relative_capacity_keeps_only_the_ratio() -> None:
    xml = sample("powercfg_batteryreport.xml").replace(
        "<RelativeCapacity>0</RelativeCapacity>", "<RelativeCapacity>1</RelativeCapacity>", 1
    )
    first, _ = parse_powercfg_xml(xml)
    assert (first.unit, first.design_capacity, first.state_of_health) == (None, None, 80.4)


def test_windows_reader_reads_the_report_powercfg_wrote(tmp_path: Path) -> None:
    def powercfg(argv: object) -> CommandResult:
        args = list(argv)  # type: ignore[call-overload]
        Path(args[-1]).write_text(sample("powercfg_batteryreport.xml"), encoding="utf-8")
        return CommandResult(tuple(args), 0, "Battery life report saved")

    class Runner(CapturedRunner):
        def run(self, argv, *, timeout=120.0):  # type: ignore[no-untyped-def]
            self.calls.append(tuple(argv))
            return powercfg(argv)

    readings = BatteryReader(Runner(), system="Windows").read()
    assert len(readings) == 2


def test_macos_reader_without_tools_reads_nothing() -> None:
    assert BatteryReader(CapturedRunner(), system="Darwin").read() == ()
    with pytest.raises(LaptopError):
        BatteryReader(CapturedRunner(), system="Plan9").read()


@given(st.dictionaries(st.sampled_from(["energy_full_design", "energy_full", "charge_full_design",
                                        "charge_full", "cycle_count"]), st.text(max_size=12)))  # fmt: skip
def test_sysfs_parser_never_crashes_or_invents(attributes: dict[str, str]) -> None:
    reading = parse_sysfs_battery("BAT0", attributes)
    if reading.soh_percent is not None:
        assert reading.design_capacity
        assert reading.full_charge_capacity is not None


@given(st.text(max_size=400))
def test_ioreg_parser_fails_cleanly(text: str) -> None:
    try:
        reading = parse_ioreg(text)
    except ParseError:
        return
    assert reading.source == "macos-ioreg"


@given(st.text(max_size=300))
def test_powercfg_parser_fails_cleanly(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_powercfg_xml(text)


@given(st.text(max_size=300))
def test_uevent_parser_fails_cleanly(text: str) -> None:
    try:
        reading = parse_sysfs_uevent(text)
    except ParseError:
        return
    if reading.soh_percent is not None:
        assert reading.design_capacity

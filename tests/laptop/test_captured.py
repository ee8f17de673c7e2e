"""The laptop parsers on outputs captured from real machines (tests/data/laptop/, sources in its README.md).

Each expected value below is read by eye in the captured file; nothing here was written to suit the parsers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.readings import CapacityUnit
from drivers.laptop.battery import parse_ioreg, parse_sysfs_uevent, read_sysfs_batteries
from drivers.laptop.disks import DiskHealth, MediaType, parse_smartctl
from drivers.laptop.errors import ParseError

DATA = Path(__file__).resolve().parents[1] / "data" / "laptop"


def captured(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_every_capture_has_its_source_in_the_readme() -> None:
    readme = captured("README.md")
    names = sorted(path.name for path in DATA.iterdir() if path.name != "README.md")
    assert names
    assert [name for name in names if f"`{name}`" not in readme] == []


# --- smartctl -j -a: an NVMe, a SATA SSD and a HDD --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "media", "model", "capacity", "hours", "used", "reallocated", "media_errors"),
    [
        ("smartctl_nvme_intel_660p.json", MediaType.NVME, "INTEL SSDPEKNW010T8", 1024209543168, 2401, 0, None, 0),
        (
            "smartctl_nvme_samsung_970_evo_plus.json",
            MediaType.NVME,
            "Samsung SSD 970 EVO Plus 250GB",
            250059350016,
            3149,
            0,
            None,
            0,
        ),
        ("smartctl_sata_ssd_intel_s3520.json", MediaType.SSD, "SSDSCKJB240G7R", 240057409536, 21213, 0, 0, None),
        ("smartctl_hdd_wd140edfz.json", MediaType.HDD, "WDC WD140EDFZ-11A0VA0", 14000519643136, 1730, None, 0, None),
    ],
    ids=["nvme-intel-660p", "nvme-samsung-970", "sata-ssd-intel-s3520", "hdd-wd-14tb"],
)
def test_smartctl_captures(
    name: str,
    media: MediaType,
    model: str,
    capacity: int,
    hours: int,
    used: int | None,
    reallocated: int | None,
    media_errors: int | None,
) -> None:
    report = parse_smartctl(captured(name))
    assert (report.media_type, report.model, report.capacity_bytes) == (media, model, capacity)
    assert (report.power_on_hours, report.percentage_used) == (hours, used)
    assert (report.reallocated_sectors, report.media_errors) == (reallocated, media_errors)
    assert report.smart_passed is True
    assert report.exit_status == 0
    assert (report.health, report.reasons) == (DiskHealth.GOOD, ("no problem reported",))


def test_smartctl_capture_keeps_device_name_and_serial() -> None:
    report = parse_smartctl(captured("smartctl_hdd_wd140edfz.json"))
    assert (report.device, report.serial, report.firmware) == ("/dev/sdb", "9RK1XXXX", "81.00A81")


def test_sata_ssd_wear_comes_from_the_attribute_named_for_it() -> None:
    """This drive's firmware names id 233 Total_LBAs_Written: its normalized value says nothing about wear."""
    document = json.loads(captured("smartctl_sata_ssd_intel_s3520.json"))
    table = document["ata_smart_attributes"]["table"]
    for row in table:
        if row["id"] == 233:
            row["value"] = 40  # a counter's normalized value: must not read as 60 % worn
        if row["name"] == "Percent_Life_Remaining":
            row["value"] = 12
    report = parse_smartctl(json.dumps(document))
    assert report.percentage_used == 88
    assert report.health is DiskHealth.WARNING
    assert "88 % of the rated endurance is used" in report.reasons


@pytest.mark.parametrize(
    ("edit", "health", "reason"),
    [
        (lambda d: d["nvme_smart_health_information_log"].update(media_errors=3), DiskHealth.WARNING, "3 media"),
        (lambda d: d["nvme_smart_health_information_log"].update(available_spare=5), DiskHealth.FAILING, "spare 5"),
        (lambda d: d["smartctl"].update(exit_status=0x44), DiskHealth.WARNING, "error log"),
    ],
    ids=["media-errors", "spare-below-threshold", "exit-status-error-log"],
)
def test_nvme_capture_with_one_fault(edit: object, health: DiskHealth, reason: str) -> None:
    document = json.loads(captured("smartctl_nvme_intel_660p.json"))
    edit(document)  # type: ignore[operator]
    report = parse_smartctl(json.dumps(document))
    assert report.health is health
    assert reason in " ".join(report.reasons)


# --- Linux sysfs uevent ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "unit", "design", "full", "soh"),
    [
        ("sysfs_uevent_thinkpad_energy.txt", CapacityUnit.MWH, 60000.0, 52260.0, 87.1),
        ("sysfs_uevent_dell_charge.txt", CapacityUnit.MAH, 4474.0, 3750.0, 83.8),
        ("sysfs_uevent_thinkpad_worn_charge.txt", CapacityUnit.MAH, 5600.0, 1802.0, 32.2),
    ],
    ids=["thinkpad-energy-uwh", "dell-charge-uah", "thinkpad-worn-charge"],
)
def test_sysfs_uevent_captures(
    tmp_path: Path, name: str, unit: CapacityUnit, design: float, full: float, soh: float
) -> None:
    text = captured(name)
    reading = parse_sysfs_uevent(text)
    assert reading.source == "linux-sysfs:BAT0"
    assert (reading.unit, reading.design_capacity, reading.full_charge_capacity) == (unit, design, full)
    assert reading.soh_percent == soh
    assert reading.cycle_count is None  # every one of these firmwares answers 0: not counted, so unknown
    # The same attributes laid out as the files the kernel exposes read the same through the tree reader.
    battery = tmp_path / "power_supply" / "BAT0"
    battery.mkdir(parents=True)
    (battery / "type").write_text("Battery\n")
    for line in text.splitlines():
        key, _, value = line.partition("=")
        (battery / key.removeprefix("POWER_SUPPLY_").lower()).write_text(value + "\n")
    (from_tree,) = read_sysfs_batteries(tmp_path / "power_supply")
    assert (from_tree.unit, from_tree.design_capacity, from_tree.full_charge_capacity, from_tree.cycle_count) == (
        reading.unit,
        reading.design_capacity,
        reading.full_charge_capacity,
        reading.cycle_count,
    )


def test_uevent_keeps_the_serial_as_the_firmware_padded_it() -> None:
    reading = parse_sysfs_uevent(captured("sysfs_uevent_thinkpad_energy.txt"))
    assert ("serial_number", "756") in reading.raw
    assert ("model_name", "L14M4P23") in reading.raw


@pytest.mark.parametrize("text", ["", "BAT0\n", "NAME=BAT0\n"], ids=["empty", "no-equals", "no-prefix"])
def test_uevent_without_power_supply_lines(text: str) -> None:
    with pytest.raises(ParseError):
        parse_sysfs_uevent(text)


# --- macOS ioreg -----------------------------------------------------------------------------------------------


def test_ioreg_intel_macbook_capture() -> None:
    reading = parse_ioreg(captured("ioreg_intel_macbook.txt"))
    assert reading.unit is CapacityUnit.MAH
    assert (reading.design_capacity, reading.full_charge_capacity, reading.cycle_count) == (6900.0, 6806.0, 46)
    assert reading.soh_percent == 98.6
    assert ("DeviceName", "bq20z451") in reading.raw
    assert ("LatestErrorType", "Capacity Read Zero") in reading.raw

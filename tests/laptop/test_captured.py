"""The laptop parsers on outputs captured from real machines (tests/data/laptop/, sources in its README.md).

Each expected value below is read by eye in the captured file; nothing here was written to suit the parsers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from audit.readings import CapacityUnit
from drivers.laptop.battery import (
    BatteryReader,
    parse_ioreg,
    parse_powercfg_xml,
    parse_sysfs_uevent,
    read_sysfs_batteries,
)
from drivers.laptop.disks import LSBLK_COLUMNS, DiskHealth, DiskInspector, MediaType, parse_lsblk, parse_smartctl
from drivers.laptop.errors import ParseError
from drivers.laptop.inventory import InventoryReader, parse_dmidecode
from drivers.laptop.runner import CapturedRunner, CommandResult

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


# --- Windows powercfg /batteryreport /xml ------------------------------------------------------------------------

POWERCFG_LENOVO = "powercfg_lenovo_20hg_two_batteries.xml"


@pytest.mark.parametrize(
    ("index", "pack", "serial", "design", "full", "cycles", "soh"),
    [
        (0, "00HW023", "541", 23540.0, 19450.0, 173, 82.6),
        (1, "01AV406", "3319", 26060.0, 17860.0, 143, 68.5),
    ],
    ids=["internal-00HW023", "removable-01AV406"],
)
def test_powercfg_capture_two_batteries(
    index: int, pack: str, serial: str, design: float, full: float, cycles: int, soh: float
) -> None:
    readings = parse_powercfg_xml((DATA / POWERCFG_LENOVO).read_bytes())
    assert len(readings) == 2  # a ThinkPad with its internal and its removable pack
    reading = readings[index]
    assert reading.source == f"windows-powercfg:{index}"
    assert (reading.unit, reading.design_capacity, reading.full_charge_capacity) == (CapacityUnit.MWH, design, full)
    assert (reading.cycle_count, reading.soh_percent) == (cycles, soh)
    raw = dict(reading.raw)
    assert (raw["Id"], raw["SerialNumber"], raw["Manufacturer"], raw["Chemistry"]) == (pack, serial, "SMP", "LiP")
    assert raw["RelativeCapacity"] == "0"


def test_powercfg_capture_ignores_the_report_wide_totals() -> None:
    """RuntimeEstimates and History repeat DesignCapacity/FullChargeCapacity for both packs summed (49600 / 37620
    mWh here): they must not be read as a third battery or replace a pack's own figures."""
    readings = parse_powercfg_xml(captured(POWERCFG_LENOVO))
    assert [r.design_capacity for r in readings] == [23540.0, 26060.0]
    assert 49600.0 not in [r.full_charge_capacity for r in readings]


class _PowercfgRunner:
    """Windows as the reader sees it: powercfg writes the captured report where /output says."""

    def __init__(self, report: bytes) -> None:
        self.report = report
        self.calls: list[tuple[str, ...]] = []

    def run(self, argv: Sequence[str], *, timeout: float = 30.0) -> CommandResult:
        self.calls.append(tuple(argv))
        Path(argv[list(argv).index("/output") + 1]).write_bytes(self.report)
        return CommandResult(tuple(argv), 0, "", "")


def test_battery_reader_on_windows_reads_the_captured_report() -> None:
    runner = _PowercfgRunner((DATA / POWERCFG_LENOVO).read_bytes())
    readings = BatteryReader(runner, system="Windows").read()
    assert [(r.design_capacity, r.full_charge_capacity, r.cycle_count) for r in readings] == [
        (23540.0, 19450.0, 173),
        (26060.0, 17860.0, 143),
    ]
    assert runner.calls[0][:3] == ("powercfg", "/batteryreport", "/xml")


# --- dmidecode (whole table) ----------------------------------------------------------------------------------

DMIDECODE_E320 = "dmidecode_lenovo_thinkpad_edge_e320.txt"


def test_dmidecode_capture_sections() -> None:
    sections = parse_dmidecode(captured(DMIDECODE_E320))
    titles = [title for title, _ in sections]
    assert len(titles) == 71  # "71 structures occupying 2642 bytes."
    assert titles.count("Memory Device") == 4  # two modules, two empty slots
    assert titles.count("Memory Device Mapped Address") == 2
    (system,) = [fields for title, fields in sections if title == "System Information"]
    assert system["Family"] == "<BAD INDEX>"
    assert system["SKU Number"] == "ThinkPad Edge E320"
    (cpu,) = [fields for title, fields in sections if title == "Processor Information"]
    assert "Flags" in cpu
    assert "FPU (Floating-point unit on-chip)" not in cpu  # list items stay out of the keys


def test_dmidecode_capture_inventory(tmp_path: Path) -> None:
    runner = CapturedRunner()
    runner.add("dmidecode -t system -t processor -t memory", captured(DMIDECODE_E320))
    inventory = InventoryReader(runner, dmi_root=tmp_path, proc_root=tmp_path).read()
    assert (inventory.make, inventory.model, inventory.model_number) == ("LENOVO", "ThinkPad Edge E320", "1298A8G")
    assert (inventory.serial, inventory.uuid) == ("LR9NKZ7", "725BA801-507B-11CB-95E6-C66052AAC597")
    assert inventory.cpu == "Intel(R) Core(TM) i5-2450M CPU @ 2.50GHz"
    assert inventory.ram_bytes == 2 * 4096 * 1024**2  # "Size: No Module Installed" slots add nothing
    assert inventory.sources == ("dmidecode", "sysfs")
    identity = inventory.identity()
    assert (identity.make, identity.model, identity.serial) == ("LENOVO", "ThinkPad Edge E320", "LR9NKZ7")


# --- lsblk -J (util-linux 2.32: strings for numbers and flags, one "mountpoint") -----------------------------------

LSBLK_EVE = "lsblk_pixelbook_eve_bytes.json"


def test_lsblk_capture_tree() -> None:
    devices = {device.name: device for device in parse_lsblk(captured(LSBLK_EVE))}
    assert list(devices) == ["loop0", "loop1", "loop2", "loop3", "loop4", "loop5", "loop6", "loop9", "zram0", "nvme0n1"]
    nvme = devices["nvme0n1"]
    assert (nvme.path, nvme.type, nvme.size, nvme.removable, nvme.read_only) == (
        "/dev/nvme0n1",
        "disk",
        512110190592,
        False,
        False,
    )
    assert [(c.name, c.size) for c in nvme.children] == [
        ("nvme0n1p1", 503358750720),
        ("nvme0n1p2", 16777216),
        ("nvme0n1p3", 4294967296),
        ("nvme0n1p12", 33554432),
    ]
    assert nvme.all_mountpoints == ("/mnt/stateful_partition",)  # null mountpoints are not mounts
    assert devices["loop1"].read_only is True
    assert devices["loop0"].all_mountpoints == ("/mnt/stateful_partition/encrypted",)  # through the dm child
    assert devices["zram0"].mountpoints == ("[SWAP]",)


def test_lsblk_capture_disks_skip_zram_and_loops(tmp_path: Path) -> None:
    runner = CapturedRunner()
    runner.add(f"lsblk -J -b -o {LSBLK_COLUMNS}", captured(LSBLK_EVE))
    inspector = DiskInspector(runner)
    assert [d.name for d in inspector.disks()] == ["nvme0n1"]  # zram0 says "disk" but is compressed RAM
    inventory = InventoryReader(runner, dmi_root=tmp_path, proc_root=tmp_path).read(inspector.disks())
    assert [(s.name, s.size_bytes, s.model, s.serial) for s in inventory.storage] == [
        ("nvme0n1", 512110190592, None, None)  # this capture has no MODEL/SERIAL columns: unknown, not invented
    ]


# --- lshw -json (a live USB system, kernel 4.9.0-8-686): Acer Aspire 5737Z notebook ------------------------------

LSHW_ACER = "lshw_acer_aspire_5737z.json"


def _lshw_nodes_of_class(node: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    found = [node] if node.get("class") == kind else []
    for child in node.get("children", []):
        found += _lshw_nodes_of_class(child, kind)
    return found


def test_lshw_capture_as_published() -> None:
    """What a person reads in the file, before any parser of ours touches it."""
    document = json.loads(captured(LSHW_ACER))
    assert (document["class"], document["vendor"], document["product"]) == ("system", "Acer", "Aspire 5737Z")
    assert document["serial"] == "LXAZ70X0669112B8DB1601"
    assert document["configuration"]["chassis"] == "notebook"
    (memory,) = [n for n in _lshw_nodes_of_class(document, "memory") if n["id"] == "memory"]
    assert memory["size"] == 4294967296
    assert [(bank["slot"], bank["size"]) for bank in memory["children"]] == [("S1", 2147483648), ("S2", 2147483648)]
    # Whole disks (not the "medium" children lshw repeats under USB disks, nor the empty DVD drive).
    disks = [
        (n["logicalname"], n["vendor"], n["product"], n.get("serial"), n["size"])
        for n in _lshw_nodes_of_class(document, "disk")
        if n["id"] == "disk"
    ]
    assert disks == [
        ("/dev/sdc", "Kingston", "DataTraveler 102", None, 8005787648),  # USB stick
        ("/dev/sdb", "Generic", "Flash Disk", "D24FBB10", 15728640000),  # USB stick (the live system)
        ("/dev/sda", "Western Digital", "WDC WD5000BEVT-2", "WD-WXN209S36759", 500107862016),  # internal SATA
    ]
    # lshw's own slip, kept as published: a FAT12 volume of 2**64 - 512 bytes.
    assert 2**64 - 512 in [n.get("size") for n in _lshw_nodes_of_class(document, "volume")]


def test_lshw_capture_inventory(tmp_path: Path) -> None:
    runner = CapturedRunner()
    runner.add("lshw -json -quiet", captured(LSHW_ACER))  # no dmidecode: lshw is the only firmware source
    inventory = InventoryReader(runner, dmi_root=tmp_path, proc_root=tmp_path).read()
    assert (inventory.make, inventory.model, inventory.model_number) == ("Acer", "Aspire 5737Z", None)
    assert (inventory.serial, inventory.uuid) == ("LXAZ70X0669112B8DB1601", "921B8C66-9976-EE71-E299-00235A5F6B8D")
    # The product string pads with runs of spaces ("CPU     T6400  @"); the parser folds each run to one.
    assert inventory.cpu == "Intel(R) Core(TM)2 Duo CPU T6400 @ 2.00GHz"
    assert inventory.ram_bytes == 2 * 2147483648  # "System Memory", the sum of banks S1 and S2
    assert inventory.sources == ("lshw", "sysfs")
    # Disks come from lsblk, never from lshw's tree: without lsblk they stay unknown, with the reason.
    assert inventory.storage == ()
    assert dict(inventory.unknown) == {"storage": "no disk listed (lsblk unavailable or no disk found)"}
    identity = inventory.identity()
    assert (identity.make, identity.model, identity.serial) == ("Acer", "Aspire 5737Z", "LXAZ70X0669112B8DB1601")

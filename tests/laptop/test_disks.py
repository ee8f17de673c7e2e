"""smartctl and lsblk parsers: NVMe, SATA SSD, HDD, failing and unreadable disks; fuzzed."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.laptop.disks import DiskHealth, DiskInspector, MediaType, parse_lsblk, parse_smartctl
from drivers.laptop.errors import ParseError
from drivers.sim.laptop import SimLaptop, sample


@pytest.mark.parametrize(
    ("name", "media", "health", "hours", "used", "reallocated", "model"),
    [
        ("smartctl_nvme.json", MediaType.NVME, DiskHealth.GOOD, 4377, 3, None, "SAMSUNG MZVLB512HBJQ-000L7"),
        ("smartctl_sata_ssd.json", MediaType.SSD, DiskHealth.GOOD, 15332, 9, 0, "Samsung SSD 860 EVO 500GB"),
        ("smartctl_hdd.json", MediaType.HDD, DiskHealth.WARNING, 15422, None, 8, "ST1000LM035-1RK172"),
        ("smartctl_hdd_failing.json", MediaType.HDD, DiskHealth.FAILING, 28117, None, 2304, "WDC WD10SPZX-22Z10T0"),
        ("smartctl_nvme_worn.json", MediaType.NVME, DiskHealth.FAILING, 4377, 104, None, "SAMSUNG MZVLB512HBJQ-000L7"),
        ("smartctl_usb_unknown_bridge.json", MediaType.UNKNOWN, DiskHealth.UNKNOWN, None, None, None, None),
    ],
    ids=["nvme", "sata-ssd", "hdd-reallocated", "hdd-failing", "nvme-worn", "usb-bridge-unreadable"],
)
def test_smartctl_samples(
    name: str,
    media: MediaType,
    health: DiskHealth,
    hours: int | None,
    used: int | None,
    reallocated: int | None,
    model: str | None,
) -> None:
    report = parse_smartctl(sample(name))
    assert (report.media_type, report.health) == (media, health)
    assert (report.power_on_hours, report.percentage_used, report.reallocated_sectors) == (hours, used, reallocated)
    assert report.model == model
    assert report.reasons


def test_failing_disk_says_why() -> None:
    report = parse_smartctl(sample("smartctl_hdd_failing.json"))
    text = " ".join(report.reasons)
    assert "failing" in text
    assert "2304 reallocated sectors" in text
    assert "56 sectors pending reallocation" in text
    assert report.smart_passed is False


def test_unreadable_disk_carries_smartctl_message() -> None:
    report = parse_smartctl(sample("smartctl_usb_unknown_bridge.json"))
    assert "Unknown USB bridge" in report.reasons[0]


@pytest.mark.parametrize(
    ("bits", "health"),
    [(0, DiskHealth.GOOD), (0x40, DiskHealth.WARNING), (0x80, DiskHealth.WARNING), (0x08, DiskHealth.FAILING),
     (0x10, DiskHealth.FAILING), (0x02, DiskHealth.UNKNOWN)],
    ids=["clean", "error-log", "self-test-log", "disk-failing", "prefail-threshold", "open-failed"],
)  # fmt: skip
def test_exit_status_bits(bits: int, health: DiskHealth) -> None:
    document = json.loads(sample("smartctl_nvme.json"))
    document["smartctl"]["exit_status"] = bits
    assert parse_smartctl(json.dumps(document)).health is health


def test_no_overall_health_is_not_good() -> None:
    document = json.loads(sample("smartctl_sata_ssd.json"))
    del document["smart_status"]
    assert parse_smartctl(json.dumps(document)).health is DiskHealth.UNKNOWN


def test_lsblk_tree() -> None:
    nvme, stick, loop = parse_lsblk(sample("lsblk.json"))
    assert (nvme.name, nvme.type, nvme.size, nvme.transport) == ("nvme0n1", "disk", 512110190592, "nvme")
    assert [c.name for c in nvme.children] == ["nvme0n1p1", "nvme0n1p2"]
    assert nvme.all_mountpoints == ()
    assert stick.all_mountpoints == ("/run/live/medium",)
    assert loop.type == "loop"


def test_lsblk_old_mountpoint_column() -> None:
    (device,) = parse_lsblk('{"blockdevices": [{"name": "sda", "type": "disk", "size": "10", "mountpoint": "/"}]}')
    assert (device.mountpoints, device.size, device.path) == (("/",), 10, "/dev/sda")


def test_inspector_on_the_simulated_laptop(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path)
    inspector = DiskInspector(laptop.runner)
    disks = inspector.disks()
    assert [d.name for d in disks] == ["nvme0n1", "sda"]
    assert inspector.health("/dev/nvme0n1").health is DiskHealth.GOOD
    assert inspector.health("/dev/sda").health is DiskHealth.UNKNOWN


def test_inspector_without_root_or_smartctl(tmp_path: Path) -> None:
    no_root = DiskInspector(SimLaptop(tmp_path / "a", no_root=True).runner).health("/dev/nvme0n1")
    assert no_root.health is DiskHealth.UNKNOWN
    assert "root" in no_root.reasons[0]
    missing = DiskInspector(SimLaptop(tmp_path / "b", missing_tools=["smartctl"]).runner).health("/dev/nvme0n1")
    assert "not installed" in missing.reasons[0]


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.sampled_from(["NVMe", "ATA"]) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
                        ["smartctl", "exit_status", "device", "protocol", "smart_status", "passed", "model_name",
                         "nvme_smart_health_information_log", "ata_smart_attributes", "table", "id", "raw", "value",
                         "rotation_rate", "power_on_time", "hours", "percentage_used", "media_errors"]), inner,
                        max_size=6), max_leaves=30))  # fmt: skip
def test_smartctl_parser_never_crashes(document: object) -> None:
    try:
        report = parse_smartctl(json.dumps(document))
    except ParseError:
        return
    assert report.health in DiskHealth


@given(st.text(max_size=200))
def test_lsblk_parser_fails_cleanly(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_lsblk(text)

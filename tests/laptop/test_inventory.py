"""Inventory from dmidecode, lshw and sysfs; placeholders and missing privileges give reasons, not values."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.readings import DeviceFamily
from drivers.laptop.disks import DiskInspector
from drivers.laptop.errors import LaptopError
from drivers.laptop.inventory import InventoryReader, clean, parse_dmidecode
from drivers.laptop.runner import CapturedRunner
from drivers.sim.laptop import SimLaptop, sample


def _reader(laptop: SimLaptop) -> InventoryReader:
    return InventoryReader(
        laptop.runner, dmi_root=laptop.view.sys_root / "class" / "dmi" / "id", proc_root=laptop.view.proc_root
    )


def test_dmidecode_sections() -> None:
    sections = parse_dmidecode(sample("dmidecode.txt"))
    titles = [title for title, _ in sections]
    assert titles == ["System Information", "Processor Information", "Memory Device", "Memory Device"]
    assert sections[0][1]["Serial Number"] == "PF1ABCDE"
    assert "FPU (Floating-point unit on-chip)" not in sections[1][1]


def test_full_inventory_as_root(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path)
    inventory = _reader(laptop).read(DiskInspector(laptop.runner).disks())
    assert (inventory.make, inventory.model, inventory.model_number) == ("LENOVO", "ThinkPad T480s", "20L7S02M00")
    assert inventory.serial == "PF1ABCDE"
    assert inventory.cpu == "Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz"
    assert inventory.ram_bytes == 16 * 1024**3
    assert [s.name for s in inventory.storage] == ["nvme0n1", "sda"]
    identity = inventory.identity()
    assert identity.family is DeviceFamily.LAPTOP
    assert identity.hardware_id == "4c1a8f2e-2d3b-11b2-a85c-8c3e2a1b4d5f"


def test_without_root_serial_is_unknown_with_the_reason(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path, no_root=True)
    inventory = _reader(laptop).read()
    assert (inventory.make, inventory.model) == ("LENOVO", "ThinkPad T480s")  # sysfs, readable by anyone
    assert inventory.serial is None
    why = inventory.why_unknown("serial") or ""
    assert "dmidecode needs root" in why
    assert inventory.ram_bytes == 16216440 * 1024  # MemTotal, flagged as not the installed amount
    assert inventory.why_unknown("ram_installed")
    with pytest.raises(LaptopError, match="serial"):
        inventory.identity()


def test_oem_placeholders_are_unknown(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path, dmidecode="dmidecode_oem.txt", missing_tools=["lshw"])
    for name in ("sys_vendor", "product_name", "product_version", "product_serial"):
        (laptop.view.sys_root / "class" / "dmi" / "id" / name).write_text("To Be Filled By O.E.M.\n")
    inventory = _reader(laptop).read()
    assert (inventory.make, inventory.model, inventory.serial) == (None, None, None)
    assert "lshw is not installed" in (inventory.why_unknown("make") or "")


def test_lshw_alone(tmp_path: Path) -> None:
    runner = CapturedRunner()
    runner.add("lshw -json -quiet", sample("lshw.json"))
    inventory = InventoryReader(runner, dmi_root=tmp_path, proc_root=tmp_path).read()
    assert (inventory.make, inventory.model, inventory.serial) == ("LENOVO", "ThinkPad T480s", "PF1ABCDE")
    assert inventory.ram_bytes == 17179869184
    assert inventory.sources == ("lshw", "sysfs")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  LENOVO ", "LENOVO"), ("Default string", None), ("0000000000", None), ("System Serial Number", None),
     ("FFFFFFFF", None), ("PF1 ABCDE", "PF1 ABCDE"), (None, None)],
    ids=["trimmed", "default-string", "zeros", "placeholder", "all-f", "kept", "none"],
)  # fmt: skip
def test_clean(raw: str | None, expected: str | None) -> None:
    assert clean(raw) == expected


@given(st.text(max_size=500))
def test_dmidecode_parser_never_crashes(text: str) -> None:
    for title, fields in parse_dmidecode(text):
        assert isinstance(title, str)
        assert isinstance(fields, dict)

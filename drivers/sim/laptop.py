"""A simulated laptop: a sysfs / procfs tree and the answers its tools give, for the tests and ``--simulate``.

The tree has what the laptop drivers read on a real machine (``/sys/class/power_supply/BAT*``, ``/sys/block``,
``/sys/dev/block``, ``/sys/class/dmi/id``, ``/proc/mounts``, ``/proc/swaps``, ``/proc/cpuinfo``, ``/proc/meminfo``)
and a :class:`~drivers.laptop.runner.CapturedRunner` that answers ``lsblk`` (generated from the same disks, so the
two always agree), ``smartctl``, ``dmidecode``, ``lshw``, ``nvme`` and ``hdparm`` with the outputs in
``drivers/laptop/samples/``. Each disk has a small sparse image file, the target a simulated erasure writes to.
Faults: ``no_root`` (dmidecode / smartctl refuse), ``missing_tools``, a disk's smartctl sample.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from drivers.erase.safety import SystemView
from drivers.laptop.runner import CapturedRunner, CommandResult

SAMPLES = Path(__file__).resolve().parents[1] / "laptop" / "samples"
IMAGE_BYTES = 16 * 1024 * 1024


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


@dataclasses.dataclass
class SimBattery:
    name: str = "BAT0"
    unit: str = "energy"  # "energy" (uWh) or "charge" (uAh)
    design: int = 57_020_000
    full: int = 45_870_000
    now: int = 41_000_000
    cycle_count: int = 312
    manufacturer: str = "SMP"
    model_name: str = "01AV478"
    serial_number: str = "4532"
    present: str = "1"
    scope: str | None = None  # "Device" for a mouse's battery


@dataclasses.dataclass
class SimPartition:
    name: str
    size: int
    mountpoint: str | None = None
    swap: bool = False
    holders: tuple[str, ...] = ()


@dataclasses.dataclass
class SimDisk:
    name: str
    size: int
    model: str
    serial: str
    transport: str  # "nvme", "sata", "usb"
    smartctl: str | None = "smartctl_nvme.json"  # sample file, None: smartctl cannot read it
    rotational: bool = False
    removable: bool = False
    read_only: bool = False
    partitions: tuple[SimPartition, ...] = ()
    major: int = 259
    minor: int = 0
    hdparm_identify: str | None = None
    nvme_id_ctrl: str | None = None


def thinkpad_disks() -> list[SimDisk]:
    """A ThinkPad booted from the station's USB stick: internal NVMe (not mounted) + the live stick (mounted)."""
    return [
        SimDisk(
            "nvme0n1",
            512_110_190_592,
            "SAMSUNG MZVLB512HBJQ-000L7",
            "S4ENNX0N123456",
            "nvme",
            smartctl="smartctl_nvme.json",
            partitions=(SimPartition("nvme0n1p1", 272_629_760), SimPartition("nvme0n1p2", 511_835_193_344)),
            nvme_id_ctrl="nvme_id_ctrl.json",
        ),
        SimDisk(
            "sda",
            15_376_318_464,
            "Ultra Fit",
            "4C530001230812104413",
            "usb",
            smartctl="smartctl_usb_unknown_bridge.json",
            removable=True,
            partitions=(SimPartition("sda1", 15_375_269_888, "/run/live/medium"),),
            major=8,
            minor=0,
        ),
    ]


class SimLaptop:
    """Builds the tree under ``root``; ``view`` and ``runner`` are what the drivers are given."""

    def __init__(
        self,
        root: Path,
        *,
        batteries: Sequence[SimBattery] = (SimBattery(),),
        disks: Sequence[SimDisk] | None = None,
        dmidecode: str = "dmidecode.txt",
        lshw: str = "lshw.json",
        no_root: bool = False,
        missing_tools: Sequence[str] = (),
        booted_from: tuple[str, int] | None = ("sda1", 0),
    ) -> None:
        self.root = root
        self.batteries = list(batteries)
        self.disks = list(disks) if disks is not None else thinkpad_disks()
        self.dmidecode = dmidecode
        self.lshw = lshw
        self.no_root = no_root
        self.missing_tools = set(missing_tools)
        self.booted_from = booted_from
        self.view = SystemView(sys_root=root / "sys", proc_root=root / "proc", dev_root=root / "dev")
        self.runner = CapturedRunner()
        self.build()

    # --- the tree ---------------------------------------------------------------------------------------------

    def _write(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + ("\n" if not text.endswith("\n") else ""), encoding="utf-8")

    def build(self) -> None:
        sys_root, proc = self.view.sys_root, self.view.proc_root
        for battery in self.batteries:
            base = sys_root / "class" / "power_supply" / battery.name
            prefix = battery.unit
            values = {
                "type": "Battery",
                "present": battery.present,
                "status": "Discharging",
                "technology": "Li-poly",
                "manufacturer": battery.manufacturer,
                "model_name": battery.model_name,
                "serial_number": battery.serial_number,
                "capacity": str(round(100 * battery.now / battery.full)) if battery.full else "0",
                "cycle_count": str(battery.cycle_count),
                f"{prefix}_full_design": str(battery.design),
                f"{prefix}_full": str(battery.full),
                f"{prefix}_now": str(battery.now),
            }
            if battery.scope:
                values["scope"] = battery.scope
            for key, value in values.items():
                self._write(base / key, value)
        self._write(sys_root / "class" / "power_supply" / "AC" / "type", "Mains")
        mounts = ["sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0", "proc /proc proc rw,relatime 0 0"]
        swaps = ["Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority"]
        for disk in self.disks:
            base = sys_root / "block" / disk.name
            self._write(base / "dev", f"{disk.major}:{disk.minor}")
            self._write(base / "size", str(disk.size // 512))
            self._write(base / "ro", "1" if disk.read_only else "0")
            self._write(base / "removable", "1" if disk.removable else "0")
            self._write(base / "queue" / "rotational", "1" if disk.rotational else "0")
            self._write(base / "device" / "model", disk.model)
            (base / "holders").mkdir(parents=True, exist_ok=True)
            self._link_devnum(disk.major, disk.minor, base)
            for number, part in enumerate(disk.partitions, start=1):
                pbase = base / part.name
                self._write(pbase / "partition", str(number))
                self._write(pbase / "dev", f"{disk.major}:{disk.minor + number}")
                self._write(pbase / "size", str(part.size // 512))
                (pbase / "holders").mkdir(parents=True, exist_ok=True)
                for holder in part.holders:
                    (pbase / "holders" / holder).mkdir(parents=True, exist_ok=True)
                self._link_devnum(disk.major, disk.minor + number, pbase)
                if part.mountpoint:
                    mounts.append(f"/dev/{part.name} {part.mountpoint.replace(' ', chr(92) + '040')} ext4 rw 0 0")
                if part.swap:
                    swaps.append(f"/dev/{part.name}\t\t\t\tpartition\t{part.size // 1024}\t0\t\t-2")
            image = self.image(disk.name)
            image.parent.mkdir(parents=True, exist_ok=True)
            with image.open("wb") as handle:
                handle.truncate(IMAGE_BYTES)
        self._write(proc / "mounts", "\n".join(mounts))
        self._write(proc / "swaps", "\n".join(swaps))
        self._write(proc / "cpuinfo", "processor\t: 0\nmodel name\t: Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz\n")
        self._write(proc / "meminfo", "MemTotal:       16216440 kB\nMemFree:         9823312 kB\n")
        dmi = sys_root / "class" / "dmi" / "id"
        for key, value in (
            ("sys_vendor", "LENOVO"),
            ("product_name", "20L7S02M00"),
            ("product_version", "ThinkPad T480s"),
        ):
            self._write(dmi / key, value)
        if not self.no_root:
            self._write(dmi / "product_serial", "PF1ABCDE")
        self._answer_tools()

    def _link_devnum(self, major: int, minor: int, target: Path) -> None:
        link = self.view.sys_root / "dev" / "block" / f"{major}:{minor}"
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(os.path.relpath(target, link.parent))

    def map_device_number(self, st_dev: int, kernel_name: str) -> None:
        """Make a real device number (e.g. of the directory the tests run in) point at a simulated disk."""
        for disk in self.disks:
            base = self.view.sys_root / "block" / disk.name
            target = base if disk.name == kernel_name else base / kernel_name
            if target.exists():
                link = self.view.sys_root / "dev" / "block" / f"{os.major(st_dev)}:{os.minor(st_dev)}"
                if link.is_symlink() or link.exists():
                    link.unlink()
                link.symlink_to(os.path.relpath(target, link.parent))
                return
        raise KeyError(kernel_name)

    def image(self, name: str) -> Path:
        """The file a simulated erasure of disk ``name`` writes to."""
        return self.root / "images" / f"{name}.img"

    # --- the tools ---------------------------------------------------------------------------------------------

    def lsblk_json(self) -> str:
        devices: list[dict[str, Any]] = []
        for disk in self.disks:
            node: dict[str, Any] = {
                "name": disk.name,
                "path": f"/dev/{disk.name}",
                "type": "disk",
                "size": disk.size,
                "model": disk.model,
                "serial": disk.serial,
                "tran": disk.transport,
                "rota": disk.rotational,
                "rm": disk.removable,
                "ro": disk.read_only,
                "mountpoints": [None],
                "pkname": None,
            }
            children = []
            for part in disk.partitions:
                mount = "[SWAP]" if part.swap else part.mountpoint
                children.append(
                    {
                        "name": part.name,
                        "path": f"/dev/{part.name}",
                        "type": "part",
                        "size": part.size,
                        "model": None,
                        "serial": None,
                        "tran": disk.transport,
                        "rota": disk.rotational,
                        "rm": disk.removable,
                        "ro": disk.read_only,
                        "mountpoints": [mount],
                        "pkname": disk.name,
                    }
                )
            if children:
                node["children"] = children
            devices.append(node)
        return json.dumps({"blockdevices": devices}, indent=3)

    def _answer_tools(self) -> None:
        runner = CapturedRunner()
        tools: dict[str, CommandResult] = {}

        def add(command: str, stdout: str, returncode: int = 0, stderr: str = "") -> None:
            if command.split()[0] not in self.missing_tools:
                tools[command] = CommandResult(tuple(command.split()), returncode, stdout, stderr)

        from drivers.laptop.disks import LSBLK_COLUMNS

        add(f"lsblk -J -b -o {LSBLK_COLUMNS}", self.lsblk_json())
        add("lsblk -J -o NAME,TYPE,MOUNTPOINTS", self.lsblk_json())
        denied = "Smartctl open device: /dev/{} failed: Permission denied"
        for disk in self.disks:
            path = f"/dev/{disk.name}"
            if self.no_root:
                add(f"smartctl -j -a {path}", "", 2, denied.format(disk.name))
            elif disk.smartctl:
                add(f"smartctl -j -a {path}", sample(disk.smartctl))
            if disk.nvme_id_ctrl:
                controller = path.rsplit("n", 1)[0] if disk.name.count("n") > 1 else path
                add(f"nvme id-ctrl {controller} -o json", sample(disk.nvme_id_ctrl))
            if disk.nvme_id_ctrl:  # the drive accepts every purge and finishes at once
                for action in ("--sanact=4", "--sanact=2", "--sanact=3"):
                    add(f"nvme sanitize {controller} {action}", "")
                add(f"nvme sanitize-log {controller} -o json", sample("nvme_sanitize_log_done.json"))
                for ses in ("1", "2"):
                    add(f"nvme format {path} --ses={ses} --force", "Success formatting namespace:1")
            if disk.hdparm_identify:
                add(f"hdparm -I {path}", sample(disk.hdparm_identify))
                add(f"hdparm --sanitize-status {path}", sample("hdparm_sanitize_status_done.txt"))
                for flag in ("--sanitize-crypto-scramble", "--sanitize-block-erase"):
                    add(f"hdparm --yes-i-know-what-i-am-doing {flag} {path}", "")
                for flag in ("--security-set-pass", "--security-erase", "--security-erase-enhanced"):
                    add(f"hdparm --user-master u {flag} refurb {path}", "")
                add(f"hdparm -N {path}", sample("hdparm_N.txt"))
                add(f"hdparm --dco-identify {path}", sample("hdparm_dco.txt"))
        dmi = "dmidecode -t system -t processor -t memory"
        if self.no_root:
            add(dmi, "", 1, sample("dmidecode_noroot.stderr"))
            add("lshw -json -quiet", "", 1, "WARNING: you should run this program as super-user.")
        else:
            add(dmi, sample(self.dmidecode))
            add("lshw -json -quiet", sample(self.lshw))
        runner.answers.update(tools)
        self.runner = runner

"""Refusals that keep the agent from erasing what it runs on: the boot disk, a mounted filesystem, swap, a disk
held by LVM / RAID / dm-crypt, a read-only disk, or a partition instead of a whole disk.

Everything is read from ``/proc/mounts``, ``/proc/swaps`` and ``/sys/block`` under roots given as parameters (tests
use a simulated tree), plus ``lsblk`` through the injectable runner when one is given. When in doubt, refuse.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import stat
import sys
from pathlib import Path

from drivers.erase.errors import Refused
from drivers.laptop.disks import parse_lsblk
from drivers.laptop.errors import LaptopError
from drivers.laptop.runner import CommandRunner

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class SystemView:
    """Where the kernel's view of the machine is read from (the real roots, or a simulated tree)."""

    sys_root: Path = Path("/sys")
    proc_root: Path = Path("/proc")
    dev_root: Path = Path("/dev")


@dataclasses.dataclass(frozen=True, slots=True)
class SafetyVerdict:
    target: str
    disk: str | None  # kernel name of the whole disk, None for an image file
    reasons: tuple[str, ...]  # why it is refused; empty when it may be erased

    @property
    def allowed(self) -> bool:
        return not self.reasons


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _unescape(field: str) -> str:
    """/proc/mounts escapes spaces, tabs, newlines and backslashes as octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


class _Kernel:
    def __init__(self, view: SystemView) -> None:
        self.view = view
        self.block = view.sys_root / "block"

    def disks(self) -> list[str]:
        try:
            return sorted(entry.name for entry in self.block.iterdir())
        except OSError:
            return []

    def disk_of(self, name: str) -> str | None:
        """The whole disk a kernel block name belongs to (itself for a disk)."""
        for disk in self.disks():
            if name == disk or (self.block / disk / name / "partition").exists():
                return disk
        return None

    def partitions(self, disk: str) -> list[str]:
        try:
            return sorted(e.name for e in (self.block / disk).iterdir() if (e / "partition").exists())
        except OSError:
            return []

    def underlying_disks(self, name: str, seen: frozenset[str] = frozenset()) -> set[str]:
        """Whole disks under a block device: itself, a partition's disk, or the slaves of a dm / md device."""
        if name in seen:
            return set()
        disk = self.disk_of(name)
        if disk is None:
            return set()
        slaves_dir = self.block / disk / "slaves"
        try:
            slaves = [entry.name for entry in slaves_dir.iterdir()]
        except OSError:
            slaves = []
        if not slaves:
            return {disk}
        found: set[str] = set()
        for slave in slaves:
            found |= self.underlying_disks(slave, seen | {name})
        return found

    def holders(self, name: str) -> list[str]:
        disk = self.disk_of(name)
        base = self.block / disk if disk == name else self.block / (disk or "") / name
        try:
            return sorted(entry.name for entry in (base / "holders").iterdir())
        except OSError:
            return []

    def name_of_source(self, source: str) -> str | None:
        """A mount source such as /dev/sda2, /dev/mapper/vg-root or /dev/disk/by-uuid/... to a kernel name."""
        if not source.startswith("/dev/"):
            return None
        relative = source.removeprefix("/dev/")
        if relative.startswith("mapper/"):
            wanted = relative.removeprefix("mapper/")
            for disk in self.disks():
                if _read(self.block / disk / "dm" / "name") == wanted:
                    return disk
            return None
        if "/" in relative:  # /dev/disk/by-uuid/..., /dev/vg/lv: symlinks to the kernel node
            return Path(os.path.realpath(self.view.dev_root / relative)).name
        return relative

    def name_of_devnum(self, device: int) -> str | None:
        link = self.view.sys_root / "dev" / "block" / f"{os.major(device)}:{os.minor(device)}"
        if not link.exists():
            return None
        return Path(os.path.realpath(link)).name


def _mounts(view: SystemView) -> list[tuple[str, str]]:
    text = _read(view.proc_root / "mounts") or ""
    entries = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2:
            entries.append((_unescape(fields[0]), _unescape(fields[1])))
    return entries


def _swaps(view: SystemView) -> list[str]:
    lines = (_read(view.proc_root / "swaps") or "").splitlines()[1:]
    return [line.split()[0] for line in lines if line.split()]


def _kernel_name(target: Path, view: SystemView) -> str | None:
    """The kernel name of a device-node target, or None for an image file."""
    text = str(target)
    if text.startswith(("/dev/", str(view.dev_root) + "/")):
        return Path(os.path.realpath(target)).name if target.is_symlink() else target.name
    try:
        mode = target.stat().st_mode
    except OSError:
        return None
    if stat.S_ISBLK(mode):
        return Path(os.path.realpath(target)).name
    return None


def boot_paths() -> tuple[Path, ...]:
    """What the agent runs from: the root filesystem, the Python interpreter and this package."""
    return (Path("/"), Path(sys.executable), Path(__file__))


def check_target(
    target: Path,
    *,
    view: SystemView | None = None,
    runner: CommandRunner | None = None,
    running_from: tuple[Path, ...] | None = None,
) -> SafetyVerdict:
    """Decide whether ``target`` (a device node or an image file) may be erased, with every reason it may not."""
    view = view or SystemView()
    kernel = _Kernel(view)
    name = _kernel_name(target, view)
    reasons: list[str] = []
    if name is None:
        return _check_image(target, view, kernel)
    disk = kernel.disk_of(name)
    if disk is None:
        return SafetyVerdict(str(target), None, (f"{name} is not a block device this system knows",))
    if disk != name:
        reasons.append(f"{name} is a partition: erase the whole disk {disk}, not a part of it")
    if _read(view.sys_root / "block" / disk / "ro") == "1":
        reasons.append(f"{disk} is read-only")

    members = {disk, *kernel.partitions(disk)}
    for source, mountpoint in _mounts(view):
        mounted = kernel.name_of_source(source)
        if mounted is not None and disk in kernel.underlying_disks(mounted):
            reasons.append(f"{source} on {disk} is mounted at {mountpoint}")
    for swap in _swaps(view):
        swapped = kernel.name_of_source(swap)
        if swapped is not None and disk in kernel.underlying_disks(swapped):
            reasons.append(f"{swap} on {disk} is in use as swap")
    for member in sorted(members):
        for holder in kernel.holders(member):
            reasons.append(f"{member} is in use by {holder} (LVM, RAID or encryption): stop it first")
    for path in running_from if running_from is not None else boot_paths():
        try:
            device = path.stat().st_dev
        except OSError:
            continue
        booted = kernel.name_of_devnum(device)
        if booted is not None and disk in kernel.underlying_disks(booted):
            reasons.append(f"{disk} holds {path}, which the agent is running from")
    if runner is not None:
        reasons.extend(_lsblk_reasons(runner, disk))
    return SafetyVerdict(str(target), disk, tuple(dict.fromkeys(reasons)))


def _lsblk_reasons(runner: CommandRunner, disk: str) -> list[str]:
    try:
        result = runner.run(["lsblk", "-J", "-o", "NAME,TYPE,MOUNTPOINTS"])
        tree = parse_lsblk(result.stdout)
    except LaptopError as exc:
        log.info("lsblk unavailable for the safety check: %s", exc)
        return []
    reasons = []
    for device in tree:
        if device.name != disk:
            continue
        for node in device.walk():
            for mount in node.mountpoints:
                what = "in use as swap" if mount == "[SWAP]" else f"mounted at {mount}"
                reasons.append(f"/dev/{node.name} on {disk} is {what}")
    return reasons


def _check_image(target: Path, view: SystemView, kernel: _Kernel) -> SafetyVerdict:
    reasons = []
    try:
        info = target.stat()
    except OSError as exc:
        return SafetyVerdict(str(target), None, (f"{target} cannot be read: {exc.strerror}",))
    if not stat.S_ISREG(info.st_mode):
        reasons.append(f"{target} is neither a disk nor an image file")
    resolved = os.path.realpath(target)
    for loop in kernel.disks():
        if _read(view.sys_root / "block" / loop / "loop" / "backing_file") == resolved:
            for source, mountpoint in _mounts(view):
                if kernel.name_of_source(source) in {loop, *kernel.partitions(loop)}:
                    reasons.append(f"{target} backs {loop}, which is mounted at {mountpoint}")
    return SafetyVerdict(str(target), None, tuple(reasons))


def ensure_safe(
    target: Path,
    *,
    view: SystemView | None = None,
    runner: CommandRunner | None = None,
    running_from: tuple[Path, ...] | None = None,
) -> SafetyVerdict:
    """:func:`check_target`, raising :class:`Refused` with every reason when the target must not be erased."""
    verdict = check_target(target, view=view, runner=runner, running_from=running_from)
    if not verdict.allowed:
        raise Refused(f"refusing to erase {target}: " + "; ".join(verdict.reasons), device=str(target))
    return verdict

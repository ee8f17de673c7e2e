"""The refusals, on simulated sysfs / procfs trees: boot disk, mounted, swap, held, read-only, partitions."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.erase.errors import Refused
from drivers.erase.safety import check_target, ensure_safe
from drivers.sim.laptop import SimDisk, SimLaptop, SimPartition, thinkpad_disks


def _nvme(**partition_kwargs: object) -> SimDisk:
    disk = thinkpad_disks()[0]
    disk.partitions = (SimPartition("nvme0n1p1", 272_629_760), SimPartition("nvme0n1p2", 10**9, **partition_kwargs))  # type: ignore[arg-type]
    return disk


def test_the_internal_disk_of_a_laptop_booted_from_usb_may_be_erased(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path)
    verdict = check_target(Path("/dev/nvme0n1"), view=laptop.view, runner=laptop.runner, running_from=())
    assert verdict.allowed, verdict.reasons
    assert verdict.disk == "nvme0n1"


@pytest.mark.parametrize(
    ("disks", "target", "reason"),
    [
        (None, "/dev/sda", "/dev/sda1 on sda is mounted at /run/live/medium"),
        (None, "/dev/nvme0n1p2", "nvme0n1p2 is a partition: erase the whole disk nvme0n1"),
        ([_nvme(mountpoint="/home/tech/my files")], "/dev/nvme0n1", "mounted at /home/tech/my files"),
        ([_nvme(swap=True)], "/dev/nvme0n1", "/dev/nvme0n1p2 on nvme0n1 is in use as swap"),
        ([_nvme(holders=("dm-0",))], "/dev/nvme0n1", "nvme0n1p2 is in use by dm-0"),
        (None, "/dev/sdz", "sdz is not a block device this system knows"),
    ],
    ids=["mounted-live-stick", "partition", "mounted-with-space", "swap", "held-by-dm", "unknown"],
)
def test_refusals(tmp_path: Path, disks: list[SimDisk] | None, target: str, reason: str) -> None:
    laptop = SimLaptop(tmp_path, disks=disks)
    verdict = check_target(Path(target), view=laptop.view, running_from=())
    assert not verdict.allowed
    assert any(reason in r for r in verdict.reasons), verdict.reasons


def test_read_only_disk(tmp_path: Path) -> None:
    disk = _nvme()
    disk.read_only = True
    laptop = SimLaptop(tmp_path, disks=[disk])
    assert "nvme0n1 is read-only" in check_target(Path("/dev/nvme0n1"), view=laptop.view, running_from=()).reasons


def test_the_disk_the_agent_runs_from(tmp_path: Path) -> None:
    """The device number of the directory this test runs in is made to point at nvme0n1p2."""
    laptop = SimLaptop(tmp_path)
    laptop.map_device_number(tmp_path.stat().st_dev, "nvme0n1p2")
    verdict = check_target(Path("/dev/nvme0n1"), view=laptop.view, running_from=(tmp_path,))
    assert verdict.reasons == (f"nvme0n1 holds {tmp_path}, which the agent is running from",)


def test_root_on_lvm_through_device_mapper(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path)
    dm = laptop.view.sys_root / "block" / "dm-0"
    (dm / "dm").mkdir(parents=True)
    (dm / "dm" / "name").write_text("vg-root\n")
    (dm / "slaves" / "nvme0n1p2").mkdir(parents=True)
    mounts = laptop.view.proc_root / "mounts"
    mounts.write_text(mounts.read_text() + "/dev/mapper/vg-root / ext4 rw,relatime 0 0\n")
    verdict = check_target(Path("/dev/nvme0n1"), view=laptop.view, running_from=())
    assert verdict.reasons == ("/dev/mapper/vg-root on nvme0n1 is mounted at /",)


def test_lsblk_sees_what_proc_mounts_hides(tmp_path: Path) -> None:
    """/proc/mounts may name the root device /dev/root; lsblk still knows which partition it is."""
    laptop = SimLaptop(tmp_path, disks=[_nvme(mountpoint="/")])
    mounts = laptop.view.proc_root / "mounts"
    mounts.write_text(mounts.read_text().replace("/dev/nvme0n1p2 /", "/dev/root /"))
    without = check_target(Path("/dev/nvme0n1"), view=laptop.view, running_from=())
    assert without.allowed  # the sysfs view alone misses it...
    verdict = check_target(Path("/dev/nvme0n1"), view=laptop.view, runner=laptop.runner, running_from=())
    assert verdict.reasons == ("/dev/nvme0n1p2 on nvme0n1 is mounted at /",)  # ...lsblk does not


def test_image_files(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path)
    image = laptop.image("nvme0n1")
    assert check_target(image, view=laptop.view).allowed
    loop = laptop.view.sys_root / "block" / "loop0"
    (loop / "loop").mkdir(parents=True)
    (loop / "loop" / "backing_file").write_text(f"{image}\n")
    mounts = laptop.view.proc_root / "mounts"
    mounts.write_text(mounts.read_text() + "/dev/loop0 /mnt/image ext4 rw 0 0\n")
    assert check_target(image, view=laptop.view).reasons == (f"{image} backs loop0, which is mounted at /mnt/image",)
    assert not check_target(tmp_path / "absent.img", view=laptop.view).allowed


def test_ensure_safe_gives_every_reason(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path)
    with pytest.raises(Refused, match=r"refusing to erase /dev/sda: .*mounted at /run/live/medium"):
        ensure_safe(Path("/dev/sda"), view=laptop.view, runner=laptop.runner, running_from=())
    assert ensure_safe(Path("/dev/nvme0n1"), view=laptop.view, running_from=()).allowed

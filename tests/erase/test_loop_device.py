"""A real block device: a loop device over a file, wiped by the same command a technician runs, then read back.

Needs root and loop devices (CI runs as root); elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main

SIZE = 16 * 1024 * 1024


@pytest.fixture
def loop_device(tmp_path: Path) -> Iterator[str]:
    if os.geteuid() != 0 or shutil.which("losetup") is None:
        pytest.skip("loop devices need root and losetup")
    backing = tmp_path / "disk.img"
    with backing.open("wb") as handle:
        handle.truncate(SIZE)
    attached = subprocess.run(["losetup", "-f", "--show", str(backing)], capture_output=True, text=True, check=False)
    if attached.returncode != 0:
        pytest.skip(f"no loop device here: {attached.stderr.strip()}")
    device = attached.stdout.strip()
    try:
        yield device
    finally:
        subprocess.run(["losetup", "-d", device], check=False)


def test_a_loop_device_is_overwritten_and_every_byte_verified(
    loop_device: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = os.urandom(SIZE)
    with open(loop_device, "r+b") as handle:
        handle.write(secret)
        handle.flush()
        os.fsync(handle.fileno())
    status = main(["erase", loop_device, "--verify", "all", "--yes", "--output", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "verified    all passes: passed" in out
    assert f"erased      {SIZE:,} bytes; errors pass 0, sync 0, verify 0" in out
    with open(loop_device, "rb") as handle:
        assert handle.read() == bytes(SIZE)

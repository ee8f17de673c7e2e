"""`refurb-station sim serve` starts every simulated bench asked for and prints the environment that reaches it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from app.cli import _parser
from app.commands import sim as sim_commands
from drivers.android import AndroidBench
from drivers.ios.driver import IosBench


def _parse(*argv: str) -> argparse.Namespace:
    return _parser().parse_args(list(argv))


def test_iphones_and_androids_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, list[str]] = {}

    def use_it(environment: dict[str, str]) -> None:
        bench = AndroidBench(port=int(environment["ANDROID_ADB_SERVER_PORT"]))
        seen["android"] = [device.serial for device in bench.devices()]
        monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", environment["USBMUXD_SOCKET_ADDRESS"])
        with IosBench(tmp_path / "pairs") as ios:
            seen["ios"] = [device.udid for device in ios.devices()]

    assert sim_commands.serve(_parse("sim", "serve", "--iphones", "2", "--androids", "3"), use_it) == 0
    out = capsys.readouterr().out
    assert "export ANDROID_ADB_SERVER_PORT=" in out
    assert "export USBMUXD_SOCKET_ADDRESS=" in out
    assert len(seen["android"]) == 3
    assert len(seen["ios"]) == 2
    assert all(serial in out for serial in seen["android"] + seen["ios"])
    assert "Samsung modem port /dev/pts/" in out

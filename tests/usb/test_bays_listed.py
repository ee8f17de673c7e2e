"""``bays show`` asks usbmuxd and adb what they list: the real pyusb on the simulated USB tree, the real pymobiledevice3
against the iOS simulator and the real adbutils against the adb server simulator, serving the same phones."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import EXIT_OK
from app.commands import bays
from drivers.sim import usb as sim
from drivers.sim.android import AdbServerSim, unused_port
from drivers.sim.android_phone import SimPhone
from drivers.sim.ios import IosSimulator, SimIphone

UDID = "00008030-001A2D3E0C38802E"
PIXEL = "2A211FDH200ABC"
SAMSUNG = "R58M123ABCD"


@dataclasses.dataclass
class BenchStation:
    data_dir: Path


@pytest.fixture
def station(tmp_path: Path) -> BenchStation:
    return BenchStation(tmp_path / "data")


@pytest.fixture(autouse=True)
def _adb_tripwire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The station never starts an adb server: a fake adb binary records any attempt, which fails the test."""
    marker = tmp_path / "adb-was-run.txt"
    script = tmp_path / "adb-tripwire"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{marker}"\nexit 1\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("ADBUTILS_ADB_PATH", str(script))
    monkeypatch.setenv("ANDROID_ADB_SERVER_HOST", "127.0.0.1")
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(unused_port()))
    yield
    assert not marker.exists(), f"a test ran adb: {marker.read_text(encoding='utf-8')!r}"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="refurb-station")
    bays.add_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(list(argv))


def show_json(station: Any, backend: sim.SimUsbBackend | None = None, *argv: str) -> dict[str, Any]:
    lines: list[str] = []
    factory = None if backend is None else (lambda _args: backend)
    status = bays.cmd_bays_show(station, parse("bays", "show", "--json", *argv), backend_factory=factory,
                                out=lines.append)  # fmt: skip
    assert status == EXIT_OK
    data: dict[str, Any] = json.loads("\n".join(lines))
    return data


def show_text(station: Any, backend: sim.SimUsbBackend | None = None, *argv: str) -> str:
    lines: list[str] = []
    factory = None if backend is None else (lambda _args: backend)
    status = bays.cmd_bays_show(station, parse("bays", "show", *argv), backend_factory=factory, out=lines.append)
    assert status == EXIT_OK
    return "\n".join(lines)


def by_port(data: dict[str, Any]) -> dict[str, Any]:
    return {row["port"]: row["device"] for row in data["placements"]}


@contextlib.contextmanager
def daemons(
    monkeypatch: pytest.MonkeyPatch, iphones: list[SimIphone], phones: list[SimPhone]
) -> Iterator[tuple[IosSimulator, AdbServerSim]]:
    """Both simulators running, and the environment pointing the drivers at them (as `sim serve` tells a person)."""
    with IosSimulator(iphones) as ios, AdbServerSim(phones) as adb:
        monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", ios.address)
        monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb.port))
        yield ios, adb


def usb_with(device: sim.SimDevice) -> sim.SimUsbBackend:
    backend = sim.SimUsbBackend()
    backend.attach(sim.hub(4), "1-1")
    backend.attach(device, "1-1.1")
    return backend


@dataclasses.dataclass(frozen=True)
class Case:
    on_usb: sim.SimDevice
    iphones: tuple[str, ...]  # UDIDs the iOS simulator serves
    phones: tuple[tuple[str, str], ...]  # (serial, adb state) the adb simulator serves
    listed_by: str | None
    silent: str | None  # a phrase of the silent reason; None: no silent reason
    driver_state: str | None = None


CASES = {
    "iphone-listed-by-usbmux": Case(sim.iphone(UDID), (UDID,), (), "ios", None),
    "iphone-usbmux-does-not-list": Case(sim.iphone(UDID), (), (), None, "usbmux does not list it"),
    "pixel-listed-by-adb": Case(sim.pixel(PIXEL), (), ((PIXEL, "device"),), "android", None),
    "pixel-debugging-off": Case(sim.pixel(PIXEL, debugging=False), (), (), None, "enable USB debugging"),
    "pixel-prompt-waiting": Case(sim.pixel(PIXEL), (), ((PIXEL, "unauthorized"),), "android", None, "unauthorized"),
    "samsung-debugging-off-modem": Case(sim.samsung(SAMSUNG, debugging=False), (), (), None, "enable USB debugging"),
    "iphone-recovery": Case(sim.iphone_recovery(), (UDID,), (), None, "recovery mode"),
    "other-phones-listed-not-this-one": Case(
        sim.pixel(PIXEL), (UDID,), (("OTHER0001", "device"),), None, "adb does not list it"
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_device_is_one_entry_with_its_reason(
    case: Case, station: BenchStation, monkeypatch: pytest.MonkeyPatch
) -> None:
    iphones = [SimIphone.make(i, udid=udid) for i, udid in enumerate(case.iphones)]
    phones = [SimPhone(serial=serial, profile="pixel", state=state) for serial, state in case.phones]
    with daemons(monkeypatch, iphones, phones):
        data = show_json(station, usb_with(case.on_usb))
    device = by_port(data)["1-1.1"]
    assert data["notes"] == []
    assert device["listed_by"] == case.listed_by
    if case.silent is None:
        assert device["silent_reason"] is None
    else:
        assert case.silent in device["silent_reason"]
    if case.driver_state is None:
        assert device["driver_state"] is None
    else:
        assert case.driver_state in device["driver_state"]
    assert len(data["placements"]) == 1  # one physical device, one entry, however many drivers see it


def test_a_missing_adb_server_is_a_note_not_a_crash(station: BenchStation, monkeypatch: pytest.MonkeyPatch) -> None:
    backend = usb_with(sim.pixel(PIXEL))
    backend.attach(sim.iphone(UDID), "1-1.2")
    with IosSimulator([SimIphone.make(0, udid=UDID)]) as ios:
        monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", ios.address)  # ANDROID_ADB_SERVER_PORT: nothing listens there
        data = show_json(station, backend)
        text = show_text(station, backend)
    [note] = data["notes"]
    assert note.startswith("Android: no adb server answers on 127.0.0.1:")
    assert "ANDROID_ADB_SERVER_PORT" in note
    devices = by_port(data)
    assert devices["1-1.2"]["listed_by"] == "ios"  # usbmux still answered
    assert "adb does not list it" in devices["1-1.1"]["silent_reason"]
    assert text.splitlines()[1].startswith("note: Android: no adb server answers")


def test_a_missing_usbmuxd_is_a_note_not_a_crash(
    station: BenchStation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", str(tmp_path / "no-usbmuxd.sock"))
    with AdbServerSim([SimPhone(serial=PIXEL, profile="pixel")]) as adb:
        monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb.port))
        backend = usb_with(sim.iphone(UDID))
        backend.attach(sim.pixel(PIXEL), "1-1.2")
        data = show_json(station, backend)
    [note] = data["notes"]
    assert note.startswith("iOS: listing devices: usbmuxd is not running")
    devices = by_port(data)
    assert "usbmux does not list it" in devices["1-1.1"]["silent_reason"]
    assert devices["1-1.2"]["listed_by"] == "android"
    assert not (tmp_path / "no-usbmuxd.sock").exists()  # never started


class Mute:
    """A daemon that accepts connections and never answers: listing it must end at the timeout."""

    def __init__(self, family: socket.AddressFamily, address: str | tuple[str, int]) -> None:
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.bind(address)
        self.listener.listen(8)
        self.address = self.listener.getsockname()
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                self.accepted.append(self.listener.accept()[0])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self._thread.join(5)
        for connection in self.accepted:
            connection.close()


@pytest.mark.parametrize("which", ["usbmuxd", "adb"])
def test_a_daemon_that_never_answers_is_a_note_after_a_short_timeout(which: str, tmp_path: Path) -> None:
    if which == "usbmuxd":
        mute = Mute(socket.AF_UNIX, str(tmp_path / "mute.sock"))
        options: dict[str, Any] = {"usbmux_address": str(tmp_path / "mute.sock"), "adb_port": unused_port()}
    else:
        mute = Mute(socket.AF_INET, ("127.0.0.1", 0))
        options = {"usbmux_address": str(tmp_path / "none.sock"), "adb_port": mute.address[1]}
    try:
        listing = bays.driver_listing(tmp_path / "pairs", adb_host="127.0.0.1", timeout=0.3, **options)
    finally:
        mute.close()
    assert listing.pairs == frozenset()
    ios_note, android_note = listing.notes
    expected = ios_note if which == "usbmuxd" else android_note
    assert "in time" in expected


def test_a_phone_listed_but_not_on_this_usb_tree_is_shown_elsewhere(
    station: BenchStation, monkeypatch: pytest.MonkeyPatch
) -> None:
    with daemons(monkeypatch, [], [SimPhone(serial="emulator-5554", profile="aosp")]):
        data = show_json(station, usb_with(sim.keyboard_wedge_scanner()))
        text = show_text(station, usb_with(sim.keyboard_wedge_scanner()))
    assert data["elsewhere"] == [{"listed_by": "android", "serial": "emulator-5554", "driver_state": None}]
    assert text.splitlines()[-1] == "elsewhere   android emulator-5554: listed, but not on this USB tree"


def test_simulate_runs_one_consistent_bench(
    station: BenchStation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", str(tmp_path / "no-usbmuxd.sock"))  # --simulate ignores these
    data = show_json(station, None, "--simulate")
    devices = by_port(data)
    assert data["notes"] == []
    assert (devices["1-1.1"]["listed_by"], devices["1-1.1"]["silent_reason"]) == ("ios", None)
    assert (devices["1-1.2"]["listed_by"], devices["1-1.2"]["silent_reason"]) == ("android", None)
    assert devices["1-1.7"]["listed_by"] == "android"
    assert "accept the USB debugging prompt" in devices["1-1.7"]["driver_state"]
    assert "enable USB debugging" in devices["1-1.3"]["silent_reason"]
    assert "recovery mode" in devices["1-1.5"]["silent_reason"]
    assert data["elsewhere"] == []  # every phone a simulated driver lists is on the simulated USB tree


def test_the_linked_bench_serves_the_usb_serials_its_drivers_list() -> None:
    with sim.linked_demo_bench() as bench:
        ios = bays.list_ios(Path(bench.usbmux_address).parent / "pairs", bench.usbmux_address)
        android = [d.serial for d in bays.list_android(bench.adb_host, bench.adb_port)]
        usb = {d.serial for d in (bench.usb.device_at(f"1-1.{n}") for n in range(1, 8)) if d is not None}
    assert ios == [sim.DEMO_IPHONE_UDID]
    assert ios[0].replace("-", "") in usb  # the iPhone's USB serial is its UDID without the dash
    assert sorted(android) == sorted([sim.DEMO_PIXEL_SERIAL, sim.DEMO_PROMPT_SERIAL])
    assert set(android) <= usb
    assert sim.DEMO_SAMSUNG_SERIAL in usb
    assert sim.DEMO_SAMSUNG_SERIAL not in android

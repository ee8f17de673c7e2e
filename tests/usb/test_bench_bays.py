"""The bench's ``bay_of``: a driver key found on the simulated USB tree (real pyusb) and its port in the saved bay map;
and the real coordinator putting that bay on the DeviceSeen of a phone the iOS and Android simulators serve."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bench.bays import UsbBays, bay_label
from app.bench.coordinator import BenchConfig, BenchCoordinator, key_of
from app.bench.events import BenchEvent, DeviceSeen, Platform
from app.bench.records import Records
from app.station import Station, bootstrap
from drivers.sim import usb as sim
from drivers.sim.android import AdbServerSim, unused_port
from drivers.sim.android_phone import SimPhone
from drivers.sim.ios import IosSimulator, SimIphone
from drivers.usb.topology import Bay, BayAddress, BayMap, read_sightings
from tests.audit.bench_flow import make_users

UDID = "00008110-0000000000000001"  # SimIphone.make(0)
PIXEL = "3A100000007"
WAIT = 15.0  # an upper bound so a broken bench fails instead of hanging; never a timing assertion


@pytest.fixture
def tree() -> sim.SimUsbBackend:
    backend = sim.SimUsbBackend()
    backend.attach(sim.hub(4), "1-1")
    backend.attach(sim.iphone(UDID), "1-1.3")
    backend.attach(sim.pixel(PIXEL), "1-1.1")
    backend.attach(sim.pixel("NOT-IN-A-BAY"), "1-2")
    return backend


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    BayMap((Bay(1, BayAddress(1, (1, 1))), Bay(2, BayAddress(1, (1, 3))))).save(tmp_path / "data")
    return tmp_path / "data"


KEYS = {
    "udid-with-dash": (Platform.IOS, UDID, "2"),
    "udid-without-dash": (Platform.IOS, UDID.replace("-", ""), "2"),
    "udid-lower-case": (Platform.IOS, UDID.lower(), "2"),
    "adb-serial": (Platform.ANDROID, PIXEL, "1"),
    "port-in-no-bay": (Platform.ANDROID, "NOT-IN-A-BAY", None),
    "not-on-usb": (Platform.ANDROID, "emulator-5554", None),
    "empty-key": (Platform.ANDROID, "", None),
}


@pytest.mark.parametrize(("platform", "key", "bay"), KEYS.values(), ids=KEYS.keys())
def test_a_device_key_gives_its_bay(
    platform: Platform, key: str, bay: str | None, tree: sim.SimUsbBackend, data_dir: Path
) -> None:
    assert UsbBays(data_dir, lambda: tree)(platform, key) == bay


def test_bay_label_reads_the_map_not_the_order(tree: sim.SimUsbBackend) -> None:
    sightings = read_sightings(tree)
    swapped = BayMap((Bay(7, BayAddress(1, (1, 3))), Bay(9, BayAddress(1, (1, 1)))))
    assert bay_label(swapped, sightings, UDID) == "7"
    assert bay_label(swapped, sightings, PIXEL) == "9"
    assert bay_label(BayMap(), sightings, PIXEL) is None


def test_without_a_map_the_tree_is_not_read(tree: sim.SimUsbBackend, tmp_path: Path) -> None:
    before = tree.enumerations
    assert UsbBays(tmp_path / "nothing-learned", lambda: tree)(Platform.IOS, UDID) is None
    assert tree.enumerations == before


def test_a_map_learned_while_running_is_used_at_once(tree: sim.SimUsbBackend, tmp_path: Path) -> None:
    bays = UsbBays(tmp_path, lambda: tree)
    assert bays(Platform.ANDROID, PIXEL) is None
    BayMap((Bay(4, BayAddress(1, (1, 1))),)).save(tmp_path)
    assert bays(Platform.ANDROID, PIXEL) == "4"


def test_a_device_plugged_later_is_found_on_the_next_read(tree: sim.SimUsbBackend, data_dir: Path) -> None:
    bays = UsbBays(data_dir, lambda: tree)
    assert bays(Platform.ANDROID, "LATE") is None
    tree.attach(sim.pixel("LATE"), "1-1.2")
    BayMap((Bay(1, BayAddress(1, (1, 2))),)).save(data_dir)
    assert bays(Platform.ANDROID, "LATE") == "1"


def test_each_call_is_one_read_of_the_tree(tree: sim.SimUsbBackend, data_dir: Path) -> None:
    bays = UsbBays(data_dir, lambda: tree)
    before = tree.enumerations
    bays(Platform.IOS, UDID)
    bays(Platform.ANDROID, PIXEL)
    assert tree.enumerations - before == 2


def test_no_usb_backend_means_no_bay_and_is_asked_once(data_dir: Path) -> None:
    asked: list[int] = []

    def none() -> None:
        asked.append(1)

    bays = UsbBays(data_dir, none)
    assert bays(Platform.IOS, UDID) is None
    assert bays(Platform.IOS, UDID) is None
    assert asked == [1]


def test_a_damaged_map_means_no_bay(tree: sim.SimUsbBackend, tmp_path: Path) -> None:
    (tmp_path / "bays.json").write_text("{", encoding="utf-8")
    assert UsbBays(tmp_path, lambda: tree)(Platform.IOS, UDID) is None


def test_a_device_whose_serial_cannot_be_read_has_no_bay(tmp_path: Path) -> None:
    tree = sim.SimUsbBackend()
    tree.attach(sim.hub(4), "1-1")
    hidden = sim.SimDevice(0x18D1, 0x4EE2, PIXEL, "Google", "Pixel 7", 0, (sim.ADB,), strings_readable=False)
    tree.attach(hidden, "1-1.1")
    BayMap((Bay(1, BayAddress(1, (1, 1))),)).save(tmp_path)
    assert UsbBays(tmp_path, lambda: tree)(Platform.ANDROID, PIXEL) is None


# --- through the real coordinator ------------------------------------------------------------------------------------


@pytest.fixture
def station(sqlite_url: str) -> Iterator[Station]:
    station = bootstrap(sqlite_url, migrate=False)
    make_users(station.uow)
    yield station
    station.close()


@pytest.fixture(autouse=True)
def _no_adb_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "adb-refused"
    script.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("ADBUTILS_ADB_PATH", str(script))
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(unused_port()))


def test_the_coordinator_places_each_phone_in_its_bay(
    tree: sim.SimUsbBackend, data_dir: Path, station: Station, tmp_path: Path
) -> None:
    events: queue.Queue[BenchEvent] = queue.Queue()
    seen: dict[str, DeviceSeen] = {}
    wanted = {key_of(Platform.IOS, UDID), key_of(Platform.ANDROID, PIXEL), key_of(Platform.ANDROID, "NOT-IN-A-BAY")}
    iphones = [SimIphone.make(0)]
    phones = [SimPhone(serial=PIXEL, profile="pixel"), SimPhone(serial="NOT-IN-A-BAY", profile="pixel")]
    assert iphones[0].udid == UDID
    with IosSimulator(iphones) as ios, AdbServerSim(phones) as adb:
        config = BenchConfig(
            pair_records_dir=tmp_path / "pairs",
            usbmux_address=ios.address,
            adb_host="127.0.0.1",
            adb_port=adb.port,
            step_timeout=3.0,
            bay_of=UsbBays(data_dir, lambda: tree),
        )
        with BenchCoordinator(Records(station.uow, station="bays-test", actor="tech"), events.put, config):
            while set(seen) != wanted:
                event = events.get(timeout=WAIT)
                if isinstance(event, DeviceSeen):
                    seen[event.key] = event
    assert seen[key_of(Platform.IOS, UDID)].bay == "2"
    assert seen[key_of(Platform.ANDROID, PIXEL)].bay == "1"
    assert seen[key_of(Platform.ANDROID, "NOT-IN-A-BAY")].bay is None


def test_a_failing_bay_lookup_does_not_stop_the_bench(station: Station, tmp_path: Path) -> None:
    def broken(_platform: Platform, _key: str) -> str | None:
        raise RuntimeError("the USB stack fell over")

    events: queue.Queue[BenchEvent] = queue.Queue()
    with IosSimulator([SimIphone.make(0)]) as ios:
        config = BenchConfig(pair_records_dir=tmp_path / "pairs", usbmux_address=ios.address, android=False,
                             step_timeout=3.0, bay_of=broken)  # fmt: skip
        with BenchCoordinator(Records(station.uow, station="bays-test", actor="tech"), events.put, config):
            event = events.get(timeout=WAIT)
            while not isinstance(event, DeviceSeen):
                event = events.get(timeout=WAIT)
    assert (event.key, event.bay) == (key_of(Platform.IOS, UDID), None)


def test_the_station_window_wires_the_bays(tmp_path: Path) -> None:
    from app.gui.application import bench_config

    class Here:
        data_dir = tmp_path

    config = bench_config(Here())  # type: ignore[arg-type]
    assert isinstance(config.bay_of, UsbBays)

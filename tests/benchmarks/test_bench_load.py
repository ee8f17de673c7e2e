"""Load figures (run with `make bench`; printed, never asserted against time): the whole station bench stack — the real
drivers, coordinator and supervisors, the real window under offscreen Qt, a real SQLite file — first with 32 devices
attached together, then with 200 devices passing through (attached, inspected, detached; a few bays busy at a time;
iPhones and Android phones in turn). The simulators run in a child process, as a real bench is outside the station.

Measured in this process: resident memory after the first 10 devices and after 200 (the growth per device must stay
near zero once the station is warm), threads (Python's and the kernel's), open file descriptors and sockets, the
window's Qt objects and live Python objects, each before and after, and the longest GUI event-loop stall of each
phase (the probe of :mod:`tests.benchmarks.test_bench_gui`, with the idle window as its peer). A count that grows
with the devices is a leak: the test fails on it, as on any bench pass that did not run to its end.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Self

import sqlalchemy as sa
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.bench.coordinator import BenchCoordinator, key_of
from app.bench.events import Platform
from app.gui.device_tile import DeviceTile
from app.gui.main_window import MainWindow
from tests.benchmarks.figures import Recorder
from tests.benchmarks.test_bench_gui import (
    FINISHED,
    IDLE_SECONDS,
    STALL_TARGET_MS,
    StallProbe,
    _no_real_adb,  # noqa: F401 - the same tripwire and environment as the window figures
    bench_window,
    collector,  # noqa: F401 - garbage collected on the GUI thread, as the station does
)

AT_ONCE = 32
DEVICES = 200
WARM = 10  # devices through the station before its memory counts as warm
BAYS = 4  # devices on the bench at a time while the 200 pass through
WAIT_MS = 60_000  # an upper bound for something that should happen, never a measured figure
SETTLE_SECONDS = 15.0
RSS_PER_DEVICE_TARGET_KIB = 16.0  # ~3 MB over 200 devices: no per-device state kept once a device has left


# the simulated bench, in a child process -------------------------------------------------------------------------


def _serve(pipe: multiprocessing.connection.Connection, iphones: int, androids: int) -> None:
    """usbmuxd and adb server simulators with every device made up front (their keys go to the parent first); then
    plugs and unplugs one device per command, answering nothing: the parent's GUI thread never waits on this
    process."""
    from drivers.sim.android import AdbServerSim, make_phones
    from drivers.sim.ios import IosSimulator, SimIphone

    iphones_made = [SimIphone.make(index) for index in range(iphones)]
    phones_made = make_phones(androids)
    with IosSimulator() as ios, AdbServerSim() as adb:
        keys = {
            Platform.IOS.value: [key_of(Platform.IOS, iphone.udid) for iphone in iphones_made],
            Platform.ANDROID.value: [key_of(Platform.ANDROID, phone.serial) for phone in phones_made],
        }
        pipe.send((ios.address, adb.port, keys))
        while (command := pipe.recv()) != "stop":
            action, platform, index = typing.cast(tuple[str, str, int], command)
            if platform == Platform.IOS.value and action == "plug":
                ios.plug(iphones_made[index])
            elif platform == Platform.IOS.value:
                ios.unplug(iphones_made[index].udid)
            elif action == "plug":
                adb.plug(phones_made[index])
            else:
                adb.unplug(phones_made[index].serial)


class Simulators:
    """The child process serving the simulated bench; ``plug`` and ``unplug`` return the device's bench key at once
    (the child does the work while the station follows)."""

    def __init__(self, iphones: int, androids: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, iphones, androids), daemon=True)
        self.usbmux_address = ""
        self.adb_port = 0
        self._keys: dict[str, list[str]] = {}

    def __enter__(self) -> Self:
        self._process.start()
        self.usbmux_address, self.adb_port, self._keys = self._pipe.recv()
        return self

    def _command(self, action: str, platform: Platform, index: int) -> str:
        self._pipe.send((action, platform.value, index))
        return self._keys[platform.value][index]

    def plug(self, platform: Platform, index: int) -> str:
        return self._command("plug", platform, index)

    def unplug(self, platform: Platform, index: int) -> str:
        return self._command("unplug", platform, index)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._pipe.send("stop")
        self._process.join(10)
        self._pipe.close()


# what the station holds -------------------------------------------------------------------------------------------


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def _sockets(fds: list[str]) -> int:
    count = 0
    for fd in fds:
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:  # closed between the listing and the look
            continue
    return count


@dataclasses.dataclass(frozen=True, slots=True)
class Usage:
    rss_kib: int
    python_threads: int
    tasks: int  # the kernel's threads of this process (Qt's and the libraries' too)
    fds: int
    sockets: int
    qt_objects: int  # QObjects under the window
    tiles: int  # device tiles still alive, shown or not
    python_objects: int

    @classmethod
    def now(cls, window: MainWindow) -> Usage:
        gc.collect()  # what is reachable, not what waits for the collector
        fds = os.listdir("/proc/self/fd")
        return cls(
            rss_kib=_rss_kib(),
            python_threads=threading.active_count(),
            tasks=len(os.listdir("/proc/self/task")),
            fds=len(fds),
            sockets=_sockets(fds),
            qt_objects=len(window.findChildren(QObject)),
            tiles=len(window.findChildren(DeviceTile)),
            python_objects=len(gc.get_objects()),
        )


def _settled(qtbot: QtBot, window: MainWindow, coordinator: BenchCoordinator, threads: int) -> None:
    """Wait until the bench is empty, every supervisor has ended and Qt has deleted what it was asked to."""

    def empty() -> bool:
        return not window.bench.statuses and not window.bench.tiles and not coordinator.keys

    qtbot.waitUntil(empty, timeout=WAIT_MS)
    deadline = time.monotonic() + SETTLE_SECONDS
    while threading.active_count() > threads and time.monotonic() < deadline:
        qtbot.wait(50)  # a thread still alive after this is counted, as a leak
    qtbot.wait(100)  # deleteLater runs on the next turns of the event loop


def _full_collection_ms() -> float:
    """How long a full collection takes on the GUI thread (app/gui/garbage.py runs one there when the counts say
    so): the heap as it is now is traversed, garbage or not."""
    started = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - started) * 1000


def _ended(window: MainWindow, key: str) -> Callable[[], bool]:
    """The device's tile is shown and its bench pass has ended (well or not: the caller looks at how)."""

    def check() -> bool:
        tile = window.bench.tiles.get(key)
        return tile is not None and not tile.status.working

    return check


def _problem(window: MainWindow, key: str) -> list[str]:
    action = window.bench.tiles[key].status.action
    return [] if action.code in FINISHED else [f"{key}: {action.text}"]


def _gone(window: MainWindow, key: str) -> Callable[[], bool]:
    return lambda: key not in window.bench.statuses and key not in window.bench.tiles


def _sequence(start: int, count: int) -> Iterator[tuple[Platform, int]]:
    """iPhones and Android phones in turn, each one a device the station has not seen."""
    for n in range(start, start + count):
        yield (Platform.IOS if n % 2 == 0 else Platform.ANDROID), n // 2


def _inspections(sqlite_url: str) -> dict[str, int]:
    engine = sa.create_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT status, count(*) FROM inspections GROUP BY status"))
            return {status: count for status, count in rows}
    finally:
        engine.dispose()


# the benchmark ----------------------------------------------------------------------------------------------------


def test_thirty_two_together_then_two_hundred_through(
    qtbot: QtBot,
    sqlite_url: str,
    tmp_path: Path,
    collector: None,  # noqa: F811
    record: Recorder,
) -> None:
    problems: list[str] = []
    plugged = 0
    with (
        Simulators(iphones=(AT_ONCE + DEVICES) // 2, androids=(AT_ONCE + DEVICES) // 2) as sims,
        bench_window(qtbot, sqlite_url, tmp_path, sims.usbmux_address, sims.adb_port) as (window, coordinator),
    ):
        probe = StallProbe()
        probe.start()
        qtbot.wait(int(IDLE_SECONDS * 1000))
        idle = probe.worst
        start = Usage.now(window)
        base_threads = threading.active_count()

        # 32 together
        probe.start()
        together = list(_sequence(0, AT_ONCE))
        keys = [sims.plug(platform, index) for platform, index in together]
        for key in keys:
            qtbot.waitUntil(_ended(window, key), timeout=WAIT_MS)
            problems += _problem(window, key)
        stall_together = probe.worst
        for platform, index in together:
            sims.unplug(platform, index)
        _settled(qtbot, window, coordinator, base_threads)
        after_together = Usage.now(window)
        plugged += AT_ONCE

        # 200 through, BAYS at a time: the first WARM, a count, the others, a count
        def leave(platform: Platform, index: int, key: str) -> None:
            qtbot.waitUntil(_ended(window, key), timeout=WAIT_MS)
            problems.extend(_problem(window, key))
            sims.unplug(platform, index)
            qtbot.waitUntil(_gone(window, key), timeout=WAIT_MS)

        def through(devices: Iterator[tuple[Platform, int]]) -> None:
            in_bay: list[tuple[Platform, int, str]] = []
            for platform, index in devices:
                in_bay.append((platform, index, sims.plug(platform, index)))
                if len(in_bay) == BAYS:
                    leave(*in_bay.pop(0))
            for device in in_bay:
                leave(*device)

        probe.start()
        started = time.perf_counter()
        through(_sequence(AT_ONCE, WARM))
        seconds = time.perf_counter() - started
        stall_warming = probe.worst
        probe.stop()  # the settling and the count are not the bench's work
        _settled(qtbot, window, coordinator, base_threads)
        warm = Usage.now(window)
        probe.start()
        started = time.perf_counter()
        through(_sequence(AT_ONCE + WARM, DEVICES - WARM))
        through_seconds = seconds + time.perf_counter() - started
        stall_through = max(stall_warming, probe.worst, key=lambda stall: stall.ms)
        probe.stop()
        _settled(qtbot, window, coordinator, base_threads)
        end = Usage.now(window)
        full_collection = _full_collection_ms()
        plugged += DEVICES

    inspections = _inspections(sqlite_url)
    assert problems == [], problems  # figures from failed inspections would mean nothing
    assert sum(inspections.values()) == plugged, inspections  # one inspection per device, each saved on unplug

    per_device_kib = (end.rss_kib - warm.rss_kib) / (DEVICES - WARM)
    objects_per_device = (end.python_objects - warm.python_objects) / (DEVICES - WARM)
    rows = [
        ("resident memory (MiB)", start.rss_kib / 1024, warm.rss_kib / 1024, end.rss_kib / 1024),
        ("Python threads", start.python_threads, warm.python_threads, end.python_threads),
        ("kernel threads (/proc/self/task)", start.tasks, warm.tasks, end.tasks),
        ("open file descriptors", start.fds, warm.fds, end.fds),
        ("  of which sockets", start.sockets, warm.sockets, end.sockets),
        ("Qt objects under the window", start.qt_objects, warm.qt_objects, end.qt_objects),
        ("device tiles alive", start.tiles, warm.tiles, end.tiles),
        ("live Python objects", start.python_objects, warm.python_objects, end.python_objects),
    ]
    print(f"\nLoad: {AT_ONCE} devices together, then {DEVICES} through ({BAYS} bays busy at a time), real window")
    print(f"  {'':<36} {'start':>10} {'after ' + str(WARM):>10} {'after ' + str(DEVICES):>10}  (target: no growth)")
    for name, *values in rows:
        print(
            f"  {name:<36} "
            + " ".join(f"{value:>10.1f}" if isinstance(value, float) else f"{value:>10}" for value in values)
        )
    print(f"  after the {AT_ONCE} together: {after_together}")
    print(
        f"  memory growth per device after the first {WARM}: {per_device_kib:.1f} KiB"
        f" (target <= {RSS_PER_DEVICE_TARGET_KIB})"
    )
    print(f"  live Python objects per device after the first {WARM}: {objects_per_device:.1f}")
    print(f"  {DEVICES} devices through in {through_seconds:.1f} s ({DEVICES / through_seconds:.1f} devices/s)")
    print(f"  inspections: {inspections}")
    print(
        f"  a full garbage collection on the GUI thread: {full_collection:.1f} ms over {end.python_objects} objects"
        f" ({end.python_objects - start.python_objects} of them made since the station started)"
    )
    for name, stall in (
        ("idle window", idle),
        (f"{AT_ONCE} together", stall_together),
        (f"{DEVICES} through", stall_through),
    ):
        print(f"  longest GUI stall, {name}: {stall}")

    record(
        f"RSS growth per device after the first {WARM} ({DEVICES} through)",
        per_device_kib,
        "KiB",
        RSS_PER_DEVICE_TARGET_KIB,
    )
    record(
        f"resident memory after {DEVICES} devices",
        end.rss_kib / 1024,
        "MiB",
        peer=warm.rss_kib / 1024,
        peer_name=f"after {WARM}",
    )
    record(f"Python threads after {DEVICES} devices", end.python_threads, "", float(start.python_threads))
    record(
        f"kernel threads after {DEVICES} devices", end.tasks, "", float(warm.tasks), start.tasks, peer_name="at start"
    )
    record(
        f"open file descriptors after {DEVICES} devices",
        end.fds,
        "",
        float(warm.fds),
        peer=start.fds,
        peer_name="at start",
    )
    record(f"open sockets after {DEVICES} devices", end.sockets, "", float(start.sockets))
    record(f"Qt objects under the window after {DEVICES} devices", end.qt_objects, "", float(start.qt_objects))
    record(f"device tiles alive after {DEVICES} devices", end.tiles, "", 0.0)
    record(f"live Python objects per device after the first {WARM}", objects_per_device, "")
    record(
        f"{DEVICES} devices through, {BAYS} bays busy", DEVICES / through_seconds, "devices/s", higher_is_better=True
    )
    for name, stall in (
        (f"longest GUI stall, {AT_ONCE} together", stall_together),
        (f"longest GUI stall, {DEVICES} through", stall_through),
    ):
        record(name, stall.ms, "ms", STALL_TARGET_MS, idle.ms, peer_name="same window idle")
    record("a full garbage collection on the GUI thread", full_collection, "ms", STALL_TARGET_MS)

    # Qt's thread pool starts threads as the window needs them and lets them expire when idle: the kernel's count is
    # compared with the warm station's, Python's with the start.
    leaks = {
        "Python threads": end.python_threads - start.python_threads,
        "kernel threads": end.tasks - warm.tasks,
        "file descriptors": end.fds - warm.fds,
        "sockets": end.sockets - start.sockets,
        "device tiles": end.tiles,
        "Qt objects": end.qt_objects - start.qt_objects,
    }
    assert all(growth <= 0 for growth in leaks.values()), leaks

"""Fixtures for the bench tests: the iOS and Android simulators, a real SQLite file with people, and the real
coordinator on them; events are collected from whichever thread sends them."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.bench.coordinator import BenchConfig, BenchCoordinator
from app.bench.events import BenchEvent
from app.bench.records import Records
from app.station import Station, bootstrap
from drivers.sim.android import AdbServerSim, unused_port
from drivers.sim.ios import IosSimulator
from tests.audit.bench_flow import make_users

WAIT_SECONDS = 15.0  # an upper bound for something that should happen, never a measured figure
TECH = "tech"


@pytest.fixture(autouse=True)
def _no_real_devices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No real usbmuxd, no real adb server, and never an `adb start-server` (a tripwire records any attempt)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", str(tmp_path / "no-usbmuxd.sock"))
    marker = tmp_path / "adb-was-run.txt"
    script = tmp_path / "adb-tripwire"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{marker}"\nexit 1\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("ADBUTILS_ADB_PATH", str(script))
    monkeypatch.setenv("ANDROID_ADB_SERVER_HOST", "127.0.0.1")
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(unused_port()))
    yield marker
    if marker.exists():
        pytest.fail(f"a test ran adb: {marker.read_text(encoding='utf-8')!r}")


@pytest.fixture
def station(sqlite_url: str) -> Iterator[Station]:
    station = bootstrap(sqlite_url, migrate=False)
    make_users(station.uow)
    yield station
    station.close()


class Events:
    """Every event the bench sent, in order, with waits that poll (never a timed assert)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[BenchEvent] = queue.Queue()
        self.seen: list[BenchEvent] = []

    def __call__(self, event: BenchEvent) -> None:
        self._queue.put(event)

    def _drain(self, timeout: float) -> None:
        try:
            self.seen.append(self._queue.get(timeout=timeout))
        except queue.Empty:
            return
        while True:
            try:
                self.seen.append(self._queue.get_nowait())
            except queue.Empty:
                return

    def wait_for(self, predicate: Callable[[BenchEvent], bool], what: str = "event") -> BenchEvent:
        deadline = time.monotonic() + WAIT_SECONDS
        checked = 0
        while True:
            for event in self.seen[checked:]:
                if predicate(event):
                    return event
            checked = len(self.seen)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {what}; saw {self.seen}")
            self._drain(min(remaining, 0.1))

    def of(self, key: str) -> list[BenchEvent]:
        self._drain(0)
        return [event for event in self.seen if getattr(event, "key", None) == key]


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def ios_sim() -> Iterator[IosSimulator]:
    simulator = IosSimulator()
    simulator.start()
    yield simulator
    simulator.close()


@pytest.fixture
def adb_sim() -> Iterator[AdbServerSim]:
    server = AdbServerSim()
    server.start()
    yield server
    server.close()


CoordinatorFactory = Callable[..., BenchCoordinator]


@pytest.fixture
def make_coordinator(
    tmp_path: Path, station: Station, events: Events, ios_sim: IosSimulator, adb_sim: AdbServerSim
) -> Iterator[CoordinatorFactory]:
    made: list[BenchCoordinator] = []

    def factory(**options: object) -> BenchCoordinator:
        config = BenchConfig(
            pair_records_dir=tmp_path / "pair-records",
            usbmux_address=ios_sim.address,
            adb_host="127.0.0.1",
            adb_port=adb_sim.port,
            step_timeout=3.0,
            retry_seconds=0.05,
            **options,  # type: ignore[arg-type]
        )
        coordinator = BenchCoordinator(Records(station.uow, station="bench-test", actor=TECH), events, config)
        coordinator.start()
        made.append(coordinator)
        return coordinator

    yield factory
    for coordinator in made:
        coordinator.close()


@pytest.fixture(autouse=True)
def _collect_here() -> Iterator[None]:
    """Sockets a test leaves behind are found in that test, not in whichever test the collector runs next."""
    yield
    import gc

    gc.collect()

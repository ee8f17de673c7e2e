"""Fixtures for the iOS tests: the simulated usbmuxd + iPhones, and the real driver (pymobiledevice3) on it.

No test ever reaches a real usbmuxd: USBMUXD_SOCKET_ADDRESS always points into the test's tmp dir (a simulator, or
nothing at all), and HOME is a tmp dir so pymobiledevice3 cannot read or write the user's pair records.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.ios import IosBench, IosEvent, IosEventKind
from drivers.sim.ios import IosSimulator, SimIphone

WAIT_SECONDS = 10.0  # an upper bound for something that should happen, never a measured figure


@pytest.fixture(autouse=True)
def _no_real_usbmuxd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", str(tmp_path / "no-usbmuxd-here.sock"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


SimFactory = Callable[..., IosSimulator]


@pytest.fixture
def make_sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimFactory]:
    started: list[IosSimulator] = []

    def factory(*devices: SimIphone, tcp: bool = False) -> IosSimulator:
        simulator = IosSimulator(devices, tcp=tcp)
        simulator.start()
        started.append(simulator)
        monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", simulator.address)
        return simulator

    yield factory
    for simulator in started:
        simulator.close()


@pytest.fixture
def pair_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "ios" / "pair-records"


class Events:
    """Driver events, collected from the driver's thread."""

    def __init__(self) -> None:
        self._queue: queue.Queue[IosEvent] = queue.Queue()
        self.seen: list[IosEvent] = []

    def __call__(self, event: IosEvent) -> None:
        self._queue.put(event)

    def wait_for(self, kind: IosEventKind, udid: str | None = None, detail: str | None = None) -> IosEvent:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                event = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(event)
            if event.kind is kind and (udid is None or event.udid == udid) and detail in (None, event.detail):
                return event
        raise AssertionError(f"no {kind} {detail or ''} event for {udid}; saw {self.seen}")


@pytest.fixture
def events() -> Events:
    return Events()


BenchFactory = Callable[..., IosBench]


@pytest.fixture
def make_bench(pair_dir: Path) -> Iterator[BenchFactory]:
    benches: list[IosBench] = []

    def factory(**options: object) -> IosBench:
        options.setdefault("step_timeout", 5.0)
        options.setdefault("erase_verify_timeout", WAIT_SECONDS)
        bench = IosBench(pair_dir, **options)  # type: ignore[arg-type]
        bench.start()
        benches.append(bench)
        return bench

    yield factory
    for bench in benches:
        bench.close()

"""The bench coordinator: follows the drivers' attach and detach, and runs one supervisor per connected device.

Driver callbacks (the iOS driver's loop thread, the adb tracker's thread) only put what they saw on a queue; one
dispatcher thread handles it in order, so that an unplug always marks the inspection interrupted before a re-plug of
the same device resumes it, and no driver thread ever waits on the records. Each device's supervisor runs on its own
thread: one bad device never disturbs the others.

A laptop agent has no driver to follow: whoever starts it (the demo, ``run --this-laptop``) attaches it with
:meth:`BenchCoordinator.attach_agent` and removes it with :meth:`BenchCoordinator.detach_agent`, through the same queue.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

import drivers.android as android
from app.bench.actions import ActionCode, NextAction
from app.bench.events import BenchEvent, DeviceSeen, DriverStatus, NeedsAction, Platform, Unplugged
from app.bench.links import AndroidLink, DeviceLink, IosLink
from app.bench.records import Records
from app.bench.supervisor import DEFAULT_RETRY_SECONDS, Supervisor
from drivers.android.errors import AndroidError
from drivers.ios import IosBench, IosError, IosEvent, IosEventKind

log = logging.getLogger(__name__)

Sink = Callable[[BenchEvent], None]
BayOf = Callable[[Platform, str], str | None]

_ADB_RETRY_SECONDS = 2.0
_JOIN_SECONDS = 30.0


@dataclasses.dataclass(frozen=True)
class BenchConfig:
    """Which drivers the bench follows and where they are (None: the drivers' own defaults and environment)."""

    pair_records_dir: Path
    ios: bool = True
    android: bool = True
    usbmux_address: str | None = None
    adb_host: str | None = None
    adb_port: int | None = None
    step_timeout: float = 10.0
    retry_seconds: float = DEFAULT_RETRY_SECONDS
    bay_of: BayOf | None = None  # the USB bay a device sits in, when the bays are mapped


@dataclasses.dataclass
class _Device:
    key: str
    session: int
    platform: Platform
    connection: str
    supervisor: Supervisor | None = None


def key_of(platform: Platform, connection: str) -> str:
    return f"{platform.value}:{connection}"


class BenchCoordinator:
    def __init__(self, records: Records, sink: Sink, config: BenchConfig) -> None:
        self.records = records
        self.config = config
        self._sink = sink
        self._queue: queue.Queue[tuple[str, object]] = queue.Queue()
        self._devices: dict[str, _Device] = {}
        self._stopped_supervisors: list[Supervisor] = []
        self._sessions = itertools.count(1)
        self._order = itertools.count(1)
        self._thread = threading.Thread(target=self._dispatch, name="bench-coordinator", daemon=True)
        self._closing = threading.Event()
        self.ios: IosBench | None = None
        self.android: android.AndroidBench | None = None
        self._tracker: android.DeviceTracker | None = None
        self._started = False

    # lifecycle ------------------------------------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self._thread.start()
        if self.config.ios:
            self.ios = IosBench(
                self.config.pair_records_dir,
                usbmux_address=self.config.usbmux_address,
                on_event=lambda event: self._queue.put(("ios", event)),
                step_timeout=self.config.step_timeout,
            )
            self.ios.start()
            self._queue.put(("ios-check", None))
        if self.config.android:
            self.android = android.AndroidBench(
                self.config.adb_host, self.config.adb_port, timeout=self.config.step_timeout
            )
            self._queue.put(("adb-connect", None))

    def close(self) -> None:
        """Stop following the drivers, stop every supervisor, and save every open inspection as interrupted."""
        if not self._started or self._closing.is_set():
            return
        self._closing.set()
        self._queue.put(("stop", None))
        self._thread.join(_JOIN_SECONDS)
        if self._tracker is not None:
            self._tracker.close()
        for device in list(self._devices.values()):
            self._end(device, "the station stopped", announce=False)
        self._devices.clear()
        # Let each supervisor finish the driver call it is in (bounded by the step time limit) before the iOS driver
        # closes: a connection cancelled half-way through its handshake would be left open.
        for supervisor in self._stopped_supervisors:
            supervisor.join(self.config.step_timeout + 2)
        if self.ios is not None:
            self.ios.close()
        for supervisor in self._stopped_supervisors:
            supervisor.join()

    @property
    def keys(self) -> list[str]:
        return list(self._devices)

    def supervisor(self, key: str) -> Supervisor | None:
        device = self._devices.get(key)
        return device.supervisor if device else None

    def attach_agent(self, connection: str, link: Callable[[], DeviceLink]) -> None:
        """Put a laptop on the bench as ``laptop:<connection>``; ``link`` makes its
        :class:`~app.bench.links.LaptopAgentLink` (called on the dispatcher, once per attach)."""
        self._queue.put(("agent", (connection, link)))

    def detach_agent(self, connection: str) -> None:
        """Take the laptop off the bench: its supervisor stops and its open inspection is saved as interrupted."""
        self._queue.put(("agent-gone", connection))

    def set_actor(self, name: str) -> None:
        """Who new readings are recorded as (the person who signed in)."""
        self.records.actor = name

    # the dispatcher -------------------------------------------------------------------------------------------

    def _emit(self, event: BenchEvent) -> None:
        try:
            self._sink(event)
        except Exception:
            log.exception("a bench listener failed on %s", event)

    def _dispatch(self) -> None:
        adb_retry: float | None = None
        while True:
            try:
                kind, payload = self._queue.get(timeout=adb_retry)
            except queue.Empty:
                kind, payload = "adb-connect", None
            if kind == "stop":
                return
            try:
                if kind == "ios":
                    assert isinstance(payload, IosEvent)
                    self._on_ios(payload)
                elif kind == "adb":
                    assert isinstance(payload, android.BenchEvent)
                    if self._on_adb(payload):
                        adb_retry = _ADB_RETRY_SECONDS
                elif kind == "agent":
                    assert isinstance(payload, tuple)
                    connection, link = payload
                    self._attach(Platform.LAPTOP, connection, link)
                    self._emit(DriverStatus(Platform.LAPTOP, True, f"laptop agent {connection}"))
                elif kind == "agent-gone":
                    assert isinstance(payload, str)
                    self._detach(key_of(Platform.LAPTOP, payload))
                elif kind == "ios-check":
                    self._check_ios()
                elif kind == "adb-connect":
                    adb_retry = None if self._connect_adb() else _ADB_RETRY_SECONDS
            except Exception:  # the dispatcher must outlive any one event
                log.exception("bench coordinator failed on %s %s", kind, payload)

    def _on_ios(self, event: IosEvent) -> None:
        if event.kind is IosEventKind.ATTACHED and event.udid:
            ios = self.ios
            udid = event.udid
            assert ios is not None
            self._attach(Platform.IOS, udid, lambda: IosLink(ios, udid))
        elif event.kind is IosEventKind.DETACHED and event.udid:
            self._detach(key_of(Platform.IOS, event.udid))
        elif event.kind is IosEventKind.USBMUXD_LOST:
            self._emit(DriverStatus(Platform.IOS, False, event.detail or "usbmuxd is not running"))
        elif event.kind is IosEventKind.USBMUXD_BACK:
            self._emit(DriverStatus(Platform.IOS, True, "usbmuxd"))

    def _check_ios(self) -> None:
        if self.ios is None:
            return
        try:
            self.ios.devices()
        except IosError as exc:
            self._emit(DriverStatus(Platform.IOS, False, str(exc)))
        else:
            self._emit(DriverStatus(Platform.IOS, True, "usbmuxd"))

    def _connect_adb(self) -> bool:
        if self.android is None or self._closing.is_set():
            return True
        try:
            self._tracker = self.android.track(lambda event: self._queue.put(("adb", event)))
        except AndroidError as exc:
            self._emit(DriverStatus(Platform.ANDROID, False, str(exc)))
            return False
        self._emit(DriverStatus(Platform.ANDROID, True, "adb server {}:{}".format(*self.android.address)))
        return True

    def _on_adb(self, event: android.BenchEvent) -> bool:
        """Handle one adb event; True when the adb server was lost (the dispatcher then retries it)."""
        if event.kind == "server lost":
            self._emit(DriverStatus(Platform.ANDROID, False, event.message))
            for key in [key for key, device in self._devices.items() if device.platform is Platform.ANDROID]:
                self._detach(key)
            if self._tracker is not None:
                self._tracker.close()
                self._tracker = None
            return True
        key = key_of(Platform.ANDROID, event.serial)
        if event.kind == "detached":
            self._detach(key)
        elif event.kind in ("attached", "state"):
            bench = self.android
            serial = event.serial
            assert bench is not None
            if event.state == "device":
                self._attach(Platform.ANDROID, serial, lambda: AndroidLink(bench, serial))
            else:
                self._not_ready(serial, event.state)
        return False

    # devices --------------------------------------------------------------------------------------------------

    def _seen(self, platform: Platform, connection: str) -> _Device:
        key = key_of(platform, connection)
        device = self._devices.get(key)
        if device is None:
            device = _Device(key, next(self._sessions), platform, connection)
            self._devices[key] = device
            self._emit(DeviceSeen(key, device.session, platform, connection, next(self._order), self._bay(device)))
        return device

    def _bay(self, device: _Device) -> str | None:
        if self.config.bay_of is None or device.platform is Platform.LAPTOP:  # the agent runs on it: no USB bay
            return None
        try:
            return self.config.bay_of(device.platform, device.connection)
        except Exception:  # a bay is a convenience: a failure to find it must not stop the bench following devices
            log.exception("%s: cannot tell its bay", device.key)
            return None

    def _attach(self, platform: Platform, connection: str, link: Callable[[], DeviceLink]) -> None:
        device = self._seen(platform, connection)
        if device.supervisor is not None and not device.supervisor.stopped.is_set():
            return  # already being looked after
        self._emit(NeedsAction(device.key, device.session, NextAction(ActionCode.CONNECTING)))
        try:
            supervisor = Supervisor(
                device.key, device.session, link(), self.records, self._emit, retry_seconds=self.config.retry_seconds
            )
        except Exception as exc:
            log.exception("%s: cannot start its supervisor", device.key)
            self._emit(NeedsAction(device.key, device.session, NextAction(ActionCode.FAILED, str(exc))))
            return
        device.supervisor = supervisor
        supervisor.start()

    def _not_ready(self, serial: str, state: str) -> None:
        """An Android phone that is attached but not answering (unauthorized, offline...): say what to do."""
        device = self._seen(Platform.ANDROID, serial)
        self._stop_supervisor(device, f"adb state {state}")
        code = ActionCode.USB_DEBUGGING if state == "unauthorized" else ActionCode.ADB_STATE
        self._emit(NeedsAction(device.key, device.session, NextAction(code, state)))

    def _stop_supervisor(self, device: _Device, reason: str) -> int | None:
        supervisor, device.supervisor = device.supervisor, None
        if supervisor is None:
            return None
        self._stopped_supervisors.append(supervisor)
        try:
            return self.records.interrupt(supervisor.holder, reason)
        except Exception:
            log.exception("%s: could not save the inspection as interrupted", device.key)
            return None

    def _end(self, device: _Device, reason: str, *, announce: bool = True) -> None:
        interrupted = self._stop_supervisor(device, reason)
        if interrupted is not None:
            log.info("%s: inspection #%d interrupted (%s)", device.key, interrupted, reason)
        if announce:
            self._emit(Unplugged(device.key, device.session, interrupted))

    def _detach(self, key: str) -> None:
        device = self._devices.pop(key, None)
        if device is not None:
            self._end(device, "unplugged")
        self._stopped_supervisors = [s for s in self._stopped_supervisors if s.alive]

"""Attach and detach events, and one entry per physical device however many drivers see it.

:class:`HotplugMonitor` re-reads the USB tree on its own thread and reports what changed. It re-reads at once when
told something changed (libusb's hotplug callback through :class:`LibusbHotplug`, or the simulated tree's listeners)
and in any case every ``interval`` seconds (0.2 s by default), so an event is reported within half a second even
where libusb has no hotplug support (Windows). The enumeration is the source of truth either way: a lost
notification can delay an event, never invent one. Devices already seen are not asked for their strings again.

:func:`merge` joins the USB sightings with the devices usbmux and adb list (by USB serial: an iPhone's USB serial is
its UDID, without the dash on recent models; an Android phone's is its adb serial), so one phone is one entry.
"""

from __future__ import annotations

import ctypes
import dataclasses
import enum
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

from drivers.usb.classify import Classification, UsbMode, Vendor, classify
from drivers.usb.errors import UsbError
from drivers.usb.topology import UsbSighting, read_sightings

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 0.2


class UsbEventKind(enum.StrEnum):
    ATTACHED = "attached"
    DETACHED = "detached"


@dataclasses.dataclass(frozen=True, slots=True)
class UsbEvent:
    kind: UsbEventKind
    sighting: UsbSighting


def diff(before: Mapping[tuple[int, int], UsbSighting], after: Iterable[UsbSighting]) -> list[UsbEvent]:
    """Detachments (in port order) then attachments (in port order) between two readings of the tree."""
    now = {s.key: s for s in after}
    gone = [UsbEvent(UsbEventKind.DETACHED, s) for k, s in before.items() if k not in now]
    new = [UsbEvent(UsbEventKind.ATTACHED, s) for k, s in now.items() if k not in before]
    order = lambda e: (e.sighting.address, e.sighting.device_address)  # noqa: E731
    return sorted(gone, key=order) + sorted(new, key=order)


class HotplugMonitor:
    """Reports :class:`UsbEvent` to ``on_event`` (called on the monitor's thread) until closed."""

    def __init__(
        self,
        backend: Any,
        on_event: Callable[[UsbEvent], None],
        *,
        interval: float = DEFAULT_INTERVAL,
        report_present: bool = True,
        scan: Callable[[Any, Mapping[tuple[int, int], UsbSighting]], list[UsbSighting]] = read_sightings,
    ) -> None:
        self._backend = backend
        self._on_event = on_event
        self._interval = interval
        self._report_present = report_present
        self._scan = scan
        self._known: dict[tuple[int, int], UsbSighting] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="usb-hotplug", daemon=True)
        self._subscribed = False
        self._native: LibusbHotplug | None = None

    @property
    def mode(self) -> str:
        """ "hotplug" when the backend notifies changes, "polling" otherwise."""
        return "hotplug" if self._subscribed or self._native is not None else "polling"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        """Read the tree once (reporting what is present, unless told not to), then watch it."""
        first = self._scan(self._backend, {})
        with self._lock:
            self._known = {s.key: s for s in first}
        if self._report_present:
            for event in diff({}, first):
                self._emit(event)
        add_listener = getattr(self._backend, "add_listener", None)
        if callable(add_listener):
            add_listener(self._on_backend_change)
            self._subscribed = True
        else:
            self._native = LibusbHotplug.start(self._backend, self.wake)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._subscribed:
            self._backend.remove_listener(self._on_backend_change)
            self._subscribed = False
        if self._native is not None:
            self._native.close()
            self._native = None
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def wake(self) -> None:
        """Re-read the tree now (a native hotplug notifier calls this)."""
        self._wake.set()

    def present(self) -> list[UsbSighting]:
        with self._lock:
            return sorted(self._known.values(), key=lambda s: (s.address, s.device_address))

    def _on_backend_change(self, _what: str, _where: object) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            self.poll()

    def poll(self) -> list[UsbEvent]:
        """One re-read of the tree; the events are reported and returned."""
        try:
            with self._lock:
                known = dict(self._known)
            now = self._scan(self._backend, known)
        except UsbError as exc:  # a transient enumeration failure: keep the last known tree, try again
            log.warning("USB scan failed, keeping the last known devices: %s", exc)
            return []
        with self._lock:
            events = diff(self._known, now)
            self._known = {s.key: s for s in now}
        for event in events:
            self._emit(event)
        return events

    def _emit(self, event: UsbEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a faulty subscriber must not stop the bench from seeing devices
            log.exception("USB event handler failed on %s", event)


class LibusbHotplug:
    """libusb's own hotplug notification (``libusb_hotplug_register_callback``), which pyusb does not wrap.

    It only wakes the monitor, which then re-reads the tree: the callback runs inside libusb's event handling and
    must not call back into libusb. Used with pyusb's libusb1 backend where libusb reports LIBUSB_CAP_HAS_HOTPLUG
    (Linux, macOS); elsewhere the monitor polls.
    """

    _CAP_HAS_HOTPLUG = 0x0001
    _EVENTS = 0x01 | 0x02  # LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | _LEFT
    _MATCH_ANY = -1
    _CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)

    class _Timeval(ctypes.Structure):
        _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]  # ctypes' own protocol

    def __init__(self, lib: Any, ctx: Any, wake: Callable[[], None]) -> None:
        self._lib = lib
        self._ctx = ctx
        self._wake = wake
        self._callback = self._CALLBACK(self._on_event)  # kept referenced: libusb holds a raw pointer to it
        self._handle = ctypes.c_int()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="libusb-hotplug", daemon=True)

    @classmethod
    def start(cls, backend: Any, wake: Callable[[], None]) -> LibusbHotplug | None:
        lib, ctx = getattr(backend, "lib", None), getattr(backend, "ctx", None)
        needed = ("libusb_has_capability", "libusb_hotplug_register_callback", "libusb_handle_events_timeout")
        if lib is None or ctx is None or not all(hasattr(lib, name) for name in needed):
            return None
        try:
            lib.libusb_has_capability.argtypes = [ctypes.c_uint32]
            lib.libusb_has_capability.restype = ctypes.c_int
            if not lib.libusb_has_capability(cls._CAP_HAS_HOTPLUG):
                return None
            lib.libusb_hotplug_register_callback.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                ctypes.c_int, ctypes.c_int, ctypes.c_int, cls._CALLBACK, ctypes.c_void_p,
                ctypes.POINTER(ctypes.c_int)]  # fmt: skip
            lib.libusb_hotplug_register_callback.restype = ctypes.c_int
            lib.libusb_hotplug_deregister_callback.argtypes = [ctypes.c_void_p, ctypes.c_int]
            lib.libusb_hotplug_deregister_callback.restype = None
            lib.libusb_handle_events_timeout.argtypes = [ctypes.c_void_p, ctypes.POINTER(cls._Timeval)]
            lib.libusb_handle_events_timeout.restype = ctypes.c_int
            notifier = cls(lib, ctx, wake)
            status = lib.libusb_hotplug_register_callback(ctx, cls._EVENTS, 0, cls._MATCH_ANY, cls._MATCH_ANY,
                cls._MATCH_ANY, notifier._callback, None, ctypes.byref(notifier._handle))  # fmt: skip
        except (AttributeError, OSError, ctypes.ArgumentError) as exc:
            log.info("libusb hotplug unavailable, polling instead: %s", exc)
            return None
        if status != 0:
            log.info("libusb hotplug registration refused (%d), polling instead", status)
            return None
        notifier._thread.start()
        return notifier

    def _on_event(self, _ctx: Any, _device: Any, _event: int, _user: Any) -> int:
        self._wake()
        return 0  # stay registered

    def _run(self) -> None:
        timeout = self._Timeval(0, 100_000)
        while not self._stop.is_set():
            self._lib.libusb_handle_events_timeout(self._ctx, ctypes.byref(timeout))

    def close(self) -> None:
        self._stop.set()
        self._lib.libusb_hotplug_deregister_callback(self._ctx, self._handle.value)  # also wakes the event handler
        self._thread.join(timeout=5)


@dataclasses.dataclass(frozen=True, slots=True)
class BenchDevice:
    """One physical device. ``kind`` names the driver that lists it ("ios", "android"), None when none does."""

    kind: str | None
    serial: str | None
    sighting: UsbSighting | None  # None: a driver lists it but it is not on this USB tree (network, or hidden)
    classification: Classification | None
    silent_reason: str | None  # plugged in, a phone, but no driver lists it: why, and what to do

    @property
    def is_phone(self) -> bool:
        return self.kind is not None or (
            self.classification is not None
            and self.classification.mode not in (UsbMode.PERIPHERAL, UsbMode.UNKNOWN_VENDOR)
        )


def normalise_serial(serial: str) -> str:
    """USB serials and driver serials compare without dashes and case (UDID ``0000…-00…`` vs USB ``0000…00…``)."""
    return serial.replace("-", "").strip().upper()


def merge(
    sightings: Sequence[UsbSighting],
    others: Iterable[tuple[str, str]],
    vendors: Mapping[int, Vendor] | None = None,
) -> list[BenchDevice]:
    """USB sightings joined with ``(kind, serial)`` pairs from usbmux/adb: one entry per physical device.

    USB devices come first in their order, then devices a driver lists that are not on USB (sorted).
    """
    by_serial: dict[str, tuple[str, str]] = {}
    for kind, serial in sorted(set(others)):
        by_serial.setdefault(normalise_serial(serial), (kind, serial))
    matched: set[str] = set()
    devices: list[BenchDevice] = []
    for sighting in sightings:
        classification = classify(sighting, vendors)
        key = normalise_serial(sighting.serial) if sighting.serial else None
        if key is not None and key in by_serial:
            kind, serial = by_serial[key]
            matched.add(key)
            devices.append(BenchDevice(kind, serial, sighting, classification, None))
            continue
        silent = None if classification.mode == UsbMode.PERIPHERAL else classification.silent_reason()
        devices.append(BenchDevice(None, sighting.serial, sighting, classification, silent))
    for key, (kind, serial) in sorted(by_serial.items()):
        if key not in matched:
            devices.append(BenchDevice(kind, serial, None, None, None))
    return devices

"""Which bay a device the bench follows sits in: its driver key (iOS UDID, adb serial) found on the USB tree by its USB
serial, and that port looked up in the saved bay map.

:class:`UsbBays` is the coordinator's ``BenchConfig.bay_of``. Each call reads the tree once through pyusb (devices
already seen are not asked for their strings again) and the bay map from the data dir (a map learned while the
station runs is used at once). No USB backend (no libusb), no serial readable (no permission on the device node), a
port outside the map, a device on the network: the bay is unknown (None), and the tile is placed by attach order.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.bench.events import Platform
from drivers.usb.errors import UsbError
from drivers.usb.hotplug import normalise_serial
from drivers.usb.topology import BayMap, UsbSighting, read_sightings

log = logging.getLogger(__name__)

BackendFactory = Callable[[], Any]


def libusb_backend() -> Any:
    """The first libusb backend pyusb can load, or None."""
    import usb.backend.libusb0
    import usb.backend.libusb1

    for module in (usb.backend.libusb1, usb.backend.libusb0):
        backend = module.get_backend()
        if backend is not None:
            return backend
    return None


def bay_label(bay_map: BayMap, sightings: list[UsbSighting], key: str) -> str | None:
    """The bay label ("3") of the device whose USB serial is ``key`` (a UDID with or without its dash, an adb serial),
    None when it is not on the tree or its port is in no bay."""
    wanted = normalise_serial(key)
    if not wanted:
        return None
    for sighting in sightings:
        if sighting.serial and normalise_serial(sighting.serial) == wanted:
            bay = bay_map.bay_at(sighting.address)
            return str(bay.number) if bay is not None else None
    return None


class UsbBays:
    """``bay_of(platform, key)`` for the bench coordinator; safe to call from any thread."""

    def __init__(self, data_dir: Path, backend_factory: BackendFactory = libusb_backend) -> None:
        self._data_dir = data_dir
        self._backend_factory = backend_factory
        self._backend: Any = None
        self._no_backend = False
        self._known: dict[tuple[int, int], UsbSighting] = {}
        self._lock = threading.Lock()

    def __call__(self, platform: Platform, key: str) -> str | None:
        with self._lock:
            try:
                bay_map = BayMap.load(self._data_dir)
            except UsbError as exc:
                log.warning("bays unknown: %s", exc)
                return None
            if not bay_map.bays:
                return None  # nothing learned: no need to read the tree
            backend = self._usb()
            if backend is None:
                return None
            try:
                sightings = read_sightings(backend, self._known)
            except UsbError as exc:
                log.warning("bay of %s %s unknown: %s", platform.value, key, exc)
                return None
            self._known = {s.key: s for s in sightings}
            label = bay_label(bay_map, sightings, key)
            log.debug("%s %s is in bay %s", platform.value, key, label)
            return label

    def _usb(self) -> Any:
        if self._backend is None and not self._no_backend:
            self._backend = self._backend_factory()
            if self._backend is None:
                self._no_backend = True
                log.info("no libusb backend: devices are not placed in bays")
        return self._backend

"""Bays: a bay is one physical USB port, named by its bus and port path (what libusb reports, stable across re-plugs).

``read_sightings`` asks pyusb for the devices on a backend (libusb on a bench, ``drivers.sim.usb`` in tests and
``--simulate``) and turns them into plain values; the bay map (bay number -> port) is JSON in the station's data
directory; ``place`` puts each sighting in its bay, in bay order, unmapped ports last as "unassigned".
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Self

import usb.core
import usb.util

from drivers.usb.errors import BayMapError, UsbUnavailable

log = logging.getLogger(__name__)

BAY_MAP_FILE = "bays.json"
_HUB_CLASS = 0x09
_VENDOR_SPECIFIC = 0xFF
_MAP_VERSION = 1


@dataclasses.dataclass(frozen=True, slots=True, order=True)
class BayAddress:
    """A physical port: bus number and the port path from the root hub (``1-4.2`` is bus 1, root port 4, hub port 2)."""

    bus: int
    ports: tuple[int, ...]

    @property
    def label(self) -> str:
        return f"{self.bus}-{'.'.join(str(p) for p in self.ports)}" if self.ports else f"{self.bus}"

    @classmethod
    def parse(cls, label: str) -> Self:
        """The inverse of :attr:`label` (``"1-4.2"``); raises ``ValueError`` on anything else."""
        bus, dash, path = label.strip().partition("-")
        if dash and not path:
            raise ValueError(f"not a USB port path: {label!r}")
        ports = tuple(int(p) for p in path.split(".")) if path else ()
        if int(bus) < 0 or any(p <= 0 for p in ports):
            raise ValueError(f"not a USB port path: {label!r}")
        return cls(int(bus), ports)


@dataclasses.dataclass(frozen=True, slots=True)
class InterfaceInfo:
    number: int
    cls: int
    subclass: int
    protocol: int
    name: str | None = None  # read only for vendor-specific interfaces, where it is the only clue ("MTP")

    @property
    def triple(self) -> tuple[int, int, int]:
        return (self.cls, self.subclass, self.protocol)


@dataclasses.dataclass(frozen=True, slots=True)
class UsbSighting:
    """One device as USB shows it. ``serial`` is None when the device has none or would not tell (permissions)."""

    address: BayAddress
    device_address: int  # the bus address: changes on every re-plug, so it tells two plug-ins apart
    vendor_id: int
    product_id: int
    serial: str | None = None
    manufacturer: str | None = None
    product: str | None = None
    device_class: int = 0
    interfaces: tuple[InterfaceInfo, ...] = ()

    @property
    def ids(self) -> str:
        return f"{self.vendor_id:04x}:{self.product_id:04x}"

    @property
    def key(self) -> tuple[int, int]:
        """What identifies one plug-in: bus and bus address."""
        return (self.address.bus, self.device_address)

    def as_dict(self) -> dict[str, Any]:
        return {
            "port": self.address.label,
            "ids": self.ids,
            "serial": self.serial,
            "manufacturer": self.manufacturer,
            "product": self.product,
            "interfaces": [f"{i.cls:02x}/{i.subclass:02x}/{i.protocol:02x}" for i in self.interfaces],
        }


def _string(dev: Any, index: int) -> str | None:
    if not index:
        return None
    try:
        text = usb.util.get_string(dev, index)
    except (usb.core.USBError, ValueError, NotImplementedError) as exc:
        # no permission on the device node, or a device that answers no strings: the value stays unknown
        log.debug("string %d of %04x:%04x unreadable: %s", index, dev.idVendor, dev.idProduct, exc)
        return None
    return (text.strip() or None) if isinstance(text, str) else None


def _interfaces(dev: Any) -> tuple[InterfaceInfo, ...]:
    found: dict[tuple[int, int, int, int], InterfaceInfo] = {}
    try:
        for configuration in dev:
            for interface in configuration:
                name = _string(dev, interface.iInterface) if interface.bInterfaceClass == _VENDOR_SPECIFIC else None
                info = InterfaceInfo(
                    interface.bInterfaceNumber,
                    interface.bInterfaceClass,
                    interface.bInterfaceSubClass,
                    interface.bInterfaceProtocol,
                    name,
                )
                found.setdefault((info.number, *info.triple), info)
    except (usb.core.USBError, NotImplementedError) as exc:
        log.debug("interfaces of %04x:%04x unreadable: %s", dev.idVendor, dev.idProduct, exc)
    return tuple(found.values())


def sighting_of(dev: Any) -> UsbSighting:
    """Read one pyusb ``Device`` into a sighting (string descriptors are read best effort)."""
    ports = tuple(int(p) for p in (dev.port_numbers or ()))
    try:
        return UsbSighting(
            address=BayAddress(int(dev.bus or 0), ports),
            device_address=int(dev.address or 0),
            vendor_id=int(dev.idVendor),
            product_id=int(dev.idProduct),
            serial=_string(dev, dev.iSerialNumber),
            manufacturer=_string(dev, dev.iManufacturer),
            product=_string(dev, dev.iProduct),
            device_class=int(dev.bDeviceClass),
            interfaces=_interfaces(dev),
        )
    finally:
        with contextlib.suppress(usb.core.USBError):
            usb.util.dispose_resources(dev)  # never keep a handle open on a phone between scans


def read_sightings(backend: Any, known: Mapping[tuple[int, int], UsbSighting] | None = None) -> list[UsbSighting]:
    """Every non-hub device on ``backend``, in port order.

    A device in ``known`` (same bus, bus address, port and ids: the same plug-in) is not asked for its strings
    again, so that watching the bench several times a second costs enumeration only, no traffic to the phones.
    """
    try:
        devices = list(usb.core.find(find_all=True, backend=backend))
    except usb.core.NoBackendError as exc:
        raise UsbUnavailable(f"no USB backend: {exc}") from exc
    except usb.core.USBError as exc:
        raise UsbUnavailable(f"cannot enumerate USB devices: {exc}", raw=str(exc)) from exc
    sightings = []
    for dev in devices:
        if dev.bDeviceClass == _HUB_CLASS:
            continue
        seen = (known or {}).get((int(dev.bus or 0), int(dev.address or 0)))
        if (
            seen is not None
            and (seen.vendor_id, seen.product_id) == (dev.idVendor, dev.idProduct)
            and seen.address.ports == tuple(dev.port_numbers or ())
        ):
            sightings.append(seen)
        else:
            sightings.append(sighting_of(dev))
    return sorted(sightings, key=lambda s: (s.address, s.device_address))


@dataclasses.dataclass(frozen=True, slots=True)
class Bay:
    number: int
    address: BayAddress

    @property
    def name(self) -> str:
        return f"Bay {self.number}"


@dataclasses.dataclass(frozen=True, slots=True)
class BayMap:
    """Bay numbers (1, 2, ...) to physical ports; a port is in at most one bay."""

    bays: tuple[Bay, ...] = ()

    def __post_init__(self) -> None:
        numbers = [b.number for b in self.bays]
        addresses = [b.address for b in self.bays]
        if len(set(numbers)) != len(numbers) or len(set(addresses)) != len(addresses):
            raise BayMapError("a bay map names each bay and each port once")
        if any(n < 1 for n in numbers):
            raise BayMapError("a bay map numbers its bays from 1")

    def bay_at(self, address: BayAddress) -> Bay | None:
        return next((b for b in self.bays if b.address == address), None)

    def as_dict(self) -> dict[str, Any]:
        ordered = sorted(self.bays, key=lambda b: b.number)
        return {"version": _MAP_VERSION, "bays": [{"bay": b.number, "port": b.address.label} for b in ordered]}

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        try:
            if data.get("version") != _MAP_VERSION:
                raise BayMapError(f"unknown bay map version {data.get('version')!r}", raw=json.dumps(data))
            bays = tuple(Bay(int(row["bay"]), BayAddress.parse(str(row["port"]))) for row in data["bays"])
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise BayMapError(f"the bay map is not readable: {exc}", raw=json.dumps(data, default=str)) from exc
        return cls(bays)

    @classmethod
    def load(cls, data_dir: Path) -> Self:
        """The saved map, or an empty one when none was learned yet."""
        path = data_dir / BAY_MAP_FILE
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            raise BayMapError(f"cannot read the bay map {path}: {exc}") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BayMapError(f"the bay map {path} is not JSON: {exc}", raw=text[:200]) from exc
        return cls.from_dict(data)

    def save(self, data_dir: Path) -> Path:
        """Write the map atomically (a crash leaves the old map, never half a file)."""
        path = data_dir / BAY_MAP_FILE
        temporary = path.with_suffix(".json.tmp")
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(self.as_dict(), indent=2) + "\n", encoding="utf-8")
            os.replace(temporary, path)
        except OSError as exc:
            raise BayMapError(f"cannot save the bay map {path}: {exc}") from exc
        return path


@dataclasses.dataclass(frozen=True, slots=True)
class Placement:
    """A bay (or an unassigned port) and what sits in it (None: an empty bay)."""

    bay: Bay | None
    address: BayAddress
    sighting: UsbSighting | None

    @property
    def name(self) -> str:
        return self.bay.name if self.bay else "unassigned"


def place(sightings: Iterable[UsbSighting], bay_map: BayMap, *, include_empty: bool = True) -> list[Placement]:
    """Bays in bay order (empty ones too, unless ``include_empty`` is false), then unassigned ports in port order."""
    by_address: dict[BayAddress, list[UsbSighting]] = {}
    for sighting in sightings:
        by_address.setdefault(sighting.address, []).append(sighting)
    placed: list[Placement] = []
    for bay in sorted(bay_map.bays, key=lambda b: b.number):
        found = by_address.pop(bay.address, [])
        placed.extend(Placement(bay, bay.address, s) for s in found)
        if not found and include_empty:
            placed.append(Placement(bay, bay.address, None))
    for address in sorted(by_address):
        placed.extend(Placement(None, address, s) for s in by_address[address])
    return placed


def bay_numbers(placements: Sequence[Placement]) -> dict[tuple[int, int], int | None]:
    """Each sighting's key to its bay number (None: unassigned), for the hotplug merge and the GUI's tiles."""
    return {p.sighting.key: (p.bay.number if p.bay else None) for p in placements if p.sighting is not None}

"""A simulated USB tree served to pyusb as a backend, so ``usb.core.find(backend=...)`` runs unchanged on it.

The tree has a root hub per bus, external hubs and devices on numbered ports; each device has a device descriptor, one
configuration with its interfaces and endpoints, and string descriptors (manufacturer, product, serial, interface
names) answered through GET_DESCRIPTOR control transfers the way a real device answers them. Devices can be attached
and detached at run time from any thread; listeners hear about it at once (the simulated "libusb hotplug").
Faults: ``SimDevice(strings_readable=False)`` refuses to be opened (a device node without permission), and a detached
device answers every transfer with "no such device".
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import itertools
import struct
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import usb.backend
import usb.core

from drivers.usb.topology import BayAddress

_GET_DESCRIPTOR = 0x06
_DESC_DEVICE = 0x01
_DESC_STRING = 0x03
_LANGID_EN_US = 0x0409
_LINUX_FOUNDATION = 0x1D6B

Listener = Callable[[str, BayAddress], None]


@dataclasses.dataclass(frozen=True, slots=True)
class SimInterface:
    cls: int
    subclass: int
    protocol: int
    name: str | None = None
    endpoints: tuple[int, ...] = ()  # endpoint addresses (0x81 = IN 1, 0x01 = OUT 1)


@dataclasses.dataclass(frozen=True, slots=True)
class SimDevice:
    vendor_id: int
    product_id: int
    serial: str | None = None
    manufacturer: str | None = None
    product: str | None = None
    device_class: int = 0
    interfaces: tuple[SimInterface, ...] = ()
    port_count: int = 0  # > 0: a hub with this many downstream ports
    strings_readable: bool = True
    speed: int = 3  # libusb's LIBUSB_SPEED_HIGH

    @property
    def is_hub(self) -> bool:
        return self.port_count > 0


# Interfaces as real phones present them.
USBMUX = SimInterface(0xFF, 0xFE, 0x02, None, (0x04, 0x85))
PTP = SimInterface(0x06, 0x01, 0x01, "PTP", (0x81, 0x02, 0x83))
MTP_CLASS = SimInterface(0x06, 0x01, 0x01, "MTP", (0x81, 0x01, 0x82))
MTP_VENDOR = SimInterface(0xFF, 0xFF, 0x00, "MTP", (0x81, 0x01, 0x82))
ADB = SimInterface(0xFF, 0x42, 0x01, "ADB Interface", (0x83, 0x03))
FASTBOOT = SimInterface(0xFF, 0x42, 0x03, "fastboot", (0x81, 0x01))
CDC_ACM = SimInterface(0x02, 0x02, 0x01, "CDC Abstract Control Model (ACM)", (0x84,))
CDC_DATA = SimInterface(0x0A, 0x00, 0x00, "CDC ACM Data", (0x85, 0x05))
VENDOR_BULK = SimInterface(0xFF, 0xFF, 0xFF, None, (0x81, 0x01))  # a flashing protocol (Qualcomm Sahara, ...)
HID_KEYBOARD = SimInterface(0x03, 0x01, 0x01, None, (0x81,))


def hub(port_count: int = 7) -> SimDevice:
    return SimDevice(0x05E3, 0x0608, None, "GenesysLogic", "USB2.0 Hub", 0x09, (SimInterface(0x09, 0, 0),), port_count)


def iphone(udid: str) -> SimDevice:
    """An iPhone in normal mode; its USB serial is the UDID without the dash (iPhone XS and later)."""
    return SimDevice(0x05AC, 0x12A8, udid.replace("-", ""), "Apple Inc.", "iPhone", 0, (PTP, USBMUX))


def iphone_recovery() -> SimDevice:
    return SimDevice(
        0x05AC,
        0x1281,
        "CPID:8030 CPRV:11 BDID:0C ECID:001A2D3E0C38802E SRTG:[iBoot-7429.0.0]",
        "Apple Inc.",
        "Apple Mobile Device (Recovery Mode)",
        0,
        (SimInterface(0xFF, 0xFF, 0x00),),
    )


def iphone_dfu() -> SimDevice:
    return SimDevice(
        0x05AC,
        0x1227,
        "CPID:8030 CPRV:11 ECID:001A2D3E0C38802E",
        "Apple Inc.",
        "Apple Mobile Device (DFU Mode)",
        0,
        (SimInterface(0xFE, 0x01, 0x00),),
    )


def pixel(serial: str, *, debugging: bool = True) -> SimDevice:
    if debugging:
        return SimDevice(0x18D1, 0x4EE2, serial, "Google", "Pixel 7", 0, (MTP_VENDOR, ADB))
    return SimDevice(0x18D1, 0x4EE1, serial, "Google", "Pixel 7", 0, (MTP_VENDOR,))


def samsung(serial: str, *, debugging: bool = True, modem: bool = True) -> SimDevice:
    interfaces = (MTP_CLASS, *((CDC_ACM, CDC_DATA) if modem else ()), *((ADB,) if debugging else ()))
    return SimDevice(0x04E8, 0x6860, serial, "SAMSUNG", "SAMSUNG_Android", 0, interfaces)


def samsung_download() -> SimDevice:
    return SimDevice(0x04E8, 0x685D, None, "SAMSUNG", "Gadget Serial", 0x02, (CDC_ACM, CDC_DATA))


def android_fastboot(serial: str) -> SimDevice:
    return SimDevice(0x18D1, 0x4EE0, serial, "Google", "Android", 0, (FASTBOOT,))


def unknown_device(vendor_id: int = 0x1209, product_id: int = 0x0001) -> SimDevice:
    return SimDevice(vendor_id, product_id, "X-1", "Maker", "Gadget", 0, (SimInterface(0xFF, 0x00, 0x00),))


def keyboard_wedge_scanner() -> SimDevice:
    return SimDevice(0x0C2E, 0x0B61, None, "Honeywell", "Scanner", 0, (HID_KEYBOARD,))


class _Node:
    """A device on the simulated tree; pyusb holds it as the backend's device identification."""

    def __init__(self, device: SimDevice, bus: int, ports: tuple[int, ...], address: int, parent: _Node | None):
        self.device = device
        self.bus = bus
        self.ports = ports
        self.address = address
        self.parent = parent
        self.attached = True
        self.strings: list[str] = [""]  # index 0 is the language table, never a string
        self.i_manufacturer = self._add(device.manufacturer)
        self.i_product = self._add(device.product)
        self.i_serial = self._add(device.serial)
        self.i_interfaces = [self._add(i.name) for i in device.interfaces]

    def _add(self, text: str | None) -> int:
        if text is None:
            return 0
        self.strings.append(text)
        return len(self.strings) - 1

    @property
    def label(self) -> str:
        return BayAddress(self.bus, self.ports).label


class _Descriptor:
    """A descriptor as pyusb reads it: plain attributes."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)


class _Handle:
    def __init__(self, node: _Node) -> None:
        self.node = node


def _no_device(node: _Node) -> usb.core.USBError:
    return usb.core.USBError(f"No such device (it may have been disconnected): {node.label}", -4, errno.ENODEV)


class SimUsbBackend(usb.backend.IBackend):  # type: ignore[misc]  # pyusb ships no type hints
    """The simulated tree. ``attach(device, "1-1.3")`` plugs a device; ``detach("1-1.3")`` unplugs it (and below)."""

    def __init__(self, buses: Sequence[int] = (1,), root_ports: int = 4) -> None:
        self._lock = threading.RLock()
        self._nodes: list[_Node] = []
        self._addresses: dict[int, Iterator[int]] = {}
        self._listeners: list[Listener] = []
        self.enumerations = 0
        for bus in buses:
            self._addresses[bus] = itertools.count(2)
            root = SimDevice(_LINUX_FOUNDATION, 0x0002, f"0000:00:14.{bus}", "Linux", "xHCI Host Controller", 0x09,
                             (SimInterface(0x09, 0, 0),), root_ports)  # fmt: skip
            self._nodes.append(_Node(root, bus, (), 1, None))

    # -- the bench side: plug and unplug -------------------------------------------------------------------------
    def add_listener(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def attach(self, device: SimDevice, port: str | BayAddress) -> BayAddress:
        address = BayAddress.parse(port) if isinstance(port, str) else port
        if not address.ports:
            raise ValueError("a device is attached to a port, not to a bus")
        with self._lock:
            parent = self._find(address.bus, address.ports[:-1])
            if parent is None or not parent.device.is_hub:
                raise ValueError(f"no hub above {address.label}")
            if not 1 <= address.ports[-1] <= parent.device.port_count:
                raise ValueError(f"the hub at {parent.label} has no port {address.ports[-1]}")
            if self._find(address.bus, address.ports) is not None:
                raise ValueError(f"port {address.label} is taken")
            self._nodes.append(_Node(device, address.bus, address.ports, next(self._addresses[address.bus]), parent))
            listeners = list(self._listeners)
        for listener in listeners:
            listener("attached", address)
        return address

    def detach(self, port: str | BayAddress) -> SimDevice:
        address = BayAddress.parse(port) if isinstance(port, str) else port
        with self._lock:
            node = self._find(address.bus, address.ports)
            if node is None or not address.ports:
                raise ValueError(f"nothing attached at {address.label}")
            gone = [n for n in self._nodes if n.bus == node.bus and n.ports[: len(node.ports)] == node.ports]
            for each in gone:
                each.attached = False
                self._nodes.remove(each)
            listeners = list(self._listeners)
        for listener in listeners:
            listener("detached", address)
        return node.device

    def device_at(self, port: str | BayAddress) -> SimDevice | None:
        address = BayAddress.parse(port) if isinstance(port, str) else port
        with self._lock:
            node = self._find(address.bus, address.ports)
            return node.device if node else None

    def _find(self, bus: int, ports: tuple[int, ...]) -> _Node | None:
        return next((n for n in self._nodes if n.bus == bus and n.ports == ports), None)

    # -- the pyusb side (usb.backend.IBackend) ---------------------------------------------------------------------
    def enumerate_devices(self) -> list[_Node]:
        with self._lock:
            self.enumerations += 1
            return list(self._nodes)

    def get_parent(self, dev: _Node) -> _Node | None:
        return dev.parent

    def get_device_descriptor(self, dev: _Node) -> _Descriptor:
        device = dev.device
        return _Descriptor(
            bLength=18,
            bDescriptorType=_DESC_DEVICE,
            bcdUSB=0x0200,
            bDeviceClass=device.device_class,
            bDeviceSubClass=0,
            bDeviceProtocol=1 if device.is_hub else 0,
            bMaxPacketSize0=64,
            idVendor=device.vendor_id,
            idProduct=device.product_id,
            bcdDevice=0x0100,
            iManufacturer=dev.i_manufacturer,
            iProduct=dev.i_product,
            iSerialNumber=dev.i_serial,
            bNumConfigurations=1,
            address=dev.address,
            bus=dev.bus,
            port_number=dev.ports[-1] if dev.ports else 0,
            port_numbers=dev.ports or None,  # libusb gives no path for a root hub
            speed=device.speed,
        )

    def get_configuration_descriptor(self, dev: _Node, config: int) -> _Descriptor:
        if config != 0:
            raise IndexError(f"configuration {config}")
        interfaces = dev.device.interfaces
        total = 9 + sum(9 + 7 * len(i.endpoints) for i in interfaces)
        return _Descriptor(
            bLength=9,
            bDescriptorType=0x02,
            wTotalLength=total,
            bNumInterfaces=len(interfaces),
            bConfigurationValue=1,
            iConfiguration=0,
            bmAttributes=0x80,
            bMaxPower=250,
            extra_descriptors=[],
        )

    def get_interface_descriptor(self, dev: _Node, intf: int, alt: int, config: int) -> _Descriptor:
        interfaces = dev.device.interfaces
        if config != 0 or alt != 0 or not 0 <= intf < len(interfaces):
            raise IndexError(f"interface {intf} alt {alt} configuration {config}")  # pyusb stops iterating here
        interface = interfaces[intf]
        return _Descriptor(
            bLength=9,
            bDescriptorType=0x04,
            bInterfaceNumber=intf,
            bAlternateSetting=0,
            bNumEndpoints=len(interface.endpoints),
            bInterfaceClass=interface.cls,
            bInterfaceSubClass=interface.subclass,
            bInterfaceProtocol=interface.protocol,
            iInterface=dev.i_interfaces[intf],
            extra_descriptors=[],
        )

    def get_endpoint_descriptor(self, dev: _Node, ep: int, intf: int, alt: int, config: int) -> _Descriptor:
        self.get_interface_descriptor(dev, intf, alt, config)  # the same IndexError for a missing interface
        endpoints = dev.device.interfaces[intf].endpoints
        if not 0 <= ep < len(endpoints):
            raise IndexError(f"endpoint {ep}")
        return _Descriptor(
            bLength=7,
            bDescriptorType=0x05,
            bEndpointAddress=endpoints[ep],
            bmAttributes=0x02,
            wMaxPacketSize=512,
            bInterval=0,
            bRefresh=0,
            bSynchAddress=0,
            extra_descriptors=[],
        )

    def open_device(self, dev: _Node) -> _Handle:
        if not dev.attached:
            raise _no_device(dev)
        if not dev.device.strings_readable:
            raise usb.core.USBError("Access denied (insufficient permissions)", -3, errno.EACCES)
        return _Handle(dev)

    def close_device(self, dev_handle: _Handle) -> None:
        return None

    def get_configuration(self, dev_handle: _Handle) -> int:
        return 1

    def set_configuration(self, dev_handle: _Handle, config_value: int) -> None:
        return None

    def claim_interface(self, dev_handle: _Handle, intf: int) -> None:
        return None

    def release_interface(self, dev_handle: _Handle, intf: int) -> None:
        return None

    def ctrl_transfer(
        self, dev_handle: _Handle, bmRequestType: int, bRequest: int, wValue: int, wIndex: int, data: array[int],  # noqa: N803
        timeout: int,
    ) -> int:  # fmt: skip
        node = dev_handle.node
        if not node.attached:
            raise _no_device(node)
        if bmRequestType != 0x80 or bRequest != _GET_DESCRIPTOR:
            raise usb.core.USBError("Pipe error", -9, errno.EPIPE)  # a stall: the request is not supported
        kind, index = wValue >> 8, wValue & 0xFF
        if kind == _DESC_STRING and index == 0:
            answer = struct.pack("<BBH", 4, _DESC_STRING, _LANGID_EN_US)
        elif kind == _DESC_STRING and 0 < index < len(node.strings) and wIndex == _LANGID_EN_US:
            text = node.strings[index].encode("utf-16-le")
            answer = bytes([2 + len(text), _DESC_STRING]) + text
        else:
            raise usb.core.USBError("Pipe error", -9, errno.EPIPE)
        size = min(len(answer), len(data) * data.itemsize)
        data[:size] = array("B", answer[:size])
        return size


class SimulatedTechnician:
    """Plugs one device into the port of each bay when asked (unplugging it from the last), for ``bays learn``."""

    def __init__(self, backend: SimUsbBackend, ports: Sequence[str], device: SimDevice) -> None:
        self._backend = backend
        self._ports = list(ports)
        self._device = device
        self._plugged: str | None = None

    def plug_for_bay(self, bay: int) -> None:
        if self._plugged is not None:
            self._backend.detach(self._plugged)
            self._plugged = None
        if 1 <= bay <= len(self._ports):
            self._backend.attach(self._device, self._ports[bay - 1])
            self._plugged = self._ports[bay - 1]


def learning_bench(ports: int = 7) -> tuple[SimUsbBackend, SimulatedTechnician]:
    """An empty 7-port hub on root port 1 and a technician with one iPhone, for ``bays learn --simulate``."""
    backend = SimUsbBackend()
    backend.attach(hub(ports), "1-1")
    technician = SimulatedTechnician(
        backend, [f"1-1.{n}" for n in range(1, ports + 1)], iphone("00008110-000A1B2C3D4E5F60")
    )
    return backend, technician


# The demo bench's phones: the same serials on the USB tree, the simulated usbmuxd and the simulated adb server.
DEMO_IPHONE_UDID = "00008030-001A2D3E0C38802E"  # usbmux's UDID; its USB serial is the same without the dash
DEMO_PIXEL_SERIAL = "2A211FDH200ABC"  # USB debugging on: adb lists it
DEMO_SAMSUNG_SERIAL = "R58M123ABCD"  # USB debugging off: on USB (MTP + modem), adb does not list it
DEMO_PROMPT_SERIAL = "2B311FDH300DEF"  # USB debugging on, its RSA prompt not accepted: adb lists it "unauthorized"


def demo_bench() -> SimUsbBackend:
    """A bench for ``--simulate``: a 7-port hub on root port 1 with phones in several states."""
    backend = SimUsbBackend()
    backend.attach(hub(7), "1-1")
    backend.attach(iphone(DEMO_IPHONE_UDID), "1-1.1")
    backend.attach(pixel(DEMO_PIXEL_SERIAL), "1-1.2")
    backend.attach(samsung(DEMO_SAMSUNG_SERIAL, debugging=False), "1-1.3")
    backend.attach(iphone_recovery(), "1-1.5")
    backend.attach(samsung_download(), "1-1.6")
    backend.attach(pixel(DEMO_PROMPT_SERIAL), "1-1.7")
    backend.attach(keyboard_wedge_scanner(), "1-2")
    return backend


@dataclasses.dataclass(frozen=True, slots=True)
class LinkedBench:
    """One simulated bench seen three ways: the USB tree (pyusb), usbmuxd (pymobiledevice3) and adb (adbutils)."""

    usb: SimUsbBackend
    usbmux_address: str  # for USBMUXD_SOCKET_ADDRESS
    adb_host: str
    adb_port: int  # for ANDROID_ADB_SERVER_PORT


@contextlib.contextmanager
def linked_demo_bench() -> Iterator[LinkedBench]:
    """:func:`demo_bench` with the iOS and Android simulators serving the phones whose drivers would list them: the
    iPhone in normal mode through usbmuxd, the two Pixels through adb (one "unauthorized"); the Samsung without USB
    debugging, the recovery iPhone and the download-mode Samsung are on USB only, as on a real bench."""
    from drivers.sim.android import AdbServerSim
    from drivers.sim.android_phone import SimPhone, luhn_complete
    from drivers.sim.ios import IosSimulator, SimIphone

    iphones = [SimIphone.make(2, udid=DEMO_IPHONE_UDID)]  # an iPhone 11: the A13's UDID prefix 00008030
    androids = [
        SimPhone(serial=DEMO_PIXEL_SERIAL, profile="pixel", imei=luhn_complete("35882714800001")),
        SimPhone(
            serial=DEMO_PROMPT_SERIAL, profile="pixel", imei=luhn_complete("35882714800002"), state="unauthorized"
        ),
    ]
    with IosSimulator(iphones) as ios, AdbServerSim(androids) as adb:
        yield LinkedBench(demo_bench(), ios.address, "127.0.0.1", adb.port)

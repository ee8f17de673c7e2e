"""What a USB device is, from its ids and interfaces alone; and, for one that usbmux and adb do not list, why.

The vendor table (``resources/usb_vendors.json``) names phone makers and the product ids whose mode is known
(recovery, DFU, download, fastboot, flash); everything else is read from the interfaces: usbmux (Apple's
``ff/fe/02``), adb (``ff/42/01``), fastboot (``ff/42/03``), MTP/PTP (class 6, or vendor-specific named "MTP"),
CDC-ACM modem (``02/02``).
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from drivers.usb.errors import UsbError
from drivers.usb.topology import InterfaceInfo, UsbSighting

_VENDORS_FILE = "usb_vendors.json"

USBMUX_INTERFACE = (0xFF, 0xFE, 0x02)
ADB_INTERFACE = (0xFF, 0x42, 0x01)
FASTBOOT_INTERFACE = (0xFF, 0x42, 0x03)
_STILL_IMAGE = 0x06  # PTP, and MTP on most phones
_CDC = 0x02
_CDC_ACM_SUBCLASS = 0x02
_HID = 0x03
_HUB = 0x09
_MASS_STORAGE = 0x08


class UsbMode(enum.StrEnum):
    IOS = "ios"  # usbmux interface: usbmux should list it
    IOS_RECOVERY = "ios recovery"
    IOS_DFU = "ios dfu"
    ANDROID_ADB = "android adb"  # adb interface: adb should list it
    ANDROID_NO_DEBUGGING = "android without usb debugging"
    SAMSUNG_MODEM = "samsung modem"
    SAMSUNG_DOWNLOAD = "samsung download"
    FASTBOOT = "fastboot"
    FLASH = "flash"  # Qualcomm EDL, MediaTek BROM/preloader
    NO_DATA = "no data interface"  # a phone maker's device with nothing we can talk to (charge-only)
    PERIPHERAL = "peripheral"  # keyboard-wedge scanner, storage stick... not a phone
    UNKNOWN_VENDOR = "unknown vendor"


_EXPECTS = {UsbMode.IOS: "usbmux", UsbMode.ANDROID_ADB: "adb"}
_MODE_OF_PRODUCT = {
    "recovery": UsbMode.IOS_RECOVERY,
    "dfu": UsbMode.IOS_DFU,
    "download": UsbMode.SAMSUNG_DOWNLOAD,
    "flash": UsbMode.FLASH,
    "fastboot": UsbMode.FASTBOOT,
}
REASONS: dict[UsbMode, str] = {
    UsbMode.IOS_RECOVERY: "iPhone in recovery mode: restore it or reboot it (Finder/iTunes, idevicerestore); "
    "usbmux cannot read it in this mode",
    UsbMode.IOS_DFU: "iPhone in DFU mode: restore it (Finder/iTunes, idevicerestore); "
    "usbmux cannot read it in this mode",
    UsbMode.SAMSUNG_DOWNLOAD: "Samsung phone in download mode (Odin): hold power and volume down to reboot it; "
    "adb cannot read it in this mode",
    UsbMode.FLASH: "phone in a low-level flash mode (Qualcomm EDL / MediaTek boot ROM): reboot it normally",
    UsbMode.FASTBOOT: "Android phone in its bootloader (fastboot): choose Start, or reboot it",
    UsbMode.IOS: "is usbmuxd running? unplug and re-plug the iPhone",
    UsbMode.ANDROID_ADB: "is the adb server running? accept the USB debugging (RSA key) prompt on the phone",
    UsbMode.SAMSUNG_MODEM: "USB debugging is off; its modem port answers AT commands (identity via the AT driver): "
    "enable USB debugging for the full inspection",
    UsbMode.ANDROID_NO_DEBUGGING: "Android phone{} with file transfer (MTP/PTP) only: enable USB debugging "
    "(Settings > Developer options) and accept the prompt",
    UsbMode.PERIPHERAL: "not a phone ({}): a keyboard, scanner, hub or storage device",
    UsbMode.NO_DATA: "{} offers no data interface: unlock it and choose 'File transfer' in its USB notification, "
    "or try another cable",
    UsbMode.UNKNOWN_VENDOR: "unknown USB device {}: not in the phone vendor table",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Vendor:
    vendor_id: int
    name: str
    platform: str
    products: Mapping[int, tuple[str, str]]  # product id -> (name, mode)


@dataclasses.dataclass(frozen=True, slots=True)
class Classification:
    """What the device is; ``reason`` is the sentence a technician reads when the device says nothing."""

    mode: UsbMode
    ids: str
    vendor: str | None
    description: str
    reason: str
    expects: str | None = None  # which driver should list it ("usbmux", "adb"); None: none will
    hand_to: str | None = None  # another driver that can talk to it ("at-modem")

    def silent_reason(self) -> str:
        """Why it is plugged in but neither usbmux nor adb lists it."""
        if self.expects:
            return f"{self.description} ({self.ids}) is on USB but {self.expects} does not list it: {self.reason}"
        return self.reason

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode.value,
            "ids": self.ids,
            "vendor": self.vendor,
            "description": self.description,
            "reason": self.reason,
            "expects": self.expects,
            "hand_to": self.hand_to,
        }


def _hex_id(text: str) -> int:
    value = int(text, 16)
    if not 0 <= value <= 0xFFFF:
        raise ValueError(f"not a USB id: {text!r}")
    return value


def parse_vendor_table(data: Any) -> dict[int, Vendor]:
    """The vendor table from its JSON form; a malformed table is a clear error, not a half-read one."""
    try:
        vendors = {}
        for vid_text, row in data["vendors"].items():
            vid = _hex_id(vid_text)
            products = {_hex_id(pid): (str(p["name"]), str(p["mode"])) for pid, p in row.get("products", {}).items()}
            vendors[vid] = Vendor(vid, str(row["name"]), str(row["platform"]), products)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UsbError(f"the USB vendor table is malformed: {exc}") from exc
    return vendors


@functools.cache
def vendor_table() -> dict[int, Vendor]:
    text = resources.files("resources").joinpath(_VENDORS_FILE).read_text(encoding="utf-8")
    return parse_vendor_table(json.loads(text))


def _is_mtp_or_ptp(interface: InterfaceInfo) -> bool:
    if interface.cls == _STILL_IMAGE:
        return True
    # Many Android phones present MTP as a vendor-specific interface whose only clue is its name
    return interface.cls == 0xFF and (interface.name or "").strip().upper().startswith("MTP")


def _is_modem(interface: InterfaceInfo) -> bool:
    return interface.cls == _CDC and interface.subclass == _CDC_ACM_SUBCLASS


def classify(sighting: UsbSighting, vendors: Mapping[int, Vendor] | None = None) -> Classification:
    """What ``sighting`` is, from its vendor/product ids and its interfaces."""
    table = vendor_table() if vendors is None else vendors
    vendor = table.get(sighting.vendor_id)
    ids = sighting.ids
    name = vendor.name if vendor else None
    interfaces = sighting.interfaces
    triples = {i.triple for i in interfaces}

    def result(mode: UsbMode, description: str, reason: str, hand_to: str | None = None) -> Classification:
        return Classification(mode, ids, name, description, reason, _EXPECTS.get(mode), hand_to)

    product_name, product_mode = vendor.products.get(sighting.product_id, (None, None)) if vendor else (None, None)
    label = product_name or sighting.product or (f"{name} device" if name else "USB device")

    if product_mode in _MODE_OF_PRODUCT:
        mode = _MODE_OF_PRODUCT[product_mode]
        return result(mode, label, REASONS[mode])
    if FASTBOOT_INTERFACE in triples:
        return result(UsbMode.FASTBOOT, label, REASONS[UsbMode.FASTBOOT])
    if USBMUX_INTERFACE in triples:
        return result(UsbMode.IOS, label, REASONS[UsbMode.IOS])
    if ADB_INTERFACE in triples:
        return result(UsbMode.ANDROID_ADB, label, REASONS[UsbMode.ANDROID_ADB])
    if vendor is not None and vendor.name == "Samsung" and any(_is_modem(i) for i in interfaces):
        return result(UsbMode.SAMSUNG_MODEM, label, REASONS[UsbMode.SAMSUNG_MODEM], hand_to="at-modem")
    media = [i for i in interfaces if _is_mtp_or_ptp(i)]
    # an unlisted maker's MTP/PTP-only device is most likely an Android phone too (a camera would also match)
    if media and (vendor.platform == "android" if vendor else len(media) == len(interfaces)):
        unlisted = "" if vendor else f" (maker {ids} is not in the vendor table)"
        return result(UsbMode.ANDROID_NO_DEBUGGING, label, REASONS[UsbMode.ANDROID_NO_DEBUGGING].format(unlisted))
    if vendor is None and interfaces and all(i.cls in (_HID, _HUB, _MASS_STORAGE) for i in interfaces):
        return result(UsbMode.PERIPHERAL, label, REASONS[UsbMode.PERIPHERAL].format(ids))
    if vendor is not None:
        return result(UsbMode.NO_DATA, label, REASONS[UsbMode.NO_DATA].format(f"{vendor.name} device {ids}"))
    return result(UsbMode.UNKNOWN_VENDOR, label, REASONS[UsbMode.UNKNOWN_VENDOR].format(ids))

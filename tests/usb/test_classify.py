"""Plugged but silent: each reason, from devices read by the real pyusb from the simulated tree."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from drivers.sim import usb as sim
from drivers.usb.classify import UsbMode, classify, parse_vendor_table, vendor_table
from drivers.usb.errors import UsbError
from drivers.usb.topology import UsbSighting, read_sightings


def seen(device: sim.SimDevice) -> UsbSighting:
    backend = sim.SimUsbBackend()
    backend.attach(device, "1-2")
    (sighting,) = read_sightings(backend)
    return sighting


CASES: list[tuple[str, Callable[[], sim.SimDevice], UsbMode, str, str | None]] = [
    ("iphone-recovery", sim.iphone_recovery, UsbMode.IOS_RECOVERY, "recovery mode", None),
    ("iphone-dfu", sim.iphone_dfu, UsbMode.IOS_DFU, "DFU mode", None),
    ("pixel-no-debugging", lambda: sim.pixel("P1", debugging=False), UsbMode.ANDROID_NO_DEBUGGING,
     "enable USB debugging", None),
    ("samsung-download", sim.samsung_download, UsbMode.SAMSUNG_DOWNLOAD, "download mode", None),
    ("samsung-modem", lambda: sim.samsung("R5", debugging=False), UsbMode.SAMSUNG_MODEM, "AT", "at-modem"),
    ("samsung-mtp-no-modem", lambda: sim.samsung("R5", debugging=False, modem=False), UsbMode.ANDROID_NO_DEBUGGING,
     "enable USB debugging", None),
    ("fastboot", lambda: sim.android_fastboot("F1"), UsbMode.FASTBOOT, "bootloader", None),
    ("unknown-vendor", lambda: sim.unknown_device(0x1209, 0xBEEF), UsbMode.UNKNOWN_VENDOR, "1209:beef", None),
    ("unlisted-maker-mtp", lambda: sim.SimDevice(0x2E04, 0xC025, "N1", "HMD", "Nokia", 0, (sim.MTP_CLASS,)),
     UsbMode.ANDROID_NO_DEBUGGING, "2e04:c025", None),
    ("known-vendor-charge-only", lambda: sim.SimDevice(0x2717, 0xFF08, "X", "Xiaomi", "Redmi", 0, ()),
     UsbMode.NO_DATA, "Xiaomi device 2717:ff08", None),
    ("wedge-scanner", sim.keyboard_wedge_scanner, UsbMode.PERIPHERAL, "not a phone", None),
    ("edl", lambda: sim.SimDevice(0x05C6, 0x9008, None, "Qualcomm", "QHSUSB__BULK", 0, (sim.VENDOR_BULK,)),
     UsbMode.FLASH, "EDL", None),
]  # fmt: skip


@pytest.mark.parametrize(("make", "mode", "says", "hand_to"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_silent_devices_are_explained(
    make: Callable[[], sim.SimDevice], mode: UsbMode, says: str, hand_to: str | None
) -> None:
    classification = classify(seen(make()))
    assert classification.mode is mode
    assert says in classification.silent_reason()
    assert classification.hand_to == hand_to
    assert classification.expects is None  # no driver will list it: the reason is the whole story


@pytest.mark.parametrize(
    ("device", "mode", "expects"),
    [
        (sim.iphone("00008030-001A2D3E0C38802E"), UsbMode.IOS, "usbmux"),
        (sim.pixel("P1"), UsbMode.ANDROID_ADB, "adb"),
        (sim.samsung("R5", debugging=True), UsbMode.ANDROID_ADB, "adb"),
    ],
    ids=["iphone", "pixel-adb", "samsung-adb-and-modem"],
)
def test_ready_devices_name_the_driver_that_should_list_them(
    device: sim.SimDevice, mode: UsbMode, expects: str
) -> None:
    classification = classify(seen(device))
    assert (classification.mode, classification.expects) == (mode, expects)
    assert f"{expects} does not list it" in classification.silent_reason()


def test_the_vendor_table_names_every_phone_maker_of_the_issue() -> None:
    names = {v.name for v in vendor_table().values()}
    assert names >= {"Apple", "Google", "Samsung", "Motorola", "LG", "HTC", "Huawei", "Sony", "Xiaomi", "OnePlus",
                     "Lenovo", "Asus", "ZTE", "Qualcomm", "MediaTek"}  # fmt: skip
    assert vendor_table()[0x05AC].products[0x1281][1] == "recovery"
    assert vendor_table()[0x04E8].products[0x685D][1] == "download"


@pytest.mark.parametrize(
    "data",
    [{}, {"vendors": {"zz": {"name": "X", "platform": "android"}}}, {"vendors": {"05ac": {"platform": "ios"}}},
     {"vendors": {"05ac": {"name": "A", "platform": "ios", "products": {"12345": {"name": "x", "mode": "dfu"}}}}}],
    ids=["empty", "bad-vendor-id", "no-name", "bad-product-id"],
)  # fmt: skip
def test_a_malformed_vendor_table_is_a_clear_error(data: object) -> None:
    with pytest.raises(UsbError, match="vendor table is malformed"):
        parse_vendor_table(data)

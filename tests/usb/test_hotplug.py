"""Hotplug events on the simulated tree (notified and polled), and one entry per physical device after the merge."""

from __future__ import annotations

import contextlib
import queue
from collections.abc import Iterator, Mapping

import pytest

from drivers.sim import usb as sim
from drivers.usb.classify import UsbMode
from drivers.usb.errors import UsbUnavailable
from drivers.usb.hotplug import HotplugMonitor, UsbEvent, UsbEventKind, diff, merge
from drivers.usb.topology import UsbSighting, read_sightings

WAIT = 10.0  # an upper bound so a broken monitor fails the test instead of hanging it; not a timing assertion


class PollOnlyBackend(sim.SimUsbBackend):
    """A tree that does not notify (like libusb without hotplug support): the monitor must poll."""

    add_listener = None  # type: ignore[assignment]


@pytest.fixture
def bench() -> sim.SimUsbBackend:
    backend = sim.SimUsbBackend()
    backend.attach(sim.hub(4), "1-1")
    backend.attach(sim.iphone("00008030-001A2D3E0C38802E"), "1-1.1")
    return backend


@contextlib.contextmanager
def watching(backend: sim.SimUsbBackend) -> Iterator[tuple[HotplugMonitor, queue.Queue[UsbEvent]]]:
    received: queue.Queue[UsbEvent] = queue.Queue()
    with HotplugMonitor(backend, received.put) as monitor:
        yield monitor, received


@pytest.mark.parametrize("backend_class", [sim.SimUsbBackend, PollOnlyBackend], ids=["notified", "polled"])
def test_attach_and_detach_are_reported(backend_class: type[sim.SimUsbBackend]) -> None:
    backend = backend_class()
    backend.attach(sim.hub(4), "1-1")
    backend.attach(sim.iphone("00008030-001A2D3E0C38802E"), "1-1.1")
    with watching(backend) as (monitor, received):
        assert monitor.mode == ("hotplug" if backend_class is sim.SimUsbBackend else "polling")
        present = received.get(timeout=WAIT)
        assert (present.kind, present.sighting.address.label) == (UsbEventKind.ATTACHED, "1-1.1")
        backend.attach(sim.pixel("2A211FDH200ABC"), "1-1.3")
        attached = received.get(timeout=WAIT)
        assert (attached.kind, attached.sighting.serial) == (UsbEventKind.ATTACHED, "2A211FDH200ABC")
        backend.detach("1-1.1")
        detached = received.get(timeout=WAIT)
        assert (detached.kind, detached.sighting.address.label) == (UsbEventKind.DETACHED, "1-1.1")
        assert [s.address.label for s in monitor.present()] == ["1-1.3"]
    assert received.empty()  # one event per change, none twice


def test_a_quick_replug_in_the_same_port_is_a_detach_and_an_attach(bench: sim.SimUsbBackend) -> None:
    before = {s.key: s for s in read_sightings(bench)}
    bench.attach(bench.detach("1-1.1"), "1-1.1")  # faster than any poll
    events = diff(before, read_sightings(bench))
    assert [(e.kind, e.sighting.address.label) for e in events] == [
        (UsbEventKind.DETACHED, "1-1.1"),
        (UsbEventKind.ATTACHED, "1-1.1"),
    ]


def test_a_failing_handler_does_not_stop_the_monitor(bench: sim.SimUsbBackend) -> None:
    received: queue.Queue[UsbEvent] = queue.Queue()

    def handler(event: UsbEvent) -> None:
        received.put(event)
        if event.sighting.serial == "BOOM":
            raise RuntimeError("a subscriber bug")

    with HotplugMonitor(bench, handler, report_present=False):
        bench.attach(sim.pixel("BOOM"), "1-1.2")
        assert received.get(timeout=WAIT).sighting.serial == "BOOM"
        bench.attach(sim.pixel("AFTER"), "1-1.3")
        assert received.get(timeout=WAIT).sighting.serial == "AFTER"


def test_a_failed_scan_keeps_the_last_known_devices(bench: sim.SimUsbBackend) -> None:
    calls = {"n": 0}

    def flaky(backend: object, known: Mapping[tuple[int, int], UsbSighting]) -> list[UsbSighting]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise UsbUnavailable("LIBUSB_ERROR_IO")
        return read_sightings(backend, known)

    received: queue.Queue[UsbEvent] = queue.Queue()
    monitor = HotplugMonitor(bench, received.put, scan=flaky, interval=3600)
    monitor.start()
    try:
        assert received.get(timeout=WAIT).kind is UsbEventKind.ATTACHED
        assert monitor.poll() == []  # the failed scan: no made-up detach
        assert [s.address.label for s in monitor.present()] == ["1-1.1"]
        bench.detach("1-1.1")
        assert [e.kind for e in monitor.poll()] == [UsbEventKind.DETACHED]
    finally:
        monitor.close()


def _bench_sightings() -> list[UsbSighting]:
    backend = sim.SimUsbBackend()
    backend.attach(sim.hub(7), "1-1")
    backend.attach(sim.iphone("00008030-001A2D3E0C38802E"), "1-1.1")
    backend.attach(sim.pixel("2a211fdh200abc"), "1-1.2")
    backend.attach(sim.samsung("R58M123ABCD", debugging=False), "1-1.3")
    backend.attach(sim.iphone_recovery(), "1-1.4")
    backend.attach(sim.keyboard_wedge_scanner(), "1-1.5")
    backend.attach(sim.iphone("00008101-000A1B2C3D4E5F60"), "1-1.6")
    return read_sightings(backend)


def test_merge_makes_one_entry_per_physical_device() -> None:
    others = {
        ("ios", "00008030-001A2D3E0C38802E"),  # usbmux: the UDID with its dash; USB: without
        ("android", "2A211FDH200ABC"),
        ("android", "192.168.1.20:5555"),  # adb over Wi-Fi: on no USB port
    }
    devices = merge(_bench_sightings(), others)
    rows = [(d.sighting.address.label if d.sighting else None, d.kind, d.serial) for d in devices]
    assert rows == [
        ("1-1.1", "ios", "00008030-001A2D3E0C38802E"),
        ("1-1.2", "android", "2A211FDH200ABC"),
        ("1-1.3", None, "R58M123ABCD"),
        ("1-1.4", None, "CPID:8030 CPRV:11 BDID:0C ECID:001A2D3E0C38802E SRTG:[iBoot-7429.0.0]"),
        ("1-1.5", None, None),
        ("1-1.6", None, "00008101000A1B2C3D4E5F60"),
        (None, "android", "192.168.1.20:5555"),
    ]
    silent = {d.sighting.address.label: d.silent_reason for d in devices if d.sighting}
    assert silent["1-1.1"] is None
    assert silent["1-1.2"] is None
    assert "AT commands" in (silent["1-1.3"] or "")
    assert "recovery mode" in (silent["1-1.4"] or "")
    assert silent["1-1.5"] is None  # the scanner is not a silent phone
    assert "usbmux does not list it" in (silent["1-1.6"] or "")
    assert [d.is_phone for d in devices] == [True, True, True, True, False, True, True]


def test_merge_without_other_drivers_reports_every_phone_silent() -> None:
    devices = merge(_bench_sightings(), set())
    assert [d.classification.mode for d in devices if d.classification] == [
        UsbMode.IOS,
        UsbMode.ANDROID_ADB,
        UsbMode.SAMSUNG_MODEM,
        UsbMode.IOS_RECOVERY,
        UsbMode.PERIPHERAL,
        UsbMode.IOS,
    ]
    assert sum(d.silent_reason is not None for d in devices) == 5


def test_libusb_native_hotplug_registers_and_closes_cleanly() -> None:
    """On this machine's real libusb (no devices needed): the callback registers, the event thread stops at close."""
    import usb.backend.libusb1

    backend = usb.backend.libusb1.get_backend()
    if backend is None:
        pytest.skip("libusb-1.0 is not installed here")
    with HotplugMonitor(backend, lambda _event: None) as monitor:
        if monitor.mode != "hotplug":
            pytest.skip("this libusb has no hotplug support: the monitor polls")
        assert monitor.poll() == []  # a re-read of a tree that did not change reports nothing
    assert monitor.mode == "polling"  # the native notifier is gone once closed


def test_a_device_already_seen_is_not_asked_for_its_strings_again(bench: sim.SimUsbBackend) -> None:
    first = {s.key: s for s in read_sightings(bench)}
    bench.attach(sim.pixel("P2"), "1-1.2")
    again = read_sightings(bench, first)
    assert again[0] is first[again[0].key]  # the same value, reused
    assert again[1].serial == "P2"  # the newcomer is read

"""USB bench and serial instrument figures (run with `make bench`; printed, never asserted against time).

Hotplug latency is measured from the simulated plug (or unplug) to the event reaching the subscriber, through the
real pyusb enumeration, with the backend notifying (the simulated "libusb hotplug") and with polling only.
"""

from __future__ import annotations

import queue
import statistics
import time

from drivers.peripherals.scanner import SerialScanner
from drivers.peripherals.usb_meter import BAUDRATE, RECORD_LENGTH, MeterModel, UsbMeter
from drivers.sim import usb as sim
from drivers.sim.scanner import SimulatedScanner
from drivers.sim.um_meter import SimulatedUmMeter
from drivers.usb.hotplug import HotplugMonitor, UsbEvent
from drivers.usb.topology import read_sightings
from tests.benchmarks.figures import Recorder

ROUNDS = 20


class _PollOnly(sim.SimUsbBackend):
    add_listener = None  # type: ignore[assignment]


def _full_bench(backend: sim.SimUsbBackend) -> None:
    backend.attach(sim.hub(7), "1-1")
    backend.attach(sim.hub(7), "1-2")
    for n in range(1, 8):
        backend.attach(sim.iphone(f"00008030-0000000000000{n:03d}"), f"1-1.{n}")
        backend.attach(sim.pixel(f"PIXEL{n:04d}"), f"1-2.{n}")


def _latencies(backend: sim.SimUsbBackend) -> list[float]:
    _full_bench(backend)
    backend.detach("1-1.7")
    received: queue.Queue[tuple[float, UsbEvent]] = queue.Queue()
    times: list[float] = []
    with HotplugMonitor(backend, lambda e: received.put((time.perf_counter(), e)), report_present=False):
        for n in range(ROUNDS):
            start = time.perf_counter()
            if n % 2 == 0:
                backend.attach(sim.iphone("00008030-0000000000000999"), "1-1.7")
            else:
                backend.detach("1-1.7")
            at, _event = received.get(timeout=10)
            times.append(at - start)
    return times


def _row(name: str, figure: str, target: str, ratio: str) -> None:
    print(f"  {name:<52} {figure:>12}  {target:>10}  {ratio:>7}")


def test_usb_and_serial_figures(record: Recorder) -> None:
    backend = sim.SimUsbBackend()
    _full_bench(backend)
    scans = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        read_sightings(backend)
        scans.append(time.perf_counter() - start)
    notified = _latencies(sim.SimUsbBackend())
    polled = _latencies(_PollOnly())

    with SimulatedUmMeter(MeterModel.UM25C, currents=[1.0]) as meter_sim, UsbMeter(meter_sim.port) as meter:
        reads = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            meter.read()
            reads.append(time.perf_counter() - start)
    with SimulatedScanner() as scanner_sim, SerialScanner(scanner_sim.port, timeout=0.01) as scanner:
        scan_times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            scanner_sim.scan("356938035643809")
            while not scanner.read_events():
                pass
            scan_times.append(time.perf_counter() - start)

    print(f"\nUSB bench and serial instruments (median of {ROUNDS}; simulated tree and pty devices)")
    _row("benchmark", "figure", "target", "ratio")
    scan_ms = statistics.median(scans) * 1000
    _row("read_sightings, 14 phones on 2 hubs (pyusb)", f"{scan_ms:.2f}ms", "< 100ms", f"{scan_ms / 100:.2f}")
    record("read_sightings, 14 phones on 2 hubs (pyusb)", scan_ms, "ms", 100.0)
    for name, values in (("hotplug event latency, notified", notified), ("hotplug event latency, polled", polled)):
        median, worst = statistics.median(values) * 1000, max(values) * 1000
        _row(f"{name} (median)", f"{median:.1f}ms", "< 500ms", f"{median / 500:.2f}")
        _row(f"{name} (worst)", f"{worst:.1f}ms", "< 500ms", f"{worst / 500:.2f}")
        record(f"{name} (median)", median, "ms", 500.0)
        record(f"{name} (worst)", worst, "ms", 500.0)
    read_ms = statistics.median(reads) * 1000
    _row("UM25C record round trip (pyserial, pty)", f"{read_ms:.2f}ms", "< 100ms", f"{read_ms / 100:.2f}")
    wire_ms = (1 + RECORD_LENGTH) * 10 / BAUDRATE * 1000  # 8N1: 10 bits a byte; the pty does not pace bytes
    _row("UM record on the real 9600 baud link (computed)", f"{wire_ms:.0f}ms", "< 500ms", f"{wire_ms / 500:.2f}")
    record("UM25C record round trip (pyserial, pty)", read_ms, "ms", 100.0)
    scan_ms = statistics.median(scan_times) * 1000
    _row("scanner line -> ScanEvent (pyserial, pty)", f"{scan_ms:.2f}ms", "< 50ms", f"{scan_ms / 50:.2f}")
    record("scanner line -> ScanEvent (pyserial, pty)", scan_ms, "ms", 50.0)

"""Android driver figures (run with `make bench`; printed, never asserted against time).

A full inspection (identity with IMEIs, battery, locks, six probes: about 20 adb exchanges per phone) of one
simulated phone, then of 16 at once (one worker each, as the station's supervisors run them). The target is that 16
phones take under twice as long as one: the station waits on the phones, not on itself.
"""

from __future__ import annotations

import statistics
import time

from drivers.android import AndroidBench, iter_inspections
from drivers.sim.android import serve_androids
from tests.benchmarks.figures import Recorder

ROUNDS = 5
PHONES = 16


def _median_seconds(bench: AndroidBench, serials: list[str]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        results = iter_inspections(bench, serials, workers=len(serials))
        times.append(time.perf_counter() - start)
        problems = [problem for result in results for problem in result.problems]
        assert problems == [], problems  # a figure from failed inspections would mean nothing
    return statistics.median(times)


def test_sixteen_phones_at_once_vs_one(record: Recorder) -> None:
    with serve_androids(PHONES) as sim:
        bench = AndroidBench(port=sim.port)
        serials = [phone.serial for phone in sim.server.phones]
        iter_inspections(bench, serials[:1])  # warm-up: imports, templates, first connections
        one = _median_seconds(bench, serials[:1])
        many = _median_seconds(bench, serials)
        commands = len(sim.server.phone(serials[0]).commands) // (2 * ROUNDS + 1)
    ratio = many / one
    print(
        f"\nAndroid: full inspection over adb (median of {ROUNDS} rounds, simulated adb server, ~{commands} shell "
        "commands per phone)"
    )
    print(f"  {'benchmark':<52} {'figure':>10}  {'target':>8}  {'ratio':>7}")
    print(f"  {'1 phone':<52} {one * 1000:>8.1f}ms")
    print(f"  {f'{PHONES} phones at once':<52} {many * 1000:>8.1f}ms")
    print(f"  {f'{PHONES} phones / 1 phone':<52} {ratio:>9.2f}x  {'< 2x':>8}  {ratio / 2:>7.2f}")
    record("full inspection over adb, 1 phone", one * 1000, "ms")
    record(
        f"full inspection over adb, {PHONES} phones at once",
        many * 1000,
        "ms",
        2 * one * 1000,
        one * 1000,
        peer_name="1 phone",
    )


def test_identity_through_the_modem_port(record: Recorder) -> None:
    """The fallback for a phone adb cannot read: AT+DEVCONINFO and AT+CGSN over a pty with the real pyserial."""
    from drivers.android.modem import ModemPort, read_modem_identity
    from drivers.sim.samsung_modem import SamsungModemSim

    with SamsungModemSim(model="SM-G991B", serial="R5CR0000001", imei="354118120000007") as modem:
        port = ModemPort(modem.port, "R5CR0000001", "benchmark")
        read_modem_identity(port)  # warm-up
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            identity = read_modem_identity(port)
            times.append(time.perf_counter() - start)
            assert identity.identity.imeis == ("354118120000007",)
    median = statistics.median(times)
    print(f"  {'identity through the Samsung modem port (pty)':<52} {median * 1000:>8.1f}ms")
    record("identity through the Samsung modem port", median * 1000, "ms")

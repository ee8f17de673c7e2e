"""Faults: no adb server (and never starting one), a phone unplugged mid-command, garbage output, a hung shell,
an unauthorised phone. Each is a clear error for that phone; the other phones are not disturbed."""

from __future__ import annotations

import gc
from pathlib import Path

import adbutils
import pytest

from audit.readings import LockState, TestOutcome
from drivers.android import AndroidBench, iter_inspections
from drivers.android.errors import (
    AdbProtocolError,
    AdbServerMissing,
    CommandTimeout,
    DeviceGone,
    DeviceNotFound,
    DeviceNotReady,
)
from drivers.sim.android import unused_port
from tests.android.conftest import SimFactory, bench_for, phone

# --- the adb server


# adbutils leaves its failed sockets to the garbage collector; collected here, inside this test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_plain_adbutils_would_start_an_adb_server(adb_tripwire: Path) -> None:
    """The hazard the driver guards against is real: adbutils runs `adb start-server` when nothing answers."""
    with pytest.raises(adbutils.AdbError):
        adbutils.AdbClient(host="127.0.0.1", port=unused_port()).server_version()
    gc.collect()
    assert adb_tripwire.read_text(encoding="utf-8").strip() == "start-server"
    adb_tripwire.unlink()  # expected here; the fixture fails any other test that runs adb


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda bench: bench.devices(), id="devices"),
        pytest.param(lambda bench: bench.server_version(), id="version"),
        pytest.param(lambda bench: bench.phone("R5CR20A1B2C").shell("echo hi"), id="shell"),
        pytest.param(lambda bench: bench.track(), id="track"),
    ],
)
def test_missing_server_is_a_clear_error_and_no_adb_is_started(call: object) -> None:
    port = unused_port()
    bench = AndroidBench(port=port, timeout=2.0)
    with pytest.raises(AdbServerMissing, match=f"no adb server answers on 127.0.0.1:{port}"):
        call(bench)  # type: ignore[operator]
    # the autouse tripwire fixture fails this test if adb was run


def test_port_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", "15099")
    assert AndroidBench().address == ("127.0.0.1", 15099)
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", "adb")
    with pytest.raises(AdbServerMissing, match="not a port number"):
        AndroidBench()


def test_server_killed_mid_session(make_sim: SimFactory) -> None:
    server = make_sim(phone())
    bench = bench_for(server)
    assert len(bench.devices()) == 1
    server.kill()
    with pytest.raises(AdbServerMissing):
        bench.phone("R5CR20A1B2C").inspect()


# --- one phone's fault


def test_unplugged_mid_command_interrupts_only_that_phone(make_sim: SimFactory) -> None:
    faulty = phone("R5CR00000001", unplug_on="dumpsys battery")
    healthy = [phone(f"R5CR0000000{index}") for index in range(2, 5)]
    server = make_sim(faulty, *healthy)
    results = {result.serial: result for result in iter_inspections(bench_for(server), [faulty.serial] +
                                                                      [p.serial for p in healthy])}  # fmt: skip
    interrupted = results[faulty.serial]
    assert (interrupted.interrupted, interrupted.state) == (True, "absent")
    assert interrupted.identity is not None  # what was read before the unplug is kept
    assert interrupted.battery is None
    assert interrupted.locks is None
    assert "went away" in interrupted.problems[0]
    for other in healthy:
        assert (results[other.serial].problems, results[other.serial].interrupted) == ((), False)
    assert [device.serial for device in bench_for(server).devices()] == [p.serial for p in healthy]


@pytest.mark.parametrize("v2", [pytest.param(True, id="shell-v2"), pytest.param(False, id="shell-v1")])
def test_truncated_output_is_not_taken_as_complete(make_sim: SimFactory, v2: bool) -> None:
    server = make_sim(phone(unplug_on="dumpsys account"))
    android = bench_for(server).phone("R5CR20A1B2C")
    if not v2:
        android._device._features = {"cmd"}  # a phone whose adbd predates shell v2 (Android 6 and older)
    with pytest.raises(DeviceGone, match="went away"):
        android.shell("dumpsys account")


def test_hung_shell_times_out_and_others_carry_on(make_sim: SimFactory) -> None:
    hung = phone("R5CR00000001", hang_on="dumpsys account")
    others = [phone(f"R5CR0000000{index}") for index in range(2, 4)]
    server = make_sim(hung, *others)
    bench = AndroidBench(port=server.port, timeout=0.5)
    with pytest.raises(CommandTimeout, match="no answer in time"):
        bench.phone(hung.serial).shell("dumpsys account")
    results = {result.serial: result for result in iter_inspections(bench, [p.serial for p in (hung, *others)])}
    locks = results[hung.serial].locks
    assert locks is not None
    assert (locks.google_frp.state, locks.samsung.state) == (LockState.UNKNOWN, LockState.UNKNOWN)
    assert "no answer in time" in locks.google_frp.evidence
    assert results[hung.serial].battery is not None  # the rest of the inspection went on
    for other in others:
        other_locks = results[other.serial].locks
        assert other_locks is not None
        assert other_locks.google_frp.state is LockState.OFF


def test_garbage_everywhere_never_becomes_a_reading(make_sim: SimFactory) -> None:
    server = make_sim(phone("R5CR00000001", garbage_on="*"), phone("R5CR00000002"))
    results = {r.serial: r for r in iter_inspections(bench_for(server), ["R5CR00000001", "R5CR00000002"])}
    noisy = results["R5CR00000001"]
    assert noisy.identity is None
    assert noisy.battery is None
    assert any("getprop printed no ro.product.model" in problem for problem in noisy.problems)
    assert noisy.locks is not None
    assert {check.state for _, check in noisy.locks.items()} <= {LockState.UNKNOWN, LockState.NOT_APPLICABLE}
    assert {probe.outcome for probe in noisy.probes} == {TestOutcome.SKIPPED}
    assert results["R5CR00000002"].problems == ()


def test_garbage_battery_dump_is_an_error_not_a_battery(make_sim: SimFactory) -> None:
    server = make_sim(phone(garbage_on="dumpsys battery"))
    with pytest.raises(AdbProtocolError, match="no battery state"):
        bench_for(server).phone("R5CR20A1B2C").battery()


@pytest.mark.parametrize(
    ("state", "words"),
    [
        pytest.param("unauthorized", "unauthorized", id="unauthorized"),
        pytest.param("offline", "offline", id="offline"),
        pytest.param("sideload", "sideload", id="sideload"),
    ],
)
def test_phone_not_ready(make_sim: SimFactory, state: str, words: str) -> None:
    server = make_sim(phone(state=state))
    android = bench_for(server).phone("R5CR20A1B2C")
    with pytest.raises(DeviceNotReady, match=words) as caught:
        android.shell("getprop")
    assert caught.value.state == state
    assert caught.value.serial == "R5CR20A1B2C"
    inspection = android.inspect()
    assert (inspection.interrupted, inspection.state) == (True, state)


def test_unknown_serial(make_sim: SimFactory) -> None:
    server = make_sim(phone())
    with pytest.raises(DeviceNotFound) as caught:
        bench_for(server).phone("NOPE").shell("getprop")
    assert caught.value.serial == "NOPE"
    assert "not found" in caught.value.raw


def test_unplugged_between_commands_interrupts_the_inspection(make_sim: SimFactory) -> None:
    server = make_sim(phone())
    android = bench_for(server).phone("R5CR20A1B2C")
    server.unplug("R5CR20A1B2C")
    inspection = android.inspect()
    assert (inspection.interrupted, inspection.state, inspection.identity) == (True, "absent", None)
    assert "does not see this phone" in inspection.problems[0]

"""Identity through a Samsung phone's modem port when adb cannot read it: the real adbutils against the adb
simulator and the real pyserial against the pty modem simulator, with the port matched to its phone by the
environment (as ``sim serve`` prints it), by ``--modem`` or by USB serial number (pyserial's own port records)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from serial.tools.list_ports_common import ListPortInfo

from drivers.android import AndroidBench
from drivers.android.errors import DeviceNotFound, DeviceNotReady
from drivers.android.modem import MODEMS_ENV, ModemLocator, ModemPort, parse_modem_map
from drivers.sim import android as android_sim
from tests.android.conftest import SAMSUNG_IMEI, ModemFactory, SimFactory, bench_for, phone

SERIAL = "R5CR20A1B2C"


def test_an_unauthorised_samsung_is_identified_by_its_modem(make_sim: SimFactory, make_modem: ModemFactory) -> None:
    sim_phone = phone(SERIAL)
    server = make_sim(sim_phone)
    with bench_for(server).phone(SERIAL) as authorised:
        by_adb = authorised.identity()
    server.set_state(SERIAL, "unauthorized")
    make_modem(sim_phone)
    with bench_for(server).phone(SERIAL) as unauthorised:
        by_modem = unauthorised.identity()
    assert by_modem.via.startswith("modem /dev/")
    # the same phone, the same identity: serial from the box (ril.serialnumber / SN()), IMEI, model number
    same = ("serial", "imeis", "model_number", "make", "model")
    assert [getattr(by_modem.identity, name) for name in same] == [getattr(by_adb.identity, name) for name in same]
    assert by_modem.identity.hardware_id == SERIAL
    assert (by_modem.identity.source or "").startswith("modem /dev/")
    assert by_adb.identity.source is None  # the usual way needs no note
    sources = dict(by_modem.sources)
    assert sources["serial"] == "modem AT+DEVCONINFO SN()"
    assert sources["model_number"] == "modem AT+DEVCONINFO MN()"
    assert sources[f"imei {SAMSUNG_IMEI}"] == "modem AT+DEVCONINFO IMEI(), confirmed by AT+CGSN"
    assert MODEMS_ENV in sources["port"]
    assert (by_modem.android_version, by_modem.sdk, by_modem.identity.storage_bytes) == (None, None, None)


def test_inspecting_an_unauthorised_samsung_gives_its_identity_and_asks_for_usb_debugging(
    make_sim: SimFactory, make_modem: ModemFactory
) -> None:
    sim_phone = phone(SERIAL, state="unauthorized")
    server = make_sim(sim_phone)
    modem = make_modem(sim_phone)
    with bench_for(server).phone(SERIAL) as unauthorised:
        inspection = unauthorised.inspect()
    assert inspection.identity is not None
    assert inspection.identity.identity.imeis == (SAMSUNG_IMEI,)
    assert (inspection.state, inspection.interrupted) == ("unauthorized", False)
    assert (inspection.battery, inspection.locks, inspection.probes) == (None, None, ())
    assert any("allow USB debugging" in problem for problem in inspection.problems)
    assert sim_phone.commands == []  # adb ran nothing on the phone: it was never authorised
    assert modem.received.count(b"\r") == 2  # AT+DEVCONINFO and AT+CGSN, once each


def test_a_samsung_that_adb_does_not_list_is_identified_by_its_modem(
    make_sim: SimFactory, make_modem: ModemFactory
) -> None:
    sim_phone = phone(SERIAL)
    server = make_sim()  # USB debugging off: the adb server does not see the phone at all
    make_modem(sim_phone)
    with bench_for(server).phone(SERIAL) as absent:
        identity = absent.identity()
    assert identity.identity.imeis == (SAMSUNG_IMEI,)
    assert identity.via.startswith("modem ")


def test_without_a_modem_port_the_adb_error_stands(make_sim: SimFactory) -> None:
    server = make_sim(phone(SERIAL, state="unauthorized"))
    with bench_for(server).phone(SERIAL) as unauthorised:
        with pytest.raises(DeviceNotReady) as caught:
            unauthorised.identity()
        assert caught.value.state == "unauthorized"
        assert unauthorised.inspect().interrupted


@pytest.mark.parametrize(
    "state",
    [pytest.param("offline", id="offline"), pytest.param("sideload", id="sideload")],
)
def test_states_where_the_modem_is_not_asked(make_sim: SimFactory, make_modem: ModemFactory, state: str) -> None:
    sim_phone = phone(SERIAL, state=state)
    server = make_sim(sim_phone)
    modem = make_modem(sim_phone)
    with bench_for(server).phone(SERIAL) as phone_, pytest.raises(DeviceNotReady):
        phone_.identity()
    assert modem.received == bytearray()


def test_a_busy_modem_is_retried_during_the_fallback(make_sim: SimFactory, make_modem: ModemFactory) -> None:
    sim_phone = phone(SERIAL, state="unauthorized")
    server = make_sim(sim_phone)
    modem = make_modem(sim_phone, busy=2)  # still starting: BUSY twice, then answers
    with bench_for(server).phone(SERIAL) as unauthorised:
        identity = unauthorised.identity()
    assert identity.identity.imeis == (SAMSUNG_IMEI,)
    assert modem.received.count(b"AT+DEVCONINFO\r") == 3


@pytest.mark.parametrize(
    ("fault", "problem"),
    [
        pytest.param({"silent": True}, "no complete answer to AT+DEVCONINFO", id="silent"),
        pytest.param({"garble": True}, "no complete answer to AT+DEVCONINFO", id="garbage"),
        pytest.param({"busy": 1000}, "still BUSY", id="busy-for-ever"),
        pytest.param({"model": ""}, "named no model", id="no-model"),
    ],
)
def test_a_modem_that_gives_nothing_leaves_the_adb_error_and_says_why(
    make_sim: SimFactory, make_modem: ModemFactory, fault: dict[str, object], problem: str
) -> None:
    sim_phone = phone(SERIAL, state="unauthorized")
    server = make_sim(sim_phone)
    make_modem(sim_phone, **fault)
    bench = AndroidBench(port=server.port, timeout=0.5)  # the fallback's AT timeout follows the bench's
    with bench.phone(SERIAL) as unauthorised:
        inspection = unauthorised.inspect()
    assert inspection.identity is None
    assert inspection.interrupted
    assert any(text.startswith("modem port:") and problem in text for text in inspection.problems)


def test_a_missing_modem_port_is_a_problem_not_a_crash(make_sim: SimFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_sim(phone(SERIAL, state="unauthorized"))
    monkeypatch.setenv(MODEMS_ENV, f"{SERIAL}=/dev/does-not-exist-ttyACM7")
    with bench_for(server).phone(SERIAL) as unauthorised:
        inspection = unauthorised.inspect()
    assert any("cannot open the modem port" in text for text in inspection.problems)


def test_the_simulated_bench_names_each_modem_port_s_phone() -> None:
    with android_sim.serve_androids(4, modems=True) as bench:
        environment = bench.environment
        assert android_sim.MODEMS_ENV == MODEMS_ENV
        mapping = parse_modem_map(environment[MODEMS_ENV])
        samsung = [p.serial for p in bench.server.phones if p.profile == "samsung"]
        assert sorted(mapping) == sorted(samsung)
        assert len(samsung) == 2
        bench.server.set_state(samsung[1], "unauthorized")
        modems = ModemLocator.from_environment(environment)
        android = AndroidBench(port=bench.port, timeout=2.0, modems=modems)
        with android.phone(samsung[1]) as unauthorised:
            identity = unauthorised.identity()
        expected = next(p for p in bench.server.phones if p.serial == samsung[1])
        assert identity.identity.imeis == (expected.imei,)


# --- matching a port to its phone


def _usb_port(device: str, vid: int | None, serial: str | None, pid: int = 0x6860) -> ListPortInfo:
    """A port record as pyserial's list_ports builds it from sysfs (its own class, filled as on Linux)."""
    info = ListPortInfo(device, skip_link_detection=True)
    info.vid, info.pid, info.serial_number = vid, (pid if vid else None), serial
    return info


@pytest.mark.parametrize(
    ("ports", "expected"),
    [
        pytest.param([_usb_port("/dev/ttyACM0", 0x04E8, SERIAL)], "/dev/ttyACM0", id="samsung-match"),
        pytest.param(
            [_usb_port("/dev/ttyACM0", 0x04E8, "R5CROTHER01"), _usb_port("/dev/ttyACM1", 0x04E8, SERIAL)],
            "/dev/ttyACM1",
            id="second-of-two",
        ),
        pytest.param([_usb_port("/dev/ttyACM0", 0x2341, SERIAL)], None, id="not-samsung"),
        pytest.param([_usb_port("/dev/ttyS0", None, None)], None, id="built-in-uart"),
        pytest.param([_usb_port("/dev/ttyACM0", 0x04E8, None)], None, id="no-usb-serial"),
        pytest.param([], None, id="no-ports"),
    ],
)
def test_usb_port_matching(ports: list[ListPortInfo], expected: str | None) -> None:
    found = ModemLocator(listing=lambda: ports).find(SERIAL)
    assert (found.port if found else None) == expected
    if found:
        assert found.found_by == f"USB 04e8:6860 serial {SERIAL}"


def test_given_port_wins_over_environment_and_usb() -> None:
    usb = [_usb_port("/dev/ttyACM0", 0x04E8, SERIAL)]
    locator = ModemLocator({SERIAL: "/dev/pts/9"}, listing=lambda: usb)
    assert locator.find(SERIAL) == ModemPort("/dev/pts/9", SERIAL, MODEMS_ENV)
    assert locator.with_port(SERIAL, "/dev/ttyUSB3").find(SERIAL) == ModemPort("/dev/ttyUSB3", SERIAL, "--modem")
    assert [port.port for port in locator.ports()] == ["/dev/pts/9", "/dev/ttyACM0"]


def test_an_unreadable_port_list_is_no_modem() -> None:
    def broken() -> list[ListPortInfo]:
        raise PermissionError("/sys/class/tty")

    assert ModemLocator(listing=broken).find(SERIAL) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", {}, id="empty"),
        pytest.param("R5C1=/dev/pts/3", {"R5C1": "/dev/pts/3"}, id="one"),
        pytest.param(" R5C1 = /dev/pts/3 , R5C2=/dev/pts/4 ", {"R5C1": "/dev/pts/3", "R5C2": "/dev/pts/4"}, id="two"),
        pytest.param("R5C1=/dev/pts/3,junk,=x,y=", {"R5C1": "/dev/pts/3"}, id="malformed-ignored"),
    ],
)
def test_modem_map(text: str, expected: dict[str, str]) -> None:
    assert parse_modem_map(text) == expected


@given(st.text())
def test_modem_map_never_crashes(text: str) -> None:
    assert all(key and value for key, value in parse_modem_map(text).items())


def test_unused_is_not_found(make_sim: SimFactory) -> None:
    server = make_sim()
    with bench_for(server).phone(SERIAL) as absent, pytest.raises(DeviceNotFound):
        absent.identity()

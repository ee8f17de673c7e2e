"""The Samsung modem port on the real pyserial against the pty modem simulator: identity, BUSY, timeouts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.peripherals.samsung_at import (
    ModemBusy,
    ModemCommandError,
    ModemTimeout,
    SamsungModem,
    SamsungModemError,
    parse_cgsn,
    parse_devconinfo,
)
from drivers.sim.android import serve_androids
from drivers.sim.samsung_modem import SamsungModemSim
from tests.android.conftest import SAMSUNG_IMEI


def modem_sim(**fields: object) -> SamsungModemSim:
    values: dict[str, object] = {"model": "SM-G991B", "serial": "R5CR1234ABC", "imei": SAMSUNG_IMEI}
    values.update(fields)
    return SamsungModemSim(**values)  # type: ignore[arg-type]


def test_identity_from_devconinfo_confirmed_by_cgsn() -> None:
    with modem_sim() as sim, SamsungModem(sim.port, timeout=2.0) as modem:
        identity = modem.identity()
    assert (identity.model, identity.serial, identity.firmware) == ("SM-G991B", "R5CR1234ABC", "G991BXXSHHXK1")
    assert identity.valid_imeis == (SAMSUNG_IMEI,)
    assert identity.imeis[0].source == "modem AT+DEVCONINFO IMEI(), confirmed by AT+CGSN"
    assert sim.received.count(b"\r") == 2  # one command each, no retries


def test_invalid_imei_is_reported_not_used() -> None:
    with modem_sim(imei="354118120000008") as sim, SamsungModem(sim.port, timeout=2.0) as modem:
        identity = modem.identity()
    assert identity.valid_imeis == ()
    assert [(reading.value, reading.luhn_valid) for reading in identity.imeis] == [("354118120000008", False)]


def test_busy_is_retried() -> None:
    with modem_sim(busy=2) as sim, SamsungModem(sim.port, timeout=2.0, busy_delay=0.01) as modem:
        assert modem.command("AT+GMM") == ["SM-G991B"]
    assert sim.received.count(b"AT+GMM\r") == 3


def test_busy_for_ever_gives_up() -> None:
    with (
        modem_sim(busy=100) as sim,
        SamsungModem(sim.port, timeout=2.0, busy_retries=2, busy_delay=0.01) as modem,
        pytest.raises(ModemBusy, match="still BUSY after 3 attempts"),
    ):
        modem.command("AT+CGSN")


@pytest.mark.parametrize(
    ("fault", "error"),
    [pytest.param("silent", ModemTimeout, id="silent"), pytest.param("garble", ModemTimeout, id="garbled")],
)
def test_a_port_that_does_not_answer_properly_times_out(fault: str, error: type[SamsungModemError]) -> None:
    with modem_sim() as sim, SamsungModem(sim.port, timeout=0.3) as modem:
        setattr(sim, fault, True)
        with pytest.raises(error) as caught:
            modem.identity()
    assert caught.value.port == sim.port


def test_error_answer() -> None:
    with (
        modem_sim() as sim,
        SamsungModem(sim.port, timeout=2.0) as modem,
        pytest.raises(ModemCommandError, match=r"AT\+FOO answered ERROR"),
    ):
        modem.command("AT+FOO")


def test_missing_port() -> None:
    with pytest.raises(SamsungModemError, match="cannot open the modem port"):
        SamsungModem("/dev/does-not-exist-ttyACM9").open()


def test_bench_serves_one_modem_per_samsung_phone() -> None:
    with serve_androids(3, modems=True) as bench:
        samsung = [phone for phone in bench.server.phones if phone.profile == "samsung"]
        assert len(bench.modems) == len(samsung) == 1
        with SamsungModem(bench.modems[0], timeout=2.0) as modem:
            identity = modem.identity()
        assert identity.valid_imeis == (samsung[0].imei,)
        assert bench.environment["ANDROID_ADB_SERVER_PORT"] == str(bench.port)


@pytest.mark.parametrize(
    ("lines", "imei"),
    [pytest.param([SAMSUNG_IMEI], SAMSUNG_IMEI, id="bare"), pytest.param([f'+CGSN: "{SAMSUNG_IMEI}"'], SAMSUNG_IMEI,
     id="quoted"), pytest.param(["+CME ERROR: 10"], None, id="error")],
)  # fmt: skip
def test_cgsn_forms(lines: list[str], imei: str | None) -> None:
    assert parse_cgsn(lines) == imei


@given(st.text())
def test_devconinfo_parser_never_crashes(text: str) -> None:
    fields = parse_devconinfo(text)
    assert all(isinstance(value, str) for value in fields.values())

"""`refurb-station android modem PORT` and the modem fallback of `android inspect` / `android list`, text and --json,
on the real pyserial against the pty modem simulator and the real adbutils against the adb simulator."""

from __future__ import annotations

import json

import pytest

from app.cli import EXIT_FAILED, EXIT_OK, CommandError
from tests.android.conftest import SAMSUNG_IMEI, ModemFactory, SimFactory, phone
from tests.android.test_commands import run

SERIAL = "R5CR20A1B2C"


def test_modem_text(make_modem: ModemFactory, capsys: pytest.CaptureFixture[str]) -> None:
    modem = make_modem(phone(SERIAL), announce=False)
    status, out = run(capsys, "android", "modem", modem.port)
    assert status == EXIT_OK
    assert "Samsung Galaxy S21 5G [SM-G991B]" in out
    assert f"IMEI         {SAMSUNG_IMEI} valid  [modem AT+DEVCONINFO IMEI(), confirmed by AT+CGSN]" in out
    assert "firmware     G991BXXSHHXK1" in out
    assert "SN           R5C" in out  # the modem's own fields, as it said them


def test_modem_json(make_modem: ModemFactory, capsys: pytest.CaptureFixture[str]) -> None:
    modem = make_modem(phone(SERIAL, imei="354118120000008"), announce=False)  # Luhn-invalid on purpose
    status, out = run(capsys, "android", "modem", modem.port, "--json")
    document = json.loads(out)
    assert status == EXIT_OK
    assert document["devconinfo"]["MN"] == "SM-G991B"
    assert document["identity"]["identity"]["imeis"] == []
    assert document["identity"]["imeis"][0]["luhn_valid"] is False
    assert document["identity"]["via"] == f"modem {modem.port}"
    assert set(document["answers"]) == {"AT+DEVCONINFO", "AT+CGSN"}


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        pytest.param({"silent": True}, "no complete answer", id="silent"),
        pytest.param({"busy": 1000}, "still BUSY", id="busy"),
    ],
)
def test_modem_faults_are_one_line(
    make_modem: ModemFactory, capsys: pytest.CaptureFixture[str], fault: dict[str, object], message: str
) -> None:
    modem = make_modem(phone(SERIAL), announce=False, **fault)
    with pytest.raises(CommandError, match=message):
        run(capsys, "android", "modem", modem.port, "--timeout", "0.3")


def test_modem_missing_port(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError, match="cannot open the modem port"):
        run(capsys, "android", "modem", "/dev/does-not-exist-ttyACM9")


def test_inspect_unauthorised_with_modem_option(
    make_sim: SimFactory, make_modem: ModemFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    sim_phone = phone(SERIAL, state="unauthorized")
    make_sim(sim_phone)
    modem = make_modem(sim_phone, announce=False)
    status, out = run(capsys, "android", "inspect", SERIAL, "--modem", modem.port)
    assert status == EXIT_FAILED  # only the identity: the inspection is not done
    assert f"port from    {modem.port} (--modem)" in out
    assert "serial from  modem AT+DEVCONINFO SN()" in out
    assert f"IMEI         {SAMSUNG_IMEI} valid" in out
    assert "IDENTITY ONLY: read from the modem" in out
    assert "INTERRUPTED" not in out


def test_inspect_unauthorised_without_modem_is_refused(
    make_sim: SimFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    make_sim(phone(SERIAL, state="unauthorized"))
    with pytest.raises(CommandError, match="accept the USB debugging prompt"):
        run(capsys, "android", "inspect", SERIAL)


def test_inspect_json_from_the_environment(
    make_sim: SimFactory, make_modem: ModemFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    make_sim()  # adb does not list the phone (USB debugging off)
    make_modem(phone(SERIAL))
    status, out = run(capsys, "android", "inspect", SERIAL, "--json")
    record = json.loads(out)
    assert status == EXIT_FAILED
    assert record["identity"]["identity"]["imeis"] == [SAMSUNG_IMEI]
    assert record["identity"]["via"].startswith("modem /dev/")
    assert record["battery"] is None
    assert record["interrupted"] is False


def test_list_shows_a_phone_only_its_modem_sees(
    make_sim: SimFactory, make_modem: ModemFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    make_sim(phone("3A1XYZ", profile="pixel"))
    modem = make_modem(phone(SERIAL))
    status, out = run(capsys, "android", "list", "--json")
    rows = {row["serial"]: row for row in json.loads(out)}
    assert status == EXIT_OK
    assert rows["3A1XYZ"]["state"] == "device"
    assert rows[SERIAL]["state"] == "modem only"
    assert rows[SERIAL]["modem"]["port"] == modem.port

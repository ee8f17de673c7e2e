"""`refurb-station android list` / `android inspect SERIAL` handlers, on the simulated bench, text and --json.

The handlers are called through their own argument parser (the module is listed in app.commands.MODULES by the
lead); the adb server comes from ANDROID_ADB_SERVER_PORT as the station's users set it.
"""

from __future__ import annotations

import argparse
import json

import pytest

from app.cli import EXIT_FAILED, EXIT_OK, CommandError
from app.commands import android as android_commands
from tests.android.conftest import SAMSUNG_IMEI, SimFactory, phone


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="refurb-station")
    android_commands.add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    status = args.handler(None, args)  # the handlers need no database
    return status, capsys.readouterr().out


def test_list_text(make_sim: SimFactory, capsys: pytest.CaptureFixture[str]) -> None:
    make_sim(phone("R5CR20A1B2C"), phone("3A1XYZ", profile="pixel", state="unauthorized"))
    status, out = run(capsys, "android", "list")
    lines = out.splitlines()
    assert status == EXIT_OK
    assert lines[0].split() == ["R5CR20A1B2C", "SM-G991B", "device"]
    assert lines[1].startswith("3A1XYZ")
    assert "accept the USB debugging prompt" in lines[1]


def test_list_json(make_sim: SimFactory, capsys: pytest.CaptureFixture[str]) -> None:
    make_sim(phone("R5CR20A1B2C", state="recovery"))
    status, out = run(capsys, "android", "list", "--json")
    assert status == EXIT_OK
    [row] = json.loads(out)
    assert (row["serial"], row["state"], row["transport_id"]) == ("R5CR20A1B2C", "recovery", 1)
    assert "recovery mode" in row["message"]


def test_list_honours_an_explicit_port(make_sim: SimFactory, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    server = make_sim(phone("R5CR20A1B2C"))
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", "1")  # wrong on purpose: --adb-port wins
    status, out = run(capsys, "android", "list", "--adb-port", str(server.port))
    assert status == EXIT_OK
    assert out.startswith("R5CR20A1B2C")


def test_list_without_a_server_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError, match=r"no adb server answers on 127\.0\.0\.1:"):
        run(capsys, "android", "list")


def test_inspect_text(make_sim: SimFactory, capsys: pytest.CaptureFixture[str]) -> None:
    make_sim(phone("R5CR20A1B2C", accounts=[("ana@gmail.com", "com.google")]))
    status, out = run(capsys, "android", "inspect", "R5CR20A1B2C")
    assert status == EXIT_OK
    assert "Samsung Galaxy S21 5G [SM-G991B]" in out
    assert f"IMEI         {SAMSUNG_IMEI} valid" in out
    assert "health 91.0 %, cycles 143" in out
    assert "lock google_frp  on" in out
    assert "a***@gmail.com" in out
    assert "probe wifi" in out


def test_inspect_json_shows_an_invalid_imei_as_invalid(
    make_sim: SimFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    make_sim(phone("R5CR20A1B2C", imei="354118120000008"))
    status, out = run(capsys, "android", "inspect", "R5CR20A1B2C", "--json")
    record = json.loads(out)
    assert status == EXIT_OK
    assert record["identity"]["identity"]["imeis"] == []
    assert record["identity"]["imeis"] == [
        {"value": "354118120000008", "source": record["identity"]["imeis"][0]["source"], "luhn_valid": False}
    ]
    assert record["battery"]["reading"]["unit"] == "uAh"


@pytest.mark.parametrize(
    ("serial", "state", "message"),
    [pytest.param("NOPE", "device", "no Android phone 'NOPE'", id="unknown"),
     pytest.param("R5CR20A1B2C", "unauthorized", "accept the USB debugging prompt", id="unauthorized")],
)  # fmt: skip
def test_inspect_refusals(make_sim: SimFactory, capsys: pytest.CaptureFixture[str], serial: str, state: str,
                          message: str) -> None:  # fmt: skip
    make_sim(phone("R5CR20A1B2C", state=state))
    with pytest.raises(CommandError, match=message):
        run(capsys, "android", "inspect", serial)


def test_inspect_of_a_phone_pulled_out_fails(make_sim: SimFactory, capsys: pytest.CaptureFixture[str]) -> None:
    make_sim(phone("R5CR20A1B2C", unplug_on="dumpsys account"))
    status, out = run(capsys, "android", "inspect", "R5CR20A1B2C")
    assert status == EXIT_FAILED
    assert "INTERRUPTED" in out

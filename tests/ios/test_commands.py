"""The ``ios`` and ``sim`` command handlers (called directly: the lead lists the modules in app.commands.MODULES)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import CommandError
from app.commands import ios as ios_commands
from app.commands import sim as sim_commands
from app.station import Station, bootstrap
from drivers.ios import IosBench
from drivers.sim.ios import Fault, FaultKind, PairingState, SimIphone
from tests.ios.conftest import SimFactory


@pytest.fixture
def station(sqlite_url: str) -> Iterator[Station]:
    station = bootstrap(sqlite_url, migrate=False)
    yield station
    station.close()


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command")
    ios_commands.add_commands(commands)
    sim_commands.add_commands(commands)
    return parser.parse_args(argv)


def test_list_as_json(make_sim: SimFactory, station: Station, capsys: pytest.CaptureFixture[str]) -> None:
    paired, pending = SimIphone.make(0), SimIphone.make(1, pairing=PairingState.TRUST_PENDING)
    make_sim(paired, pending)
    args = _parse("ios", "list", "--json")
    assert args.handler(station, args) == 0
    rows = {row["udid"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows[paired.udid]["model"] == "iPhone 13"
    assert rows[paired.udid]["pairing"] == "paired"
    assert rows[pending.udid]["pairing"] == "waiting for Trust"
    assert "Trust" in rows[pending.udid]["advice"]
    assert (ios_commands.pair_records_dir(station)).is_dir()  # pair records live in the station's data dir


def test_list_as_text(make_sim: SimFactory, station: Station, capsys: pytest.CaptureFixture[str]) -> None:
    device = SimIphone.make(2)
    make_sim(device)
    args = _parse("ios", "list")
    assert args.handler(station, args) == 0
    out = capsys.readouterr().out
    assert device.udid in out
    assert "iPhone 11" in out


def test_inspect_as_json(make_sim: SimFactory, station: Station, capsys: pytest.CaptureFixture[str]) -> None:
    device = SimIphone.make(0)
    make_sim(device)
    args = _parse("ios", "inspect", device.udid, "--json")
    assert args.handler(station, args) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["identity"]["serial"] == device.serial
    assert record["battery"]["cycle_count"] == (device.battery or {})["CycleCount"]
    assert record["locks"]["icloud"]["state"] == "off"
    assert record["complete"] is True


def test_inspect_as_text_shows_a_failed_step(
    make_sim: SimFactory, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    device = SimIphone.make(0, faults=[Fault("IORegistry", FaultKind.GARBAGE)])
    make_sim(device)
    args = _parse("ios", "inspect", device.udid)
    assert args.handler(station, args) == 1
    out = capsys.readouterr().out
    assert device.serial in out
    assert "error      battery" in out
    assert "icloud" in out


def test_inspect_waits_for_trust_and_says_so(
    make_sim: SimFactory, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    device = SimIphone.make(1, pairing=PairingState.TRUST_PENDING)
    sim = make_sim(device)
    args = _parse("ios", "inspect", device.udid, "--json", "--wait", "10")
    # the technician taps Trust once the dialog is up (a timer thread plays the person; the simulator closes it)
    sim.after(0, lambda: device.trust_dialog_shown.wait(10) and device.tap_trust())
    assert args.handler(station, args) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["identity"]["serial"] == device.serial
    assert f"{device.udid}: waiting for Trust: tap" in captured.err
    assert f"{device.udid}: paired" in captured.err


def test_inspect_without_waiting_reports_the_trust_dialog(
    make_sim: SimFactory, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    device = SimIphone.make(1, pairing=PairingState.TRUST_PENDING)
    make_sim(device)
    args = _parse("ios", "inspect", device.udid, "--wait", "0")
    assert args.handler(station, args) == 1
    out = capsys.readouterr().out
    assert "pairing    waiting for Trust" in out


def test_inspect_unknown_device(make_sim: SimFactory, station: Station) -> None:
    make_sim(SimIphone.make(0))
    args = _parse("ios", "inspect", "nope")
    with pytest.raises(CommandError, match="no iPhone or iPad nope"):
        args.handler(station, args)


def test_usbmuxd_missing_is_one_line(station: Station) -> None:
    args = _parse("ios", "list")
    with pytest.raises(CommandError, match="usbmuxd is not running"):
        args.handler(station, args)


def test_sim_serve_prints_an_address_the_driver_can_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def use_it(environment: dict[str, str]) -> None:
        monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", environment["USBMUXD_SOCKET_ADDRESS"])
        with IosBench(tmp_path / "pairs") as bench:
            seen.extend(device.udid for device in bench.devices())

    args = _parse("sim", "serve", "--iphones", "3")
    assert sim_commands.serve(args, use_it) == 0
    out = capsys.readouterr().out
    assert "export USBMUXD_SOCKET_ADDRESS=" in out
    assert len(seen) == 3
    assert all(udid in out for udid in seen)


@pytest.mark.parametrize("argv", [("sim", "serve"), ("sim", "serve", "--iphones", "-1")], ids=["none", "negative"])
def test_sim_serve_needs_devices(argv: tuple[str, ...]) -> None:
    with pytest.raises(CommandError):
        sim_commands.serve(_parse(*argv))

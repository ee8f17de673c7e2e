"""``refurb-station bays show`` and ``bays learn``: the handlers on the simulated tree, the real pyusb in between."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import EXIT_FAILED, EXIT_OK, CommandError
from app.commands import bays
from drivers.sim import usb as sim
from drivers.usb.topology import Bay, BayAddress, BayMap


@dataclasses.dataclass
class BenchStation:
    """The part of ``app.station.Station`` the bays commands use: where the station keeps its data."""

    data_dir: Path


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="refurb-station")
    bays.add_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(list(argv))


@pytest.fixture
def station(tmp_path: Path) -> Any:
    return BenchStation(tmp_path / "data")


@pytest.fixture
def bench() -> sim.SimUsbBackend:
    return sim.demo_bench()


def show(station: Any, backend: sim.SimUsbBackend, *argv: str, listing_of: Any = bays.not_listed) -> tuple[int, str]:
    lines: list[str] = []
    status = bays.cmd_bays_show(station, parse("bays", "show", *argv), backend_factory=lambda _: backend,
                                listing_of=listing_of, out=lines.append)  # fmt: skip
    return status, "\n".join(lines)


def test_the_parsers_route_to_the_handlers() -> None:
    assert parse("bays", "show", "--json").handler is bays.cmd_bays_show
    assert parse("bays", "learn", "--count", "3").count == 3
    assert parse("bays", "learn").handler is bays.cmd_bays_learn


def test_show_without_a_map_lists_every_port_unassigned(station: Any, bench: sim.SimUsbBackend) -> None:
    status, out = show(station, bench)
    assert status == EXIT_OK
    assert out.splitlines()[0].startswith("no bays learned yet")
    assert "unassigned  1-1.1      iPhone (05ac:12a8) serial 00008030001A2D3E0C38802E  [ios]" in out
    assert "silent: iPhone in recovery mode" in out
    assert "silent: Samsung phone in download mode" in out


def test_show_prints_the_bays_in_order_with_what_sits_in_each(station: Any, bench: sim.SimUsbBackend) -> None:
    BayMap((Bay(1, BayAddress(1, (1, 2))), Bay(2, BayAddress(1, (1, 4))), Bay(3, BayAddress(1, (1, 1))))).save(
        station.data_dir
    )
    status, out = show(station, bench)
    lines = [line for line in out.splitlines() if not line.startswith(" ")]
    assert status == EXIT_OK
    assert lines[0].startswith("Bay 1       1-1.2      Pixel / Nexus (MTP + adb) (18d1:4ee2)")
    assert lines[1] == "Bay 2       1-1.4      empty"
    assert lines[2].startswith("Bay 3       1-1.1      iPhone")
    assert all(line.startswith("unassigned") for line in lines[3:])


def test_show_json_is_the_same_picture_for_machines(station: Any, bench: sim.SimUsbBackend) -> None:
    BayMap((Bay(1, BayAddress(1, (1, 3))),)).save(station.data_dir)
    status, out = show(station, bench, "--json")
    data = json.loads(out)
    assert status == EXIT_OK
    assert data["bay_map"] == {"version": 1, "bays": [{"bay": 1, "port": "1-1.3"}]}
    first = data["placements"][0]
    assert (first["bay"], first["port"], first["device"]["mode"]) == (1, "1-1.3", "samsung modem")
    assert first["device"]["hand_to"] == "at-modem"
    assert "AT commands" in first["device"]["silent_reason"]
    ports = [row["port"] for row in data["placements"]]
    assert ports == ["1-1.3", "1-1.1", "1-1.2", "1-1.5", "1-1.6", "1-1.7", "1-2"]


def test_show_with_driver_listings_marks_silent_only_the_unlisted(station: Any, bench: sim.SimUsbBackend) -> None:
    listing = bays.Listing(frozenset({("ios", "00008030-001A2D3E0C38802E")}))
    status, out = show(station, bench, "--json", listing_of=lambda _station, _args: listing)
    by_port = {row["port"]: row["device"] for row in json.loads(out)["placements"]}
    assert status == EXIT_OK
    assert (by_port["1-1.1"]["listed_by"], by_port["1-1.1"]["silent_reason"]) == ("ios", None)
    assert "adb does not list it" in by_port["1-1.2"]["silent_reason"]


def test_show_simulate_uses_the_simulated_bench(station: Any, capsys: pytest.CaptureFixture[str]) -> None:
    status = bays.cmd_bays_show(station, parse("bays", "show", "--simulate"))
    assert status == EXIT_OK
    out = capsys.readouterr().out
    assert "Samsung Galaxy in download mode (Odin) (04e8:685d)" in out  # the table's name wins over the device's
    assert "Gadget Serial" not in out
    assert bays.usb_backend(parse("bays", "show", "--simulate")).device_at("1-1.6").product_id == 0x685D


def test_a_damaged_map_is_one_clear_error(station: Any, bench: sim.SimUsbBackend) -> None:
    station.data_dir.mkdir(parents=True)
    (station.data_dir / "bays.json").write_text("{")
    with pytest.raises(CommandError, match=r"bay map .* is not JSON"):
        show(station, bench)


def test_learn_walks_the_technician_through_the_ports_and_saves_the_map(station: Any) -> None:
    backend = sim.SimUsbBackend()
    backend.attach(sim.hub(4), "1-1")
    technician = sim.SimulatedTechnician(backend, ["1-1.2", "1-1.1", "1-1.4"], sim.pixel("P1"))
    lines: list[str] = []
    status = bays.cmd_bays_learn(station, parse("bays", "learn", "--count", "3"), backend_factory=lambda _: backend,
                                 on_prompt=technician.plug_for_bay, out=lines.append, interval=0)  # fmt: skip
    assert status == EXIT_OK
    assert lines[:3] == [
        "plug a device into the port of bay 1 of 3",
        "Bay 1 is port 1-1.2",
        "plug a device into the port of bay 2 of 3",
    ]
    assert BayMap.load(station.data_dir) == BayMap(
        (Bay(1, BayAddress(1, (1, 2))), Bay(2, BayAddress(1, (1, 1))), Bay(3, BayAddress(1, (1, 4))))
    )


def test_learn_simulate_runs_with_its_simulated_technician(station: Any) -> None:
    lines: list[str] = []
    status = bays.cmd_bays_learn(station, parse("bays", "learn", "--simulate", "--count", "2"), out=lines.append,
                                 interval=0)  # fmt: skip
    assert status == EXIT_OK
    assert [b.address.label for b in BayMap.load(station.data_dir).bays] == ["1-1.1", "1-1.2"]


def test_learn_that_learns_nothing_keeps_the_old_map(station: Any) -> None:
    BayMap((Bay(1, BayAddress(1, (1, 1))),)).save(station.data_dir)
    backend = sim.SimUsbBackend()
    lines: list[str] = []
    status = bays.cmd_bays_learn(station, parse("bays", "learn", "--timeout", "0"), backend_factory=lambda _: backend,
                                 out=lines.append, interval=0)  # fmt: skip
    assert status == EXIT_FAILED
    assert lines[-1] == "no bay learned: the bay map is unchanged"
    assert BayMap.load(station.data_dir).bays == (Bay(1, BayAddress(1, (1, 1))),)


def test_learn_refuses_a_zero_count(station: Any) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        bays.cmd_bays_learn(station, parse("bays", "learn", "--count", "0"))

"""Bays and placement, read by the real pyusb ``usb.core.find`` from the simulated USB tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import usb.core
import usb.util
from hypothesis import given
from hypothesis import strategies as st

from drivers.sim import usb as sim
from drivers.usb.errors import BayMapError
from drivers.usb.topology import Bay, BayAddress, BayMap, place, read_sightings


@pytest.fixture
def bench() -> sim.SimUsbBackend:
    backend = sim.SimUsbBackend(buses=(1, 2))
    backend.attach(sim.hub(4), "1-1")
    backend.attach(sim.hub(4), "1-1.4")  # a hub chained on the last port: bays three levels deep
    backend.attach(sim.iphone("00008030-001A2D3E0C38802E"), "1-1.1")
    backend.attach(sim.pixel("2A211FDH200ABC"), "1-1.4.2")
    backend.attach(sim.samsung("R58M123ABCD", debugging=False), "2-3")
    return backend


def test_pyusb_finds_the_simulated_devices_with_their_port_paths(bench: sim.SimUsbBackend) -> None:
    found = {d.port_numbers: d for d in usb.core.find(find_all=True, backend=bench)}
    assert found[(1, 1)].serial_number == "00008030001A2D3E0C38802E"
    assert found[(1, 4, 2)].idVendor == 0x18D1
    assert found[(1, 4, 2)].parent.port_numbers == (1, 4)
    assert usb.core.find(backend=bench, idVendor=0x04E8).bus == 2
    assert None in found  # the root hubs, which have no port path


def test_sightings_skip_hubs_and_carry_serials_and_interfaces(bench: sim.SimUsbBackend) -> None:
    sightings = read_sightings(bench)
    assert [s.address.label for s in sightings] == ["1-1.1", "1-1.4.2", "2-3"]
    iphone, pixel, galaxy = sightings
    assert iphone.serial == "00008030001A2D3E0C38802E"
    assert (0xFF, 0xFE, 0x02) in {i.triple for i in iphone.interfaces}
    assert [i.name for i in pixel.interfaces] == ["MTP", "ADB Interface"]  # vendor-specific: names are read
    assert galaxy.manufacturer == "SAMSUNG"
    assert galaxy.device_address != iphone.device_address


def test_a_device_that_refuses_to_open_is_seen_without_strings(bench: sim.SimUsbBackend) -> None:
    locked = sim.SimDevice(0x18D1, 0x4EE1, "HIDDEN", "Google", "Pixel", 0, (sim.MTP_VENDOR,), strings_readable=False)
    bench.attach(locked, "1-1.2")
    (sighting,) = [s for s in read_sightings(bench) if s.address.label == "1-1.2"]
    assert sighting.serial is None
    assert sighting.ids == "18d1:4ee1"
    assert sighting.interfaces[0].name is None  # unknown, not guessed


@pytest.mark.parametrize(
    ("label", "address"),
    [("1-4", BayAddress(1, (4,))), ("3-1.4.2", BayAddress(3, (1, 4, 2))), ("2", BayAddress(2, ()))],
    ids=["root-port", "deep", "bus-only"],
)
def test_port_labels(label: str, address: BayAddress) -> None:
    assert BayAddress.parse(label) == address
    assert address.label == label


@pytest.mark.parametrize("label", ["", "x-1", "1-", "1-0", "1-2..3", "-1"], ids=repr)
def test_bad_port_labels_are_refused(label: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        BayAddress.parse(label)


@given(st.integers(0, 255), st.lists(st.integers(1, 255), max_size=7))
def test_port_labels_round_trip(bus: int, ports: list[int]) -> None:
    address = BayAddress(bus, tuple(ports))
    assert BayAddress.parse(address.label) == address


def test_bay_map_round_trips_through_the_data_dir(tmp_path: Path) -> None:
    bay_map = BayMap((Bay(2, BayAddress(1, (1, 2))), Bay(1, BayAddress(1, (1, 1)))))
    path = bay_map.save(tmp_path / "data")
    assert json.loads(path.read_text())["bays"][0] == {"bay": 1, "port": "1-1.1"}
    assert BayMap.load(tmp_path / "data") == BayMap((Bay(1, BayAddress(1, (1, 1))), Bay(2, BayAddress(1, (1, 2)))))


def test_no_saved_map_is_an_empty_map(tmp_path: Path) -> None:
    assert BayMap.load(tmp_path).bays == ()


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"version": 9, "bays": []}',
        '{"version": 1, "bays": [{"bay": 1}]}',
        '{"version": 1, "bays": [{"bay": 1, "port": "1-x"}]}',
        '{"version": 1, "bays": [{"bay": 1, "port": "1-1"}, {"bay": 1, "port": "1-2"}]}',
        '{"version": 1, "bays": [{"bay": 1, "port": "1-1"}, {"bay": 2, "port": "1-1"}]}',
        '{"version": 1, "bays": [{"bay": 0, "port": "1-1"}]}',
        "[]",
    ],
    ids=["not-json", "version", "no-port", "bad-port", "bay-twice", "port-twice", "bay-zero", "a-list"],
)
def test_a_damaged_map_is_a_clear_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "bays.json").write_text(text)
    with pytest.raises(BayMapError, match="bay map"):
        BayMap.load(tmp_path)


def test_placement_is_in_bay_order_then_unassigned_ports(bench: sim.SimUsbBackend) -> None:
    bay_map = BayMap((Bay(1, BayAddress(1, (1, 4, 2))), Bay(2, BayAddress(1, (1, 1))), Bay(3, BayAddress(1, (1, 3)))))
    placements = place(read_sightings(bench), bay_map)
    rows = [(p.name, p.address.label, p.sighting.ids if p.sighting else None) for p in placements]
    assert rows == [
        ("Bay 1", "1-1.4.2", "18d1:4ee2"),
        ("Bay 2", "1-1.1", "05ac:12a8"),
        ("Bay 3", "1-1.3", None),
        ("unassigned", "2-3", "04e8:6860"),
    ]
    assert [p.name for p in place(read_sightings(bench), bay_map, include_empty=False)] == [
        "Bay 1",
        "Bay 2",
        "unassigned",
    ]


def test_a_device_keeps_its_bay_when_replugged(bench: sim.SimUsbBackend) -> None:
    bay_map = BayMap((Bay(1, BayAddress(1, (1, 1))),))
    before = place(read_sightings(bench), bay_map)[0].sighting
    bench.attach(bench.detach("1-1.1"), "1-1.1")
    after = place(read_sightings(bench), bay_map)[0].sighting
    assert before is not None
    assert after is not None
    assert (before.serial, after.serial) == ("00008030001A2D3E0C38802E",) * 2
    assert before.device_address != after.device_address  # a new plug-in, the same bay


def test_unplugging_a_hub_takes_its_devices_with_it(bench: sim.SimUsbBackend) -> None:
    bench.detach("1-1.4")
    assert [s.address.label for s in read_sightings(bench)] == ["1-1.1", "2-3"]


@pytest.mark.parametrize(
    ("port", "message"),
    [("1-1.9", "has no port 9"), ("1-1.1", "is taken"), ("1-3.1", "no hub above"), ("2-9", "has no port 9")],
    ids=["past-last-port", "taken", "no-hub", "root-port-range"],
)
def test_the_simulated_tree_refuses_impossible_plugs(bench: sim.SimUsbBackend, port: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bench.attach(sim.pixel("X"), port)


def test_a_detached_device_answers_no_such_device(bench: sim.SimUsbBackend) -> None:
    device = usb.core.find(backend=bench, idVendor=0x05AC)
    bench.detach("1-1.1")
    with pytest.raises(usb.core.USBError, match="No such device"):
        usb.util.get_string(device, device.iManufacturer, 0x0409)
    assert read_sightings(bench)[0].address.label == "1-1.4.2"  # the next scan simply no longer sees it

"""``bays learn``: the learner fed by the real pyusb reading the simulated tree as a technician plugs devices."""

from __future__ import annotations

import pytest

from drivers.sim import usb as sim
from drivers.usb.learn import BayLearner, StepKind
from drivers.usb.topology import Bay, BayAddress, BayMap, read_sightings

PHONE = sim.iphone("00008030-001A2D3E0C38802E")


@pytest.fixture
def bench() -> sim.SimUsbBackend:
    backend = sim.SimUsbBackend()
    backend.attach(sim.hub(4), "1-1")
    return backend


def test_one_device_moved_from_port_to_port_learns_the_bays_in_order(bench: sim.SimUsbBackend) -> None:
    learner = BayLearner(3, read_sightings(bench))
    assert learner.prompt() == "plug a device into the port of bay 1 of 3"
    assert learner.observe(read_sightings(bench)).kind is StepKind.WAITING
    steps = []
    previous = None
    for port in ("1-1.3", "1-1.1", "1-1.4"):  # the bench's physical order need not follow the hub's numbering
        if previous:
            bench.detach(previous)
            assert learner.observe(read_sightings(bench)).kind is StepKind.WAITING
        bench.attach(PHONE, port)
        steps.append(learner.observe(read_sightings(bench)))
        previous = port
    assert [(s.kind, s.bay.number if s.bay else None) for s in steps] == [(StepKind.LEARNED, n) for n in (1, 2, 3)]
    assert steps[0].message == "Bay 1 is port 1-1.3; unplug it and plug a device into the port of bay 2 of 3"
    assert learner.done
    assert learner.result() == BayMap(
        (Bay(1, BayAddress(1, (1, 3))), Bay(2, BayAddress(1, (1, 1))), Bay(3, BayAddress(1, (1, 4))))
    )
    assert learner.observe(read_sightings(bench)).kind is StepKind.DONE


def test_replugging_into_a_learned_port_says_so(bench: sim.SimUsbBackend) -> None:
    learner = BayLearner(2)
    bench.attach(PHONE, "1-1.1")
    assert learner.observe(read_sightings(bench)).kind is StepKind.LEARNED
    bench.attach(bench.detach("1-1.1"), "1-1.1")  # a new plug-in on the same port
    step = learner.observe(read_sightings(bench))
    assert step.kind is StepKind.ALREADY_LEARNED
    assert step.message.startswith("port 1-1.1 is already Bay 1")
    assert learner.next_bay == 2


def test_two_devices_at_once_are_ambiguous_and_learn_nothing(bench: sim.SimUsbBackend) -> None:
    learner = BayLearner()
    bench.attach(PHONE, "1-1.1")
    bench.attach(sim.pixel("P1"), "1-1.2")
    step = learner.observe(read_sightings(bench))
    assert step.kind is StepKind.AMBIGUOUS
    assert "1-1.1, 1-1.2" in step.message
    assert learner.finish() == BayMap()


def test_a_port_busy_at_the_start_is_learned_once_freed_and_replugged(bench: sim.SimUsbBackend) -> None:
    bench.attach(PHONE, "1-1.2")
    learner = BayLearner(None, read_sightings(bench))
    assert learner.observe(read_sightings(bench)).kind is StepKind.WAITING  # already there: not a new plug
    bench.detach("1-1.2")
    learner.observe(read_sightings(bench))
    bench.attach(PHONE, "1-1.2")
    step = learner.observe(read_sightings(bench))
    assert (step.kind, step.bay) == (StepKind.LEARNED, Bay(1, BayAddress(1, (1, 2))))
    assert not learner.done  # no count: learning goes on until finished
    assert learner.finish().bays == (Bay(1, BayAddress(1, (1, 2))),)


def test_a_hub_plugged_with_its_phone_counts_as_one_new_port(bench: sim.SimUsbBackend) -> None:
    learner = BayLearner(1)
    bench.attach(sim.hub(4), "1-1.4")
    bench.attach(PHONE, "1-1.4.1")
    step = learner.observe(read_sightings(bench))  # hubs are not devices of a bay
    assert (step.kind, step.bay) == (StepKind.LEARNED, Bay(1, BayAddress(1, (1, 4, 1))))


def test_learning_no_bay_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        BayLearner(0)

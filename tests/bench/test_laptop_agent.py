"""The laptop agent on the bench: the real laptop readers on the simulated laptop (a sysfs tree and the captured
outputs of its tools), through the real coordinator and supervisor, into a real SQLite file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from app.bench.actions import ActionCode
from app.bench.coordinator import BenchCoordinator, key_of
from app.bench.events import DeviceSeen, DriverStatus, Platform, Step, StepStarted, Unplugged
from app.bench.links import LaptopAgentLink, StepFailed
from app.commands.agent import Machine
from app.station import Station
from audit.models import BatteryRecord, FunctionalRecord, LockRecord
from audit.readings import BatteryReading, DeviceFamily, DeviceIdentity, FunctionalResult, LockState, LockStatus
from audit.readings import TestOutcome as Outcome
from drivers.laptop.runner import CapturedRunner
from drivers.sim.laptop import SimBattery, SimDisk, SimLaptop, thinkpad_disks
from tests.bench.conftest import CoordinatorFactory, Events
from tests.bench.test_coordinator import count, final_action, inspections, readings_of

AGENT = "bench-laptop"
FAILING_HDD = SimDisk("sda", 500_107_862_016, "WDC WD5000LPCX", "WX41A", "sata", "smartctl_hdd_failing.json", True)


def machine_of(laptop: SimLaptop) -> Machine:
    """The Machine `refurb-station agent --simulate` builds on a simulated laptop (app/commands/agent.py)."""
    return Machine(
        runner=laptop.runner,
        view=laptop.view,
        power_supply=laptop.view.sys_root / "class" / "power_supply",
        dmi_root=laptop.view.sys_root / "class" / "dmi" / "id",
        proc_root=laptop.view.proc_root,
        image_for=laptop.image,
        running_from=(),
        simulated=True,
    )


def link_of(laptop: SimLaptop) -> Callable[[], LaptopAgentLink]:
    return lambda: LaptopAgentLink(machine_of(laptop), AGENT)


@pytest.fixture
def coordinator(make_coordinator: CoordinatorFactory) -> BenchCoordinator:
    return make_coordinator(ios=False, android=False)


def test_a_simulated_laptop_is_identified_inspected_and_its_locks_left_to_check(
    coordinator: BenchCoordinator, events: Events, station: Station, tmp_path: Path
) -> None:
    coordinator.attach_agent(AGENT, link_of(SimLaptop(tmp_path / "laptop")))
    key = key_of(Platform.LAPTOP, AGENT)

    action = final_action(events, key)

    seen = events.of(key)
    assert isinstance(seen[0], DeviceSeen)
    assert (seen[0].platform, seen[0].connection, seen[0].bay) == (Platform.LAPTOP, AGENT, None)
    assert [e.step for e in seen if isinstance(e, StepStarted)] == [
        Step.IDENTITY,
        Step.BATTERY,
        Step.LOCKS,
        Step.PROBES,
    ]
    identity, battery, locks, *probes = readings_of(events, key)
    assert isinstance(identity, DeviceIdentity)
    assert (identity.family, identity.make, identity.serial) == (DeviceFamily.LAPTOP, "LENOVO", "PF1ABCDE")
    assert identity.storage_bytes == thinkpad_disks()[0].size  # the internal NVMe, not the agent's USB stick
    assert isinstance(battery, BatteryReading)
    assert battery.soh_percent == pytest.approx(100 * 45_870_000 / 57_020_000, abs=0.05)
    assert battery.cycle_count == 312
    assert isinstance(locks, LockStatus)
    assert locks.icloud.state is LockState.NOT_APPLICABLE  # a Lenovo
    assert locks.mdm.state is LockState.UNKNOWN  # from a boot stick the installed system's enrolment is not visible
    assert {(p.test_id, p.outcome) for p in probes if isinstance(p, FunctionalResult)} == {
        ("battery", Outcome.PASS),
        ("storage_health", Outcome.PASS),
    }
    # Unknown stays unknown: the technician is told to check the management lock by hand, never "ready to grade".
    assert action.action.code is ActionCode.LOCKS_UNKNOWN
    assert "mdm" in action.action.detail
    assert action.device_id is not None
    [(inspection_id, status)] = inspections(station, action.device_id)
    assert status == "open"
    assert count(station, BatteryRecord, inspection_id) == 1
    assert count(station, LockRecord, inspection_id) == 1
    assert count(station, FunctionalRecord, inspection_id) == 2
    status_event = events.wait_for(lambda e: isinstance(e, DriverStatus) and e.driver is Platform.LAPTOP)
    assert isinstance(status_event, DriverStatus)
    assert status_event.ok


def test_detaching_the_agent_saves_the_inspection_as_interrupted_and_attaching_it_again_resumes_it(
    coordinator: BenchCoordinator, events: Events, station: Station, tmp_path: Path
) -> None:
    laptop = SimLaptop(tmp_path / "laptop")
    key = key_of(Platform.LAPTOP, AGENT)
    coordinator.attach_agent(AGENT, link_of(laptop))
    first = final_action(events, key)
    assert first.device_id is not None

    coordinator.detach_agent(AGENT)

    gone = events.wait_for(lambda e: isinstance(e, Unplugged) and e.key == key, "unplugged")
    assert isinstance(gone, Unplugged)
    [(inspection_id, status)] = inspections(station, first.device_id)
    assert (gone.interrupted_inspection, status) == (inspection_id, "interrupted")
    assert key not in coordinator.keys

    events.seen.clear()
    coordinator.attach_agent(AGENT, link_of(laptop))
    again = final_action(events, key)
    assert again.device_id == first.device_id
    assert inspections(station, first.device_id) == [(inspection_id, "open")]


@pytest.mark.parametrize(
    ("changes", "battery_outcome", "storage_outcome"),
    [
        pytest.param({}, Outcome.PASS, Outcome.PASS, id="healthy"),
        pytest.param({"batteries": ()}, Outcome.FAIL, Outcome.PASS, id="no-battery"),
        pytest.param(
            {"batteries": (SimBattery(design=0, full=40_000_000),)}, None, Outcome.PASS, id="battery-health-unknown"
        ),
        pytest.param(
            {"disks": [FAILING_HDD]},
            Outcome.PASS,
            Outcome.FAIL,
            id="failing-disk",
        ),
        pytest.param({"no_root": True}, Outcome.PASS, None, id="no-root"),
    ],
)
def test_the_probes_are_what_the_agent_can_vouch_for(
    tmp_path: Path,
    changes: dict[str, object],
    battery_outcome: Outcome | None,
    storage_outcome: Outcome | None,
) -> None:
    laptop = SimLaptop(tmp_path, **changes)  # type: ignore[arg-type]
    link = LaptopAgentLink(machine_of(laptop), AGENT)
    if changes.get("no_root"):  # without root neither dmidecode nor lshw give the serial: identity cannot be read
        with pytest.raises(StepFailed, match="cannot identify this laptop"):
            link.identity()
    else:
        assert link.identity().family is DeviceFamily.LAPTOP
    link.battery()

    outcomes = {result.test_id: result.outcome for result in link.probes()}

    assert outcomes.get("battery") == battery_outcome
    assert outcomes.get("storage_health") == storage_outcome


def test_missing_tools_leave_the_storage_unknown_not_zero(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path, missing_tools=("lsblk",))
    link = LaptopAgentLink(machine_of(laptop), AGENT)

    identity = link.identity()

    assert identity.storage_bytes is None
    assert identity.serial == "PF1ABCDE"
    assert "storage_health" not in {result.test_id for result in link.probes()}


def test_an_apple_laptop_outside_macos_has_its_activation_lock_unknown(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path)
    (laptop.view.sys_root / "class" / "dmi" / "id" / "sys_vendor").write_text("Apple Inc.\n", encoding="utf-8")
    link = LaptopAgentLink(dataclasses.replace(machine_of(laptop), runner=_without_dmidecode(laptop)), AGENT)

    identity = link.identity()
    locks = link.locks()

    assert identity.make == "Apple Inc."
    assert locks.icloud.state is LockState.UNKNOWN
    assert "Activation Lock" in locks.icloud.evidence


def _without_dmidecode(laptop: SimLaptop) -> CapturedRunner:
    runner = laptop.runner
    for command in [c for c in runner.answers if c.startswith(("dmidecode", "lshw"))]:
        del runner.answers[command]
    return runner

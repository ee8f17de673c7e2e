"""Two sessions (two stations) writing the same device never lose an update."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from audit import services
from audit.errors import ConcurrentUpdate
from audit.models import AuditEvent, Device, FunctionalRecord
from audit.readings import DeviceFamily, FunctionalResult, MeasuredBy, TestOutcome
from audit.rules.functional import load_test_plan
from tests.audit.bench_flow import UowFactory, inspect, make_users, register


def test_stale_session_gets_a_clear_conflict(uow_factory: UowFactory) -> None:
    make_users(uow_factory)
    device_id = register(uow_factory)
    with uow_factory() as first:
        stale = first.session.get(Device, device_id)
        assert stale is not None
        first.touch(stale)
        first.session.commit()  # the read ends; the object stays in the session as it was read
        with uow_factory() as second:
            services.quarantine(second, "tech2", device_id, "screen shows a carrier lock")
        stale.colour = "Red"
        stale.updated_by = "tech"
        with pytest.raises(ConcurrentUpdate, match=r"changed by tech2 at .* reload"):
            first.commit()
    with uow_factory() as uow:
        device = uow.session.get(Device, device_id)
        assert device is not None
        assert device.state == "quarantined"
        assert device.colour == "Blue"


def test_expected_version_guards_a_disconnected_edit(uow_factory: UowFactory) -> None:
    make_users(uow_factory)
    device_id = register(uow_factory)
    inspect(uow_factory, device_id)
    with uow_factory() as uow:
        seen = services.find_device(uow, "356938035643809").version_id
    with uow_factory() as uow:
        services.grade_device(uow, "tech2", device_id)
    with uow_factory() as uow, pytest.raises(ConcurrentUpdate, match="changed by tech2"):
        services.grade_device(uow, "tech", device_id, expected_version=seen)


def test_two_stations_hammering_one_device(uow_factory: UowFactory) -> None:
    make_users(uow_factory)
    device_id = register(uow_factory)
    with uow_factory() as uow:
        inspection = services.start_inspection(uow, "tech", device_id, station="bench-1")
    plan = [step.test_id for step in load_test_plan(DeviceFamily.IPHONE).steps]
    per_thread = 15
    errors: list[BaseException] = []

    def station(actor: str) -> None:
        for number in range(per_thread):
            try:
                with uow_factory() as uow:
                    services.record_reading(
                        uow,
                        actor,
                        inspection,
                        FunctionalResult(plan[number % len(plan)], TestOutcome.PASS, MeasuredBy.MANUAL, actor),
                    )
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=station, args=(name,)) for name in ("tech", "tech2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with uow_factory() as uow:
        count = uow.session.execute(sa.select(sa.func.count()).select_from(FunctionalRecord)).scalar_one()
        assert count == 2 * per_thread
        events = uow.session.execute(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "reading.recorded")
        ).scalar_one()
        assert events == 2 * per_thread
        assert services.verify_chain(uow).valid

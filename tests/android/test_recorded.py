"""What the Android driver reads is accepted by the audit core as it is: the bench records it unchanged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from audit import services
from audit.models import FunctionalRecord
from tests.android.conftest import SimFactory, bench_for, phone
from tests.audit.bench_flow import UowFactory, make_users


@pytest.mark.parametrize("profile", ["samsung", "pixel", "aosp"])
def test_an_inspection_is_recorded_through_the_services(
    make_sim: SimFactory, uow_factory: UowFactory, profile: str
) -> None:
    server = make_sim(phone(serial=f"SIM{profile.upper()}01", profile=profile))
    inspection = bench_for(server).phone(f"SIM{profile.upper()}01").inspect()
    assert inspection.identity is not None
    assert inspection.battery is not None
    assert inspection.locks is not None
    make_users(uow_factory)
    with uow_factory() as uow:
        device_id = services.register_device(uow, "tech", inspection.identity.identity)
    with uow_factory() as uow:
        inspection_id = services.start_inspection(uow, "tech", device_id, station="bench-1")
    for reading in (inspection.battery.reading, inspection.locks, *inspection.probes):
        with uow_factory() as uow:
            services.record_reading(uow, "tech", inspection_id, reading)
    with uow_factory() as uow:
        recorded = set(uow.session.execute(sa.select(FunctionalRecord.test_id)).scalars())
    assert recorded == {probe.test_id for probe in inspection.probes}
    assert {"wifi", "bluetooth", "charging"} <= recorded

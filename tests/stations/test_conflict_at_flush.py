"""A conflict met when the audit chain flushes (before the commit) is told like one met at the commit.

On PostgreSQL two stations' units of work really interleave: the loser's device UPDATE matches no row when
``append_event`` flushes it, long before ``commit``. It must reach the person as ConcurrentUpdate naming the winner,
not as SQLAlchemy's StaleDataError (a crash dialog), and nothing of the loser's work may remain.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from audit import services
from audit.errors import ConcurrentUpdate
from audit.lifecycle import DeviceState
from audit.models import AuditEvent, Device
from audit.services._common import set_state
from tests.audit.bench_flow import UowFactory, make_users, register


def test_stale_device_at_the_chain_flush_is_a_clear_conflict(uow_factory: UowFactory) -> None:
    make_users(uow_factory)
    device_id = register(uow_factory)
    with uow_factory() as uow:
        events_before = uow.session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
    conflict = pytest.raises(ConcurrentUpdate, match=r"changed by tech2 at .* reload")
    with conflict as caught, uow_factory() as stale:
        device = stale.session.get(Device, device_id)
        assert device is not None
        stale.touch(device)
        stale.session.commit()  # this station's read is over (SQLite would otherwise hold the writer lock)
        with uow_factory() as other:
            services.quarantine(other, "tech2", device_id, "carrier lock on screen")
        set_state(stale, device, DeviceState.REPAIR, "tech", "cracked back glass")  # flushes: the conflict
        stale.commit()
    assert type(caught.value.__cause__).__name__ == "StaleDataError"
    with uow_factory() as uow:
        assert uow.session.get(Device, device_id).state == "quarantined"  # type: ignore[union-attr]
        events = uow.session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
        assert events == events_before + 1  # the quarantine only
        assert services.verify_chain(uow).valid


def test_an_integrity_error_without_a_moved_device_stays_what_it_is(uow_factory: UowFactory) -> None:
    make_users(uow_factory)
    with pytest.raises(sa.exc.IntegrityError), uow_factory() as uow:  # noqa: PT012
        uow.session.add(Device(family="iphone", make="Apple", model="X", state="connected", updated_by="t"))
        uow.session.add(Device(family="iphone", make="Apple", model="Y", state="connected", updated_by="t"))
        uow.session.flush()
        uow.session.execute(sa.update(Device).values(imei="356938035643809"))

"""The audit trail detects any event edited or deleted behind the services' back."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from audit import services
from audit.models import AuditEvent
from tests.audit.bench_flow import UowFactory, make_users, register, to_certified


@pytest.fixture
def chained(uow_factory: UowFactory) -> UowFactory:
    make_users(uow_factory)
    to_certified(uow_factory, register(uow_factory))
    return uow_factory


def report(uow_factory: UowFactory) -> services.ChainReport:
    with uow_factory() as uow:
        return services.verify_chain(uow)


def test_untouched_chain_is_valid(chained: UowFactory) -> None:
    result = report(chained)
    assert result.valid, result.summary()
    assert result.events_checked > 20
    assert result.head_seq == result.events_checked


def test_edited_payload_is_detected(chained: UowFactory, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE audit_events SET payload = :p WHERE seq = 9"), {"p": '{"forged":true}'})
    result = report(chained)
    assert not result.valid
    assert [p.seq for p in result.problems] == [9]
    assert "edited" in result.problems[0].problem


def test_edited_actor_is_detected(chained: UowFactory, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE audit_events SET actor = 'audrey' WHERE seq = 12"))
    result = report(chained)
    assert [p.seq for p in result.problems] == [12]


def test_deleted_event_is_detected(chained: UowFactory, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_events WHERE seq = 5"))
    result = report(chained)
    assert not result.valid
    assert "missing" in result.summary()


def test_deleted_newest_event_is_detected_by_the_head(chained: UowFactory, engine: Engine) -> None:
    with engine.begin() as connection:
        last = connection.execute(sa.text("SELECT max(seq) FROM audit_events")).scalar_one()
        connection.execute(sa.text("DELETE FROM audit_events WHERE seq = :s"), {"s": last})
    result = report(chained)
    assert not result.valid
    assert "newest events deleted" in result.problems[-1].problem


def test_rehashed_edit_still_breaks_the_next_link(chained: UowFactory, engine: Engine) -> None:
    """A forger who recomputes one event's hash still breaks the link the next event holds."""
    from audit.chain import event_hash

    with engine.begin() as connection:
        events = AuditEvent.__table__
        row = connection.execute(sa.select(events).where(events.c.seq == 7)).mappings().one()
        forged_payload = '{"forged":true}'
        new_hash = event_hash(
            7,
            row["occurred_at"],
            row["actor"],
            row["action"],
            row["subject"],
            forged_payload,
            row["prev_hash"],
        )
        connection.execute(
            sa.text("UPDATE audit_events SET payload = :p, hash = :h WHERE seq = 7"),
            {"p": forged_payload, "h": new_hash},
        )
    result = report(chained)
    assert [p.seq for p in result.problems] == [8]
    assert "does not link" in result.problems[0].problem

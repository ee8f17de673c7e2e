"""The hash-chained audit trail.

Each event's hash covers its own fields and the previous event's hash, and the chain head (last sequence number and
hash) is kept in its own row, updated in the same transaction. Editing any event breaks its hash; deleting one breaks
the link of the next, or, for the newest, the head. The chain is verifiable offline from the database alone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from audit.models import AuditEvent, ChainHead, utcnow

GENESIS_HASH = "0" * 64
_VERIFY_BATCH = 5_000


def canonical_json(value: Any) -> str:
    """One byte-exact text for a value: sorted keys, no spaces, UTF-8 kept, no floats' locale surprises."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(
    seq: int, occurred_at: datetime, actor: str, action: str, subject: str, payload: str, prev_hash: str
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "at": occurred_at.isoformat(),
            "actor": actor,
            "action": action,
            "subject": subject,
            "payload": payload,
            "prev": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append_event(
    session: Session, *, actor: str, action: str, subject: str, payload: Mapping[str, Any] | None = None
) -> AuditEvent:
    """Add the next link to the chain inside the caller's transaction."""
    # Lock the head before anything else this transaction writes is flushed: every writer then takes its locks
    # in the same order (head first), so two stations never deadlock, and the chain never forks.
    with session.no_autoflush:
        head = session.execute(sa.select(ChainHead).where(ChainHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = ChainHead(id=1, seq=0, hash=GENESIS_HASH)
        session.add(head)
    seq = head.seq + 1
    occurred_at = utcnow()
    text = canonical_json(dict(payload or {}))
    digest = event_hash(seq, occurred_at, actor, action, subject, text, head.hash)
    event = AuditEvent(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        subject=subject,
        payload=text,
        prev_hash=head.hash,
        hash=digest,
    )
    session.add(event)
    head.seq = seq
    head.hash = digest
    session.flush()
    return event


@dataclasses.dataclass(frozen=True, slots=True)
class ChainProblem:
    seq: int
    problem: str


@dataclasses.dataclass(frozen=True, slots=True)
class ChainReport:
    events_checked: int
    head_seq: int
    problems: tuple[ChainProblem, ...]

    @property
    def valid(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.valid:
            return f"audit chain valid: {self.events_checked} events, head #{self.head_seq}"
        first = self.problems[0]
        return (
            f"audit chain BROKEN: {len(self.problems)} problem(s) in {self.events_checked} events; "
            f"first at #{first.seq}: {first.problem}"
        )


def _events(session: Session) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = (
            session.execute(
                sa.select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(_VERIFY_BATCH)
            )
            .scalars()
            .all()
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
        session.expunge_all()


def verify_audit_chain(session: Session) -> ChainReport:
    """Walk the whole chain and report every edited, deleted or reordered event."""
    problems: list[ChainProblem] = []
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in _events(session):
        checked += 1
        if event.seq != expected_seq:
            problems.append(ChainProblem(expected_seq, f"events #{expected_seq}..#{event.seq - 1} are missing"))
        if event.prev_hash != prev_hash:
            problems.append(ChainProblem(event.seq, "does not link to the event before it (deleted or reordered)"))
        recomputed = event_hash(
            event.seq,
            event.occurred_at,
            event.actor,
            event.action,
            event.subject,
            event.payload,
            event.prev_hash,
        )
        if recomputed != event.hash:
            problems.append(ChainProblem(event.seq, "content does not match its hash (edited)"))
        prev_hash = event.hash
        expected_seq = event.seq + 1
    head = session.execute(sa.select(ChainHead).where(ChainHead.id == 1)).scalar_one_or_none()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS_HASH
    if head_seq != expected_seq - 1 or head_hash != prev_hash:
        problems.append(
            ChainProblem(
                head_seq,
                f"chain head says #{head_seq} but the last event is #{expected_seq - 1} (newest events deleted?)",
            )
        )
    return ChainReport(events_checked=checked, head_seq=head_seq, problems=tuple(problems))

"""The sender: drains the listings outbox to Back Market, at most once per listing, whatever crashes in between.

One round (:meth:`OutboxSender.drain_once`):

1. every batch Back Market took (a task id is recorded) is polled; a finished task either fails its rows with Back
   Market's text or confirms each SKU by reading it back (``GET /ws/listings/detail?sku=``) before acknowledging;
2. every due line that *may* have been sent already (``sent_at`` recorded, no acknowledgement: the sender died between
   the request and the bookkeeping) is looked up by SKU first; when Back Market already shows it with the intended
   quantity it is acknowledged without sending anything;
3. the remaining due lines go out as one catalog per market, within the hourly SKU-line budget.

The attempt is committed before the request leaves, so a crash at any point leaves a row that step 2 will check.
Quantities are absolute (all of the station's live devices of that SKU), so even a line sent twice counts no device
twice. Failures that may pass (timeouts, 5xx, 429, a failed task) are retried with exponential backoff and jitter
(seedable); the rest fail the rows with the reason, for a person to read in ``listings status``.

The store is a protocol so that this driver never touches the database: ``app/commands/listings.py`` wires it to
``audit.services.listings``.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from drivers.marketplace.backmarket import BackMarketClient
from drivers.marketplace.errors import AuthenticationError, MarketplaceError, RateLimited, TaskFailed

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PendingLine:
    """One SKU's catalog line due for sending, and the outbox rows (one per device) it stands for."""

    listing_ids: tuple[int, ...]
    sku: str
    market: str
    row: Mapping[str, str]  # Back Market catalog columns; ``quantity`` is the absolute stock
    maybe_sent: bool
    attempts: int


@dataclass(frozen=True, slots=True)
class SentBatch:
    """A catalog Back Market took as task ``task_id``: the outbox rows of each SKU it carried."""

    task_id: int
    market: str
    skus: Mapping[str, tuple[int, ...]]
    attempts: int

    @property
    def listing_ids(self) -> tuple[int, ...]:
        return tuple(i for ids in self.skus.values() for i in ids)


class OutboxStore(Protocol):
    def due(self, now: datetime, limit: int) -> Sequence[PendingLine]: ...
    def awaiting(self) -> Sequence[SentBatch]: ...
    def mark_attempt(self, listing_ids: Sequence[int], now: datetime) -> None: ...
    def mark_sent(self, listing_ids: Sequence[int], task_id: int) -> None: ...
    def mark_listed(self, listing_ids: Sequence[int], remote_id: str, now: datetime) -> None: ...
    def mark_retry(self, listing_ids: Sequence[int], error: str, next_attempt_at: datetime) -> None: ...
    def mark_failed(self, listing_ids: Sequence[int], error: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before the n-th retry of an outbox row: ``base * 2**(n-1)``, capped, with +/- ``jitter`` of it."""

    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)
    jitter: float = 0.2

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        seconds = min(self.cap.total_seconds(), self.base.total_seconds() * 2.0 ** max(0, attempts - 1))
        return timedelta(seconds=seconds * (1 + rng.uniform(-self.jitter, self.jitter)))


@dataclass
class DrainReport:
    sent_lines: int = 0
    tasks_created: int = 0
    listed: int = 0
    reconciled: int = 0  # acknowledged from a lookup, without sending again
    retried: int = 0
    failed: int = 0
    waiting_tasks: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: DrainReport) -> None:
        for name in ("sent_lines", "tasks_created", "listed", "reconciled", "retried", "failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waiting_tasks = other.waiting_tasks
        self.errors.extend(other.errors)

    @property
    def idle(self) -> bool:
        return self.sent_lines == 0 and self.waiting_tasks == 0


def _utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxSender:
    def __init__(
        self,
        client: BackMarketClient,
        store: OutboxStore,
        *,
        backoff: Backoff | None = None,
        max_attempts: int = 8,
        batch_lines: int = 500,
        rng: random.Random | None = None,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.client = client
        self.store = store
        self.backoff = backoff or Backoff()
        self.max_attempts = max_attempts
        self.batch_lines = batch_lines
        self._rng = rng or random.Random()
        self._now = now

    # --- outcomes -------------------------------------------------------------------------------------------------

    def _retry_or_fail(self, ids: Sequence[int], attempts: int, error: str, report: DrainReport) -> None:
        report.errors.append(error)
        if attempts >= self.max_attempts:
            self.store.mark_failed(ids, f"gave up after {attempts} attempts: {error}")
            report.failed += len(ids)
            return
        when = self._now() + self.backoff.delay(attempts, self._rng)
        self.store.mark_retry(ids, error, when)
        report.retried += len(ids)

    # --- step 1: the tasks Back Market took --------------------------------------------------------------------------

    def _check_tasks(self, report: DrainReport) -> None:
        for batch in self.store.awaiting():
            status = self.client.task(batch.task_id)
            if not status.done:
                report.waiting_tasks += 1
                continue
            try:
                self.client.raise_for_task(status)
            except TaskFailed as exc:
                log.warning("%s", exc)
                self._retry_or_fail(batch.listing_ids, batch.attempts, str(exc), report)
                continue
            line_errors = status.line_errors()
            for sku, ids in batch.skus.items():
                if sku.casefold() in line_errors:
                    error = f"Back Market refused {sku} (task {batch.task_id}): {line_errors[sku.casefold()]}"
                    self.store.mark_failed(ids, error)
                    report.failed += len(ids)
                    report.errors.append(error)
                    continue
                remote = self.client.listing_by_sku(sku, market=batch.market)
                if remote is None:
                    error = f"task {batch.task_id} succeeded but {sku} is not visible on Back Market"
                    self._retry_or_fail(ids, batch.attempts, error, report)
                    continue
                self.store.mark_listed(ids, remote.id, self._now())
                report.listed += len(ids)

    # --- steps 2 and 3 ----------------------------------------------------------------------------------------------

    def _reconcile(self, line: PendingLine, report: DrainReport) -> bool:
        """True when Back Market already shows the line as intended (it went out before a crash)."""
        remote = self.client.listing_by_sku(line.sku, market=line.market)
        if remote is None:
            return False
        if str(remote.quantity) == line.row.get("quantity") and remote.grade == line.row.get("grade", remote.grade):
            self.store.mark_listed(line.listing_ids, remote.id, self._now())
            report.reconciled += len(line.listing_ids)
            log.info("%s was already on Back Market as %s: acknowledged without sending again", line.sku, remote.id)
            return True
        return False

    def drain_once(self) -> DrainReport:
        report = DrainReport()
        self._check_tasks(report)
        budget = min(self.batch_lines, self.client.limiter.sku_lines_available())
        if budget <= 0:
            log.info("Back Market's hourly SKU-line budget is spent: nothing more is sent this round")
            return report
        lines = list(self.store.due(self._now(), budget))
        by_market: dict[str, list[PendingLine]] = {}
        for line in lines:
            if line.maybe_sent and self._reconcile(line, report):
                continue
            by_market.setdefault(line.market, []).append(line)
        for market, batch in by_market.items():
            self._send_batch(market, batch, report)
        return report

    def _send_batch(self, market: str, batch: Sequence[PendingLine], report: DrainReport) -> None:
        ids = tuple(i for line in batch for i in line.listing_ids)
        attempts = max(line.attempts for line in batch) + 1
        self.store.mark_attempt(ids, self._now())  # committed first: from now on these rows "may have been sent"
        try:
            task_id = self.client.upload_catalog([line.row for line in batch], market=market)
        except AuthenticationError:
            raise  # a person must fix the token or the User-Agent: retrying would only get the account blocked
        except RateLimited as exc:
            self._retry_or_fail(ids, attempts, str(exc), report)
            return
        except MarketplaceError as exc:
            if exc.retryable:
                self._retry_or_fail(ids, attempts, str(exc), report)
            else:
                self.store.mark_failed(ids, str(exc))
                report.failed += len(ids)
                report.errors.append(str(exc))
            return
        self.store.mark_sent(ids, task_id)
        report.sent_lines += len(batch)
        report.tasks_created += 1

    # --- the loop ---------------------------------------------------------------------------------------------------

    def run(
        self, *, poll_seconds: float = 5.0, max_rounds: int = 1000, sleep: Callable[[float], None] = time.sleep
    ) -> DrainReport:
        """Drain until nothing is in flight or due (rows waiting for a later retry stay for a later run)."""
        total = DrainReport()
        for _ in range(max_rounds):
            report = self.drain_once()
            total.add(report)
            if report.idle:
                break
            if report.waiting_tasks:
                sleep(poll_seconds)
        return total

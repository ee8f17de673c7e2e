"""One supervisor per connected device: identity -> record -> (resumed) inspection -> battery, locks, probes.

A supervisor runs on its own thread, so a device that hangs or fails costs only its own tile. It reports what it does
as events (:mod:`app.bench.events`) to the callback it was given; once stopped (its device unplugged) it neither
writes to the records nor reports anything again.

A device whose record is past the bench pass (graded, certified, listed, quarantined, in repair...) is not pulled
back into a new pass by being plugged in: its readings are shown, not recorded, and the tile says what comes next
for it. Re-plugging during an erasure, or a locked phone plugged in again, must never reset its record.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from app.bench import actions
from app.bench.actions import ActionCode, NextAction
from app.bench.events import (
    BenchEvent,
    NeedsAction,
    ReadingRecorded,
    Step,
    StepProgress,
    StepStarted,
)
from app.bench.links import DeviceLink, LinkGone, StepFailed, WaitForPerson
from app.bench.records import DeviceRecord, Pass, Reading, Records, Stopped
from audit.errors import PermissionDenied, ServiceError
from audit.lifecycle import DeviceState
from audit.readings import BatteryReading, DeviceIdentity, LockStatus, TestOutcome
from audit.rules.battery import BatteryVerdict, assess_battery
from audit.rules.channels import load_channel
from audit.rules.functional import load_test_plan
from audit.rules.locks import LockVerdict, assess_locks

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_RETRY_SECONDS = 1.0
# A device that drops one connection is tried again this many times: if it was really unplugged, the coordinator
# stops this supervisor long before (the driver's detach event), so the retries only cover passing glitches.
GONE_RETRIES = 3
_JOIN_SECONDS = 30.0


class Supervisor:
    def __init__(
        self,
        key: str,
        session: int,
        link: DeviceLink,
        records: Records,
        emit: Callable[[BenchEvent], None],
        *,
        retry_seconds: float = DEFAULT_RETRY_SECONDS,
    ) -> None:
        self.key = key
        self.session = session
        self.link = link
        self.records = records
        self._emit_to = emit
        self.retry_seconds = retry_seconds
        self.holder = Pass()
        self.stopped = self.holder.stopped
        self.device_id: int | None = None
        self._recording = False
        self._thread = threading.Thread(target=self.run, name=f"bench {key}", daemon=True)

    # lifecycle ------------------------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """No more writes, no more events; the thread ends after the driver call it is in (bounded by its timeout)."""
        self.stopped.set()

    def join(self, timeout: float = _JOIN_SECONDS) -> None:
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _emit(self, event: BenchEvent) -> None:
        if not self.stopped.is_set():
            self._emit_to(event)

    def _needs(self, action: NextAction, record: DeviceRecord | None = None) -> None:
        self._emit(
            NeedsAction(
                self.key,
                self.session,
                action,
                device_id=record.device_id if record else self.device_id,
                state=record.state if record else None,
            )
        )

    # the steps ------------------------------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self._run()
        except (Stopped, LinkGone) as exc:
            log.info("%s: stopped (%s)", self.key, exc or "unplugged")
        except PermissionDenied as exc:
            self._needs(NextAction(ActionCode.NOT_ALLOWED, str(exc)))
        except ServiceError as exc:
            log.warning("%s: %s", self.key, exc)
            self._needs(NextAction(ActionCode.FAILED, str(exc)))
        except StepFailed as exc:
            log.warning("%s: %s", self.key, exc)
            self._needs(NextAction(ActionCode.FAILED, str(exc)))
        except Exception as exc:  # one device's surprise must never take the bench down
            log.exception("%s: supervisor failed", self.key)
            self._needs(NextAction(ActionCode.FAILED, str(exc) or type(exc).__name__))

    def _step(self, step: Step) -> None:
        if self.stopped.is_set():
            raise Stopped
        steps = self.link.steps
        self._emit(StepStarted(self.key, self.session, step, steps.index(step), len(steps)))

    def _attempt(self, read: Callable[[], T]) -> T:
        """Read; while a person must act on the phone, say so and try again; ride over a dropped connection."""
        shown: NextAction | None = None
        gone = 0
        while True:
            try:
                return read()
            except WaitForPerson as waiting:
                if waiting.action != shown:
                    shown = waiting.action
                    self._needs(waiting.action)
                if self.stopped.wait(self.retry_seconds):
                    raise Stopped from waiting
            except LinkGone as exc:
                gone += 1
                if gone > GONE_RETRIES:
                    raise StepFailed(f"the device stopped answering ({exc})") from exc
                if self.stopped.wait(self.retry_seconds):
                    raise Stopped from exc

    @property
    def inspection_id(self) -> int | None:
        return self.holder.inspection_id

    def _record(self, reading: Reading) -> DeviceRecord | None:
        if not self._recording or self.device_id is None:
            return None
        return self.records.record(self.holder, self.device_id, reading)

    def _reading(self, reading: Reading, assessment: str = "") -> None:
        self._emit(
            ReadingRecorded(
                self.key, self.session, reading, self.device_id, recorded=self._recording, assessment=assessment
            )
        )

    def _run(self) -> None:
        self._step(Step.IDENTITY)
        identity = self._attempt(self.link.identity)
        record = self._open(identity)
        if record is not None and record.state == DeviceState.QUARANTINED.value:
            self._reading(identity)
            self._needs(actions.for_quarantine(record.reason), record)
            return
        self._reading(identity)
        channel = load_channel(self.records.channel) if self.records.channel else load_channel()

        self._step(Step.BATTERY)
        battery: BatteryReading | None = None
        battery_verdict = BatteryVerdict.UNKNOWN
        try:
            battery = self._attempt(self.link.battery)
        except StepFailed as exc:
            log.warning("%s: battery: %s", self.key, exc)
        if battery is not None:
            battery_assessment = assess_battery(battery, identity.family, channel)
            battery_verdict = battery_assessment.verdict
            self._record(battery)
            self._reading(battery, battery_verdict.value)

        self._step(Step.LOCKS)
        try:
            locks: LockStatus | None = self._attempt(self.link.locks)
        except StepFailed as exc:
            log.warning("%s: locks: %s", self.key, exc)
            locks = None
        if locks is not None:
            lock_assessment = assess_locks(locks, identity.family)
            after = self._record(locks)
            self._reading(locks, lock_assessment.verdict.value)
            if lock_assessment.verdict is LockVerdict.LOCKED:
                self._needs(actions.for_lock(lock_assessment.blocking[0]), after)
                return
            if lock_assessment.verdict is LockVerdict.UNKNOWN:
                unchecked = ", ".join(kind.value for kind in lock_assessment.unchecked)
                final: NextAction | None = NextAction(ActionCode.LOCKS_UNKNOWN, unchecked)
            else:
                final = None
        else:
            final = NextAction(ActionCode.LOCKS_UNKNOWN, actions.READ_FAILED)

        if Step.PROBES in self.link.steps:
            self._step(Step.PROBES)
            plan = {step.test_id for step in load_test_plan(identity.family).steps}
            try:
                probes = self._attempt(self.link.probes)
            except StepFailed as exc:
                log.warning("%s: probes: %s", self.key, exc)
                probes = ()
            for result in probes:
                # A skipped probe ("switch Wi-Fi on") is left for the manual checklist rather than recorded.
                if result.test_id in plan and result.outcome is not TestOutcome.SKIPPED:
                    self._record(result)
                    self._reading(result, result.outcome.value)

        self._emit(StepProgress(self.key, self.session, "done", 100))
        if record is not None and (past := actions.for_state(record.state, record.reason)) is not None:
            self._needs(past, record)
        elif final is not None:
            self._needs(final, record)
        elif battery is None or battery_verdict is BatteryVerdict.UNKNOWN:
            self._needs(NextAction(ActionCode.BATTERY_UNKNOWN), record)
        elif battery_verdict in (BatteryVerdict.REPLACE, BatteryVerdict.WORN):
            soh = battery.soh_percent
            detail = actions.REPLACE_BEFORE_SALE if battery_verdict is BatteryVerdict.REPLACE else actions.WORN
            self._needs(NextAction(ActionCode.READY_BATTERY, detail, None if soh is None else round(soh)), record)
        else:
            self._needs(NextAction(ActionCode.READY_TO_GRADE), record)

    def _open(self, identity: DeviceIdentity) -> DeviceRecord | None:
        """Register the device and open (or resume) its inspection, unless its record is past the bench pass."""
        known = self.records.known(identity)
        if known is not None and actions.for_state(known.state, known.reason) is not None:
            self.device_id = known.device_id
            return known  # shown, not recorded
        record = self.records.register(identity, self.holder)
        self.device_id = record.device_id
        if record.state != DeviceState.IDENTIFIED.value:
            return record  # e.g. quarantined for an identity mismatch
        self.records.start_inspection(record.device_id, self.holder)
        self._recording = True
        self._record(identity)
        return record

"""One station process for the several-stations tests: walks shared devices to approval through the real services.

Started by ``tests/stations/test_several_stations.py`` with the multiprocessing 'spawn' context, so each station has
its own interpreter, engine and connection pool, as separate machines on one database would. The worker never
raises: it reports what happened (successes, conflicts, refusals, unexpected errors, the audit events its committed
units of work wrote) on a queue, for the test to check against the database.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from audit import db, services
from audit.certificates import Signer
from audit.errors import ConcurrentUpdate, NotFound, Refused, ServiceError
from audit.lifecycle import DeviceState
from audit.models import AuditEvent
from audit.unit_of_work import UnitOfWork
from tests.audit.bench_flow import all_functional, battery, clear_locks, erasure, iphone

# A device that keeps losing races is retried this many times before the station reports it and moves on.
MAX_ATTEMPTS = 40


@dataclasses.dataclass(frozen=True, slots=True)
class StationPlan:
    url: str
    station: str
    technician: str
    auditor: str
    imeis: tuple[str, ...]
    duel_rounds: int


@dataclasses.dataclass
class StationReport:
    station: str
    events_committed: int = 0
    operations: dict[str, int] = dataclasses.field(default_factory=dict)
    conflicts: list[str] = dataclasses.field(default_factory=list)
    refusals: list[str] = dataclasses.field(default_factory=list)
    unexpected: list[str] = dataclasses.field(default_factory=list)
    unfinished: list[str] = dataclasses.field(default_factory=list)
    duels: list[tuple[int, str]] = dataclasses.field(default_factory=list)  # (round, "won" or the conflict text)


def _count_committed_events(sessions: Any, report: StationReport) -> None:
    """Count the audit events each session flushes, and keep them only if its transaction commits."""
    pending: dict[int, int] = {}

    @event.listens_for(sessions, "before_flush")
    def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
        added = sum(isinstance(obj, AuditEvent) for obj in session.new)
        pending[id(session)] = pending.get(id(session), 0) + added

    @event.listens_for(sessions, "after_commit")
    def _after_commit(session: Session) -> None:
        report.events_committed += pending.pop(id(session), 0)

    @event.listens_for(sessions, "after_rollback")
    def _after_rollback(session: Session) -> None:
        pending.pop(id(session), None)


def _next_step(plan: StationPlan, factory: Callable[[], UnitOfWork], signer: Signer, imei: str) -> str | None:
    """Do the one step the device's current state calls for; None once it is approved."""
    with factory() as uow:
        try:
            found = services.find_device(uow, imei)
            device_id, version, state = found.id, found.version_id, DeviceState(found.state)
        except NotFound:
            device_id, version, state = 0, 0, None
    if state is DeviceState.APPROVED:
        return None
    if state is None:
        raise AssertionError(f"device {imei} was never registered")
    with factory() as uow:
        if state is DeviceState.IDENTIFIED:
            inspection = services.start_inspection(uow, plan.technician, device_id, station=plan.station)
        elif state is DeviceState.INSPECTED:
            services.grade_device(uow, plan.technician, device_id, genuine_parts=True, expected_version=version)
            return "grade"
        elif state is DeviceState.GRADED:
            services.record_erasure(uow, plan.technician, device_id, erasure())
            return "erase"
        elif state is DeviceState.ERASED:
            services.issue_certificate(uow, plan.technician, device_id, signer, station=plan.station)
            return "certify"
        elif state is DeviceState.CERTIFIED:
            services.approve(uow, plan.auditor, device_id, f"checked at {plan.station}")
            return "approve"
        else:
            raise AssertionError(f"device {imei} reached {state}, which this flow never asks for")
    for reading in (clear_locks(), battery(), *all_functional()):
        with factory() as uow:
            services.record_reading(uow, plan.technician, inspection, reading)
    with factory() as uow:
        services.finish_inspection(uow, plan.technician, inspection)
    return "inspect"


def _register(plan: StationPlan, factory: Callable[[], UnitOfWork], report: StationReport) -> None:
    """Every station registers every device at once: one creates each record, the others find it."""
    for imei in plan.imeis:
        for _attempt in range(MAX_ATTEMPTS):
            try:
                with factory() as uow:
                    services.register_device(uow, plan.technician, iphone(imei=imei, serial=f"SN{imei[-10:]}"))
            except ConcurrentUpdate as exc:  # registered by another station at the same moment: look again
                report.conflicts.append(str(exc))
                continue
            report.operations["register"] = report.operations.get("register", 0) + 1
            break
        else:
            report.unfinished.append(imei)


def _walk(plan: StationPlan, factory: Callable[[], UnitOfWork], signer: Signer, report: StationReport) -> None:
    """Take each device one step further until it is approved, reloading whenever another station got there first."""
    for imei in plan.imeis:
        for _attempt in range(MAX_ATTEMPTS):
            try:
                done = _next_step(plan, factory, signer, imei)
            except ConcurrentUpdate as exc:  # the other station won this step: reload and look again
                report.conflicts.append(str(exc))
                continue
            except Refused as exc:  # the state moved on under us (e.g. the inspection was closed by the other)
                report.refusals.append(str(exc))
                continue
            if done is None:
                break
            report.operations[done] = report.operations.get(done, 0) + 1
        else:
            report.unfinished.append(imei)


def _duel(plan: StationPlan, factory: Callable[[], UnitOfWork], barrier: Any, report: StationReport) -> None:
    """Both stations read the same version, then edit: exactly one edit may win, the other must be told."""
    imei = plan.imeis[0]
    for number in range(plan.duel_rounds):
        with factory() as uow:
            device = services.find_device(uow, imei)
            device_id, seen = device.id, device.version_id
        barrier.wait(timeout=60)
        try:
            with factory() as uow:
                services.set_colour(uow, plan.technician, device_id, f"{plan.station} {number}", expected_version=seen)
            report.duels.append((number, "won"))
        except ConcurrentUpdate as exc:
            report.duels.append((number, str(exc)))
        barrier.wait(timeout=60)


def run_station(plan: StationPlan, start: Any, barrier: Any, results: Any) -> None:
    """The process's entry point: wait for the start signal, walk the devices, duel, report."""
    report = StationReport(plan.station)
    engine = db.create_engine_for(plan.url)
    try:
        sessions = db.session_factory(engine)
        _count_committed_events(sessions, report)

        def factory() -> UnitOfWork:
            return UnitOfWork(sessions)

        signer = Signer.generate()
        start.wait(timeout=60)
        try:
            _register(plan, factory, report)
            barrier.wait(timeout=60)  # registration (a new device per IMEI) is not the race this test is about
            _walk(plan, factory, signer, report)
            _duel(plan, factory, barrier, report)
        except ServiceError as exc:
            report.unexpected.append(f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # a deadlock, a raw driver error: the test fails and shows it
            report.unexpected.append(f"{type(exc).__module__}.{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
            barrier.abort()
    finally:
        engine.dispose()
        results.put(dataclasses.asdict(report))

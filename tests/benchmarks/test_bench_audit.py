"""Figures for the audit core (run with `make bench`; printed, never asserted against time)."""

from __future__ import annotations

import time
from collections.abc import Callable

from audit import services
from audit.readings import FunctionalResult, MeasuredBy, TestOutcome
from audit.rules.functional import load_test_plan
from audit.rules.identifiers import luhn_check_digit, normalize_imei
from audit.unit_of_work import UnitOfWork
from tests.audit.bench_flow import iphone, make_users, register
from tests.benchmarks.figures import Recorder

Figures = list[tuple[str, float, str]]


def _timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _print(title: str, figures: Figures) -> None:
    print(f"\n{title}")
    print(f"  {'benchmark':<44} {'figure':>12}  unit")
    for name, value, unit in figures:
        print(f"  {name:<44} {value:>12,.1f}  {unit}")


def test_audit_core_throughput(sqlite_url: str, record: Recorder) -> None:
    from audit import db

    engine = db.create_engine_for(sqlite_url)
    sessions = db.session_factory(engine)

    def factory() -> UnitOfWork:
        return UnitOfWork(sessions)

    make_users(factory)
    device_id = register(factory)
    with factory() as uow:
        inspection = services.start_inspection(uow, "tech", device_id, station="bench")
    plan = [step.test_id for step in load_test_plan(iphone().family).steps]
    readings = 300

    def record_many() -> None:
        for number in range(readings):
            with factory() as uow:
                services.record_reading(
                    uow,
                    "tech",
                    inspection,
                    FunctionalResult(plan[number % len(plan)], TestOutcome.PASS, MeasuredBy.MANUAL),
                )

    record_seconds = _timed(record_many)
    with factory() as uow:
        start = time.perf_counter()
        report = services.verify_chain(uow)
        verify_seconds = time.perf_counter() - start
    assert report.valid
    imeis = [f"{n:014d}" for n in range(35693803564380, 35693803564380 + 20_000)]
    imeis = [digits + str(luhn_check_digit(digits)) for digits in imeis]
    imei_seconds = _timed(lambda: [normalize_imei(imei) for imei in imeis] and None)
    engine.dispose()
    _print(
        "audit core (SQLite, one transaction per reading, fsync as in production)",
        [
            ("record_reading (reading + audit event)", readings / record_seconds, "per second"),
            ("record_reading latency", 1000 * record_seconds / readings, "ms"),
            ("verify_audit_chain", report.events_checked / verify_seconds, "events per second"),
            ("normalize_imei (Luhn)", len(imeis) / imei_seconds, "per second"),
        ],
    )
    record("record_reading (reading + audit event), SQLite", readings / record_seconds, "/s", higher_is_better=True)
    record("record_reading latency, SQLite", 1000 * record_seconds / readings, "ms")
    record("verify_audit_chain", report.events_checked / verify_seconds, "events/s", higher_is_better=True)
    record("normalize_imei (Luhn)", len(imeis) / imei_seconds, "/s", higher_is_better=True)

"""Several station processes on one database walk the same devices to approval at the same time.

Each station is its own process (multiprocessing 'spawn': its own interpreter, engine and pool) calling the real
services. What must hold afterwards: every device approved exactly once, each device's state changes form one
unbroken path (no two stations moved it from the same state: no lost update), the loser of a race is told
"changed by X at T ... reload", no deadlock, the audit chain valid, and exactly the events of the committed units
of work in it.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from audit import db, services
from audit.models import AuditEvent, Device, ErasureRecord, Inspection, ReviewRecord, User
from audit.unit_of_work import UnitOfWork
from tests.audit.bench_flow import make_users
from tests.audit.test_queries import imei_for
from tests.stations.station_worker import StationPlan, run_station

DEVICES = 6
DUEL_ROUNDS = 3
CONFLICT = re.compile(r"changed by \w+ at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC .*reload")


@pytest.fixture(
    params=[
        pytest.param(("sqlite", 2), id="sqlite-wal-2-stations"),
        pytest.param(("postgresql", 3), id="postgresql-3-stations", marks=pytest.mark.postgres),
    ]
)
def shared_database(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[str, int]]:
    backend, stations = request.param
    if backend == "sqlite":
        target = tmp_path / "shared.sqlite3"
        shutil.copyfile(sqlite_template, target)
        yield f"sqlite:///{target}", stations
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    name = f"refurb_stations_{request.node.name.split('[')[-1].rstrip(']').replace('-', '_')}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE refurb_template")
        yield admin_url.rsplit("/", 1)[0] + "/" + name, stations
    finally:
        admin.dispose()


def _run_stations(url: str, plans: list[StationPlan]) -> list[dict[str, Any]]:
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    barrier = context.Barrier(len(plans))
    results = context.Queue()
    processes = [context.Process(target=run_station, args=(plan, start, barrier, results)) for plan in plans]
    for process in processes:
        process.start()
    start.set()  # every process is started: let them race
    try:
        reports = [results.get(timeout=120) for _ in plans]
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
        results.close()
        results.join_thread()
    assert all(process.exitcode == 0 for process in processes), [process.exitcode for process in processes]
    return reports


def _state_paths(factory: Callable[[], UnitOfWork]) -> dict[str, list[tuple[str, str]]]:
    paths: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with factory() as uow:
        for event in uow.session.execute(
            sa.select(AuditEvent).where(AuditEvent.action == "device.state").order_by(AuditEvent.seq)
        ).scalars():
            payload = json.loads(event.payload)
            paths[event.subject].append((payload["from"], payload["to"]))
    return paths


def test_stations_race_the_same_devices_to_approval(shared_database: tuple[str, int]) -> None:
    url, count = shared_database
    engine = db.create_engine_for(url)
    sessions = db.session_factory(engine)

    def factory() -> UnitOfWork:
        return UnitOfWork(sessions)

    try:
        make_users(factory)
        with factory() as uow:
            services.add_user(uow, "admin", "tech3", "technician")
        with factory() as uow:
            setup_events = uow.session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
        imeis = tuple(imei_for(9_000 + n) for n in range(DEVICES))
        technicians = ("tech", "tech2", "tech3")
        auditors = ("audrey", "auguste", "audrey")
        plans = [
            StationPlan(url, f"bench-{n + 1}", technicians[n], auditors[n], imeis, DUEL_ROUNDS) for n in range(count)
        ]

        reports = _run_stations(url, plans)

        for report in reports:
            assert report["unexpected"] == [], report["unexpected"]
            assert report["unfinished"] == [], report["unfinished"]
            for conflict in report["conflicts"]:
                assert "reload" in conflict or "retry" in conflict, conflict
        # Between them the stations did every step of every device, and nothing twice.
        done = Counter[str]()
        for report in reports:
            done.update(report["operations"])
        # An erasure recorded on an erased device is another medium of the same pass (laptops): the service allows
        # it, so a station that saw "graded" a moment late adds one; the records must say so, nothing more.
        erasures_done = done.pop("erase")
        assert erasures_done >= DEVICES
        assert done.pop("register") == DEVICES * count  # a register of a known, identified device is a no-op
        assert done == {step: DEVICES for step in ("inspect", "grade", "certify", "approve")}
        # The duel: every round, one edit won and every other station was told who changed it and when.
        for number in range(DUEL_ROUNDS):
            outcomes = [text for report in reports for (round_, text) in report["duels"] if round_ == number]
            assert sorted(outcomes).count("won") == 1, outcomes
            assert all(CONFLICT.search(text) for text in outcomes if text != "won"), outcomes

        committed = sum(report["events_committed"] for report in reports)
        with factory() as uow:
            assert services.verify_chain(uow).valid, services.verify_chain(uow).summary()
            total = uow.session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
            assert total == setup_events + committed
            devices = {
                row.imei: row
                for row in uow.session.execute(sa.select(Device.id, Device.imei, Device.state, Device.colour))
            }
            assert sorted(devices) == sorted(imeis)
            approvals = Counter(
                uow.session.execute(sa.select(ReviewRecord.device_id).where(ReviewRecord.decision == "approved"))
                .scalars()
                .all()
            )
            assert approvals == {device.id: 1 for device in devices.values()}
            erasure_rows = uow.session.execute(sa.select(sa.func.count()).select_from(ErasureRecord)).scalar_one()
            assert erasure_rows == erasures_done
            inspections = Counter(uow.session.execute(sa.select(Inspection.device_id)).scalars().all())
            assert inspections == {device.id: 1 for device in devices.values()}
            colour_events = uow.session.execute(
                sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "device.colour")
            ).scalar_one()
        assert colour_events == DUEL_ROUNDS
        last_winner = [
            r["station"] for r in reports for (n, text) in r["duels"] if n == DUEL_ROUNDS - 1 and text == "won"
        ]
        assert devices[imeis[0]].colour == f"{last_winner[0]} {DUEL_ROUNDS - 1}"
        paths = _state_paths(factory)
        for device in devices.values():
            path = paths[f"device:{device.id}"]
            # One unbroken path: each change starts where the one before ended; none repeats a step.
            assert [to for _, to in path] == ["identified", "inspected", "graded", "erased", "certified", "approved"]
            assert [frm for frm, _ in path] == ["connected", "identified", "inspected", "graded", "erased", "certified"]
            assert device.state == "approved"
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                deadlocks = connection.execute(
                    sa.text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
                ).scalar_one()
            assert deadlocks == 0
        with factory() as uow:
            assert uow.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 7
    finally:
        engine.dispose()

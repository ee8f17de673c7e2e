"""kill -9 of a station in the middle of its work, then restart: on a SQLite file in WAL mode.

A child process (``crash_worker``) walks devices through the real services on a real database file, printing a line
before each call and one after it committed. The test kills it with SIGKILL, either on a line boundary or a few
milliseconds into a chosen step (reading, grading, erasure, certificate, approval, hand-off) so the kill lands inside
the transaction, then reopens the file and checks that nothing committed is lost, nothing half-written is visible,
interrupted inspections resume, and a restarted station finishes the work.
"""

from __future__ import annotations

import json
import os
import random
import selectors
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from audit import db, services
from audit.unit_of_work import UnitOfWork
from tests.audit.bench_flow import make_users

REPO = Path(__file__).resolve().parents[2]
DEVICES = 4  # about 35 committed calls each: one run of the worker takes well under a second
LINE_TIMEOUT_S = 20.0

# Each reading table and the "kind" its reading.recorded event carries next to the row id.
READING_KINDS = {
    "identity_readings": "identity",
    "battery_readings": "battery",
    "lock_readings": "locks",
    "functional_results": "functional",
    "cosmetic_defects": "defect",
}
KIND_TABLES = {kind: table for table, kind in READING_KINDS.items()}
LIFECYCLE = ("identified", "inspected", "graded", "erased", "certified", "approved", "listed")
# The state a device is at least in once the worker saw the step commit.
STATE_AFTER = {
    "register": "identified",
    "start": "identified",
    "reading": "identified",
    "interrupt": "identified",
    "finish": "inspected",
    "grade": "graded",
    "erasure": "erased",
    "certificate": "certified",
    "approve": "approved",
    "hand_off": "listed",
}


@dataclass(frozen=True, slots=True)
class Kill:
    """When to kill: after the ``nth`` ``begin <step>`` line plus a short sleep, or after ``lines`` lines."""

    seed: int
    step: str | None = None

    def plan(self) -> tuple[int, float]:
        rng = random.Random(self.seed)
        if self.step is None:
            return rng.randrange(5, 120), 0.0
        return rng.randrange(1, 4), rng.uniform(0.0, 0.002)


STEPS = ("reading", "grade", "erasure", "certificate", "approve", "hand_off")
KILLS = [
    *(pytest.param(Kill(seed), id=f"line-boundary-{seed}") for seed in (11, 21)),
    *(
        pytest.param(Kill(seed + offset, step), id=f"mid-{step}-{seed + offset}")
        for offset, step in enumerate(STEPS)
        for seed in (30,)
    ),
]
# PostgreSQL: one kill in each step (its server is slower to reach than a file, and the suite has a time budget).
POSTGRES_KILLS = [
    pytest.param(Kill(seed + offset, step), id=f"mid-{step}-{seed + offset}")
    for offset, step in enumerate(STEPS)
    for seed in (70,)
]


class WorkerLines:
    """Lines from the worker's stdout, with a deadline so a stuck worker fails the test instead of hanging it."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        self._fd = process.stdout.fileno()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)
        self._buffer = b""
        self._eof = False

    def close(self) -> None:
        self._selector.close()

    def __iter__(self) -> Iterator[str]:
        deadline = time.monotonic() + LINE_TIMEOUT_S
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                yield line.decode()
            if self._eof:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                raise AssertionError(f"the worker printed nothing for {LINE_TIMEOUT_S} s")
            chunk = os.read(self._fd, 65536)
            if not chunk:
                self._eof = True
            self._buffer += chunk


@contextmanager
def worker(url: str, seed: int, stderr_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], WorkerLines]]:
    with (
        stderr_path.open("wb") as stderr,
        subprocess.Popen(
            [sys.executable, "-m", "tests.crash.crash_worker", url, str(seed), str(DEVICES)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=stderr,
        ) as process,
    ):
        lines = WorkerLines(process)
        try:
            yield process, lines
        finally:
            lines.close()
            if process.poll() is None:
                process.kill()
            process.wait()


def run_and_kill(url: str, kill: Kill, stderr_path: Path) -> list[str]:
    """Start the worker, SIGKILL it as ``kill`` says, and return every line it printed before dying."""
    count, pause = kill.plan()
    seen: list[str] = []
    with worker(url, kill.seed, stderr_path) as (process, lines):
        for line in lines:
            seen.append(line)
            if line == "finished":
                break
            if kill.step is None:
                hit = len(seen) > count
            else:
                hit = (
                    line.startswith(f"begin {kill.step} ")
                    and sum(s.startswith(f"begin {kill.step} ") for s in seen) == count
                )
            if hit:
                if pause:
                    time.sleep(pause)  # a few ms into the call: inside its transaction, or at its commit
                process.send_signal(signal.SIGKILL)
                break
        process.wait()
        # The rest of what it printed before the signal landed: it was committed too.
        seen += list(lines)
        assert process.returncode == -signal.SIGKILL, (
            f"the worker was not killed (exit {process.returncode}): {stderr_path.read_text()[-2000:]}"
        )
    return seen


def run_to_end(url: str, seed: int, stderr_path: Path) -> list[str]:
    with worker(url, seed, stderr_path) as (process, lines):
        seen = list(lines)
        process.wait()
        assert process.returncode == 0, f"the restarted station failed: {stderr_path.read_text()[-3000:]}"
    assert seen[-1] == "finished"
    return seen


def _events(session: Session) -> list[tuple[str, str, dict[str, object]]]:
    rows = session.execute(sa.text("SELECT action, subject, payload FROM audit_events ORDER BY seq"))
    return [(action, subject, json.loads(payload)) for action, subject, payload in rows]


def _ids(session: Session, table: str) -> set[object]:
    return set(session.execute(sa.text(f"SELECT id FROM {table}")).scalars())


def _per_device(session: Session, table: str) -> Counter[int]:
    return Counter(session.execute(sa.text(f"SELECT device_id FROM {table}")).scalars())


def check_consistent(session: Session) -> None:
    """Every row has its audit event and every event its row; states and inspections agree with the chain."""
    events = _events(session)
    by_action: dict[str, list[tuple[str, dict[str, object]]]] = defaultdict(list)
    for action, subject, payload in events:
        by_action[action].append((subject, payload))

    for table, kind in READING_KINDS.items():
        recorded = {p["reading"] for _, p in by_action["reading.recorded"] if p["kind"] == kind}
        assert _ids(session, table) == recorded, f"{table} rows and their reading.recorded events differ"
    for table, action, key in (
        ("erasures", "erasure.recorded", "erasure"),
        ("certificates", "certificate.issued", "certificate"),
        ("listings", "listing.queued", "listing"),
        ("inspections", "inspection.started", "inspection"),
    ):
        assert _ids(session, table) == {p[key] for _, p in by_action[action]}, f"{table} rows and {action} differ"

    def subjects(action: str) -> Counter[int]:
        return Counter(int(subject.removeprefix("device:")) for subject, _ in by_action[action])

    assert _per_device(session, "grades") == subjects("device.graded"), "grades and device.graded events differ"
    assert _per_device(session, "reviews") == subjects("review.approved"), "reviews and review.approved differ"
    listings = _per_device(session, "listings")
    assert all(count == 1 for count in listings.values()), f"a device listed twice: {listings}"
    assert _ids(session, "devices") == set(subjects("device.registered")), "devices and device.registered differ"

    last_state: dict[int, str] = {}
    inspection_status: dict[int, str] = {}
    status_after = {
        "inspection.started": "open",
        "inspection.resumed": "open",
        "inspection.interrupted": "interrupted",
        "inspection.finished": "completed",
    }
    for action, subject, payload in events:
        if action == "device.state":
            last_state[int(subject.removeprefix("device:"))] = str(payload["to"])
        elif action in status_after:
            inspection_status[int(str(payload["inspection"]))] = status_after[action]
    states: dict[int, str] = dict(session.execute(sa.text("SELECT id, state FROM devices")).all())
    assert states == last_state, "a device's state is not the one its last device.state event says"
    statuses: dict[int, str] = dict(session.execute(sa.text("SELECT id, status FROM inspections")).all())
    assert statuses == inspection_status, "an inspection's status is not the one its last event says"


def check_committed(session: Session, lines: list[str]) -> None:
    """Every call the worker saw commit is in the database: its row, and the device at least as far on."""
    states: dict[int, str] = dict(session.execute(sa.text("SELECT id, state FROM devices")).all())
    imeis: dict[str, int] = {
        imei: device_id for device_id, imei in session.execute(sa.text("SELECT id, imei FROM devices")).all()
    }
    for line in lines:
        if not line.startswith("done "):
            continue
        _, name, device, record = line.split(" ")
        device_id = imeis[device] if name == "register" else int(device)
        assert device_id in states, f"committed {line!r} but the device is gone"
        reached = LIFECYCLE.index(states[device_id])
        assert reached >= LIFECYCLE.index(STATE_AFTER[name]), f"committed {line!r} but device is {states[device_id]}"
        table = {"start": "inspections", "erasure": "erasures", "certificate": "certificates", "hand_off": "listings"}
        if name == "reading":
            kind, row_id = record.split(":")
            assert int(row_id) in _ids(session, KIND_TABLES[kind]), f"committed {line!r} but the row is gone"
        elif name == "register":
            assert int(record) == device_id
        elif name in table:
            wanted: object = record if name == "certificate" else int(record)
            assert wanted in _ids(session, table[name]), f"committed {line!r} but the row is gone"


def check_resumable(url: str) -> int:
    """Each unfinished pass belongs to an identified device, one per device, and start_inspection resumes it."""
    engine = db.create_engine_for(url)
    try:
        sessions = db.session_factory(engine)
        with sessions() as session:
            unfinished = session.execute(
                sa.text(
                    "SELECT i.id, i.device_id, d.state FROM inspections i JOIN devices d ON d.id = i.device_id "
                    "WHERE i.status IN ('open', 'interrupted')"
                )
            ).all()
        per_device = Counter(device_id for _, device_id, _ in unfinished)
        assert all(count == 1 for count in per_device.values()), f"several unfinished passes: {unfinished}"
        for inspection_id, device_id, state in unfinished:
            assert state == "identified", f"inspection #{inspection_id} is unfinished but its device is {state}"
            with UnitOfWork(sessions) as uow:
                resumed = services.start_inspection(uow, "tech", device_id, station="bench-2")
            assert resumed == inspection_id, f"device #{device_id} got pass #{resumed}, not its pass #{inspection_id}"
        return len(unfinished)
    finally:
        engine.dispose()


def check_database(url: str, lines: list[str]) -> None:
    engine = db.create_engine_for(url)
    try:
        sessions = db.session_factory(engine)
        with UnitOfWork(sessions) as uow:
            report = services.verify_chain(uow)
            assert report.valid, report.summary()
            assert report.events_checked > 0
        with sessions() as session:
            if engine.dialect.name == "sqlite":
                assert session.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
            check_consistent(session)
            check_committed(session, lines)
    finally:
        engine.dispose()


def add_users(url: str) -> str:
    engine = db.create_engine_for(url)
    sessions = db.session_factory(engine)
    make_users(lambda: UnitOfWork(sessions))
    engine.dispose()
    return url


def kill_restart_and_check(url: str, kill: Kill, tmp_path: Path) -> None:
    before = run_and_kill(url, kill, tmp_path / "killed.err")
    assert "finished" not in before
    if url.startswith("sqlite:"):
        # The killed station's commits live in the WAL until a checkpoint: reopening must recover them from it.
        assert Path(url.removeprefix("sqlite:///") + "-wal").exists(), "no WAL left behind: not in WAL mode"
    check_database(url, before)
    check_resumable(url)

    after = run_to_end(url, kill.seed, tmp_path / "restarted.err")
    check_database(url, before + after)
    engine = db.create_engine_for(url)
    try:
        with engine.connect() as connection:
            states = Counter(connection.execute(sa.text("SELECT state FROM devices")).scalars())
            listings = connection.execute(sa.text("SELECT COUNT(*) FROM listings")).scalar_one()
            unfinished = connection.execute(
                sa.text("SELECT COUNT(*) FROM inspections WHERE status != 'completed'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert states == {"listed": DEVICES}
    assert listings == DEVICES
    assert unfinished == 0


@pytest.mark.parametrize("kill", KILLS)
def test_kill9_sqlite_wal_then_restart_loses_nothing(sqlite_url: str, kill: Kill, tmp_path: Path) -> None:
    kill_restart_and_check(add_users(sqlite_url), kill, tmp_path)


def _fresh_postgres_database(admin_url: str, tag: str) -> str:
    name = f"refurb_crash_{os.getpid()}_{tag}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE refurb_template")
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


@pytest.mark.postgres
@pytest.mark.parametrize("kill", POSTGRES_KILLS)
def test_kill9_postgres_then_restart_loses_nothing(postgres_admin_url: str, kill: Kill, tmp_path: Path) -> None:
    url = _fresh_postgres_database(postgres_admin_url, str(kill.seed))
    kill_restart_and_check(add_users(url), kill, tmp_path)

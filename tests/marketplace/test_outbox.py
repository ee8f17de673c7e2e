"""Approve -> outbox -> catalog upload -> task -> listing visible, on a real database and the simulator; crashes,
storms, task failures, the token kept out of logs, and the CLI handlers (status, push --dry-run, export)."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import logging
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

import keyring
import pytest
import sqlalchemy as sa
from keyring.backend import KeyringBackend
from keyring.backends import fail
from sqlalchemy.engine import Engine

from app.commands import listings as commands
from app.station import Station
from audit import db, services
from audit.models import AuditEvent, Listing
from audit.services import listings as outbox_services
from drivers.marketplace.outbox import Backoff, OutboxSender, PendingLine, SentBatch
from drivers.marketplace.secrets import TOKEN_ENV, Secret, install_redaction, load_token, remove_redaction, store_token
from drivers.sim.backmarket import BackMarketSimulator, Fault
from tests.audit.bench_flow import iphone, make_users, register, to_certified
from tests.marketplace.conftest import TOKEN, FakeClock, assert_conforms, make_client

BLUE = "IPHONE-12-128GB-BLUE-PREMIUM"
BLACK = "IPHONE-12-128GB-BLACK-PREMIUM"


def luhn(base: str) -> str:
    total = 0
    for index, char in enumerate(reversed(base)):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return base + str((10 - total % 10) % 10)


@pytest.fixture
def station(engine: Engine, tmp_path: Path) -> Station:
    return Station(engine=engine, sessions=db.session_factory(engine), name="test", data_dir=tmp_path)


@pytest.fixture
def sqlite_station(sqlite_url: str, tmp_path: Path) -> Iterator[Station]:
    engine = db.create_engine_for(sqlite_url)
    yield Station(engine=engine, sessions=db.session_factory(engine), name="test", data_dir=tmp_path)
    engine.dispose()


def hand_off_devices(station: Station, colours: Sequence[str]) -> list[int]:
    make_users(station.uow)
    listing_ids = []
    for index, colour in enumerate(colours):
        identity = dataclasses.replace(iphone(luhn(f"35693803564{index:03d}"), f"F2LXK0AB{index:04d}"), colour=colour)
        device_id = register(station.uow, identity)
        to_certified(station.uow, device_id)
        with station.uow() as uow:
            services.approve(uow, "audrey", device_id, "checked")
        with station.uow() as uow:
            listing_ids.append(services.hand_off(uow, "wendy", device_id))
    return listing_ids


def sender(station: Station, sim: BackMarketSimulator, clock: FakeClock, **options: object) -> OutboxSender:
    client = make_client(sim, clock)
    return OutboxSender(
        client,
        commands.ServiceOutbox(station, "wendy"),
        backoff=Backoff(),
        rng=__import__("random").Random(3),
        now=clock.utcnow,
        **options,  # type: ignore[arg-type]
    )


def statuses(station: Station) -> dict[int, tuple[str, str | None]]:
    with station.uow() as uow:
        return {view.id: (view.status, view.last_error) for view in outbox_services.listing_status(uow)}


def test_approve_to_listing_visible_on_back_market(
    station: Station, sim: BackMarketSimulator, clock: FakeClock
) -> None:
    ids = hand_off_devices(station, ["Blue", "Blue", "Black"])
    with station.uow() as uow:
        device_states = uow.session.execute(sa.select(Listing.status)).scalars().all()
    assert device_states == ["pending"] * 3
    outbox = sender(station, sim, clock)
    with outbox.client:
        report = outbox.run(sleep=clock.sleep)
        visible = {listing.sku: listing for listing in outbox.client.iter_listings()}
    assert (report.sent_lines, report.tasks_created, report.listed, report.failed) == (2, 1, 3, 0)
    assert {status for status, _ in statuses(station).values()} == {"listed"}
    assert (visible[BLUE].quantity, visible[BLACK].quantity) == (2, 1)  # one listing per SKU, devices counted
    assert visible[BLUE].price == "529.00"
    assert visible[BLUE].grade == "PREMIUM"
    with station.uow() as uow:
        rows = uow.session.execute(sa.select(Listing).where(Listing.id.in_(ids))).scalars().all()
        assert {row.remote_id for row in rows if row.sku == BLUE} == {visible[BLUE].id}
        assert all(row.acknowledged_at is not None and row.attempts == 1 for row in rows)
        assert services.verify_chain(uow).valid
    assert assert_conforms(sim) >= 4
    with outbox.client:
        assert outbox.run(sleep=clock.sleep).idle  # nothing left: a second push sends nothing
    assert sum(sim.lines_received.values()) == 2


class Crash(BaseException):
    """The process dies (not an error anyone catches)."""


class CrashAfterSend(commands.ServiceOutbox):
    def mark_sent(self, listing_ids: Sequence[int], task_id: int) -> None:
        raise Crash


@pytest.mark.parametrize(
    "task_seconds",
    [pytest.param(0.0, id="task-done-before-restart"), pytest.param(600.0, id="task-still-running-at-restart")],
)
def test_a_crash_between_send_and_acknowledgement_lists_nothing_twice(
    station: Station, sim: BackMarketSimulator, clock: FakeClock, task_seconds: float
) -> None:
    hand_off_devices(station, ["Blue", "Blue"])
    sim.task_seconds = task_seconds
    with make_client(sim, clock) as client:
        dying = OutboxSender(client, CrashAfterSend(station, "wendy"), now=clock.utcnow)
        with pytest.raises(Crash):
            dying.run(sleep=clock.sleep)
    assert set(statuses(station).values()) == {("pending", None)}  # the task id never got recorded
    with make_client(sim, clock) as client:  # the station restarts
        report = OutboxSender(client, commands.ServiceOutbox(station, "wendy"), now=clock.utcnow).run(
            sleep=clock.sleep, poll_seconds=120
        )
    assert {status for status, _ in statuses(station).values()} == {"listed"}
    assert len(sim.listings) == 1
    assert sim.listing(BLUE)["quantity"] == 2  # type: ignore[index]
    if task_seconds == 0:
        assert report.reconciled == 2  # found by SKU: nothing sent again
        assert sim.lines_received[BLUE.casefold()] == 1
    else:
        assert report.reconciled == 0  # not visible yet: sent again, absolute quantity, still one listing
        assert sim.lines_received[BLUE.casefold()] == 2
    assert_conforms(sim)


def test_a_failed_task_surfaces_back_markets_text_and_is_retried(
    sqlite_station: Station, sim: BackMarketSimulator, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    (listing_id,) = hand_off_devices(sqlite_station, ["Blue"])
    sim.fail_next_task("Task has been interrupted: catalog service unavailable.")
    outbox = sender(sqlite_station, sim, clock)
    with outbox.client:
        first = outbox.run(sleep=clock.sleep)
        assert first.retried == 1
        status, error = statuses(sqlite_station)[listing_id]
        assert status == "pending"
        assert (
            error
            == f"Back Market task {min(sim.tasks)} failed: Task has been interrupted: catalog service unavailable."
        )
        commands.cmd_status(sqlite_station, argparse.Namespace(json=False, marketplace=None))
        assert "catalog service unavailable" in capsys.readouterr().out
        assert outbox.run(sleep=clock.sleep).sent_lines == 0  # not due yet: backoff
        clock.sleep(3600)
        assert outbox.run(sleep=clock.sleep).listed == 1
    assert statuses(sqlite_station)[listing_id] == ("listed", None)


def test_a_task_failure_past_the_last_attempt_fails_the_listing(
    sqlite_station: Station, sim: BackMarketSimulator, clock: FakeClock
) -> None:
    (listing_id,) = hand_off_devices(sqlite_station, ["Blue"])
    sim.fail_next_task("Catalog ingestion is disabled for this merchant.")
    outbox = sender(sqlite_station, sim, clock, max_attempts=1)
    with outbox.client:
        assert outbox.run(sleep=clock.sleep).failed == 1
    status, error = statuses(sqlite_station)[listing_id]
    assert status == "failed"
    assert error is not None
    assert "Catalog ingestion is disabled for this merchant." in error


def test_a_line_back_market_refuses_fails_with_its_reason(
    sqlite_station: Station, sim: BackMarketSimulator, clock: FakeClock
) -> None:
    ids = hand_off_devices(sqlite_station, ["Blue", "Black"])
    sim.refuse_sku(BLACK, "product 1fabb3df is not sold in this market")
    outbox = sender(sqlite_station, sim, clock)
    with outbox.client:
        report = outbox.run(sleep=clock.sleep)
    assert (report.listed, report.failed) == (1, 1)
    found = statuses(sqlite_station)
    assert found[ids[0]] == ("listed", None)
    assert found[ids[1]][0] == "failed"
    assert "is not sold in this market" in (found[ids[1]][1] or "")


def test_a_429_storm_is_survived_within_the_limits(
    sqlite_station: Station, sim: BackMarketSimulator, clock: FakeClock
) -> None:
    hand_off_devices(sqlite_station, ["Blue", "Black"])
    sim.inject(Fault(429, retry_after=2), count=5)
    outbox = sender(sqlite_station, sim, clock)
    with outbox.client:
        report = outbox.run(sleep=clock.sleep)
        assert outbox.client.rate_limited == 5
    assert report.listed == 2
    assert sim.rate_limited == 0  # the client waited as told: Back Market's own limits never tripped
    assert all(later.at - earlier.at >= 2 for earlier, later in zip(sim.requests[:5], sim.requests[1:6], strict=True))
    assert assert_conforms(sim) == len(sim.requests)


def test_a_server_error_on_upload_is_retried_later_without_a_duplicate(
    sqlite_station: Station, sim: BackMarketSimulator, clock: FakeClock
) -> None:
    (listing_id,) = hand_off_devices(sqlite_station, ["Blue"])
    sim.inject(Fault(503, path="/ws/listings"))
    outbox = sender(sqlite_station, sim, clock)
    with outbox.client:
        assert outbox.run(sleep=clock.sleep).retried == 1
        assert "503" in (statuses(sqlite_station)[listing_id][1] or "")
        clock.sleep(120)
        assert outbox.run(sleep=clock.sleep).listed == 1
    assert sim.lines_received[BLUE.casefold()] == 1


def test_the_token_never_reaches_logs_or_records(
    sqlite_station: Station,
    sim: BackMarketSimulator,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hand_off_devices(sqlite_station, ["Blue"])
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "drivers"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    redaction = install_redaction(Secret(TOKEN))
    try:
        sim.inject(Fault(500, path="/ws/tasks"), count=2)
        outbox = sender(sqlite_station, sim, clock)
        with outbox.client:
            outbox.run(sleep=clock.sleep)
            logging.getLogger("drivers.marketplace").debug("client %r headers %s", outbox.client, f"Basic {TOKEN}")
            try:
                raise RuntimeError(f"echoed Authorization: Basic {TOKEN}")
            except RuntimeError:
                logging.getLogger("drivers.marketplace").exception("a library echoed the header")
    finally:
        remove_redaction(redaction)
        for name in ("httpx", "httpcore", "drivers"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert "HTTP Request: POST" in caplog.text  # httpx did log, at debug level
    assert TOKEN not in caplog.text
    assert caplog.text.count("[redacted]") >= 2
    assert TOKEN not in repr(outbox.client)
    with sqlite_station.uow() as uow:
        columns = Listing.__table__.columns
        stored = " ".join(str(value) for row in uow.session.execute(sa.select(*columns)).all() for value in row)
        assert "IPHONE-12-128GB-BLUE-PREMIUM" in stored  # the scan does read the values
        stored += " ".join(uow.session.execute(sa.select(AuditEvent.payload)).scalars())
    assert TOKEN not in stored


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def keyring_backend() -> Iterator[None]:
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


@pytest.mark.usefixtures("keyring_backend")
def test_the_token_comes_from_the_keyring_first_then_the_environment() -> None:
    keyring.set_keyring(MemoryKeyring())
    store_token("from-keyring")
    assert load_token(environ={TOKEN_ENV: "from-env"}).reveal() == "from-keyring"
    keyring.set_keyring(fail.Keyring())  # a machine without a keyring
    assert load_token(environ={TOKEN_ENV: "from-env"}).reveal() == "from-env"
    with pytest.raises(Exception, match=TOKEN_ENV):
        load_token(environ={})


def test_dry_run_shows_exactly_what_would_be_sent_and_sends_nothing(
    sqlite_station: Station, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hand_off_devices(sqlite_station, ["Blue", "Blue"])
    monkeypatch.setenv(commands.USER_AGENT_ENV, "BM-Acme-RefurbStation;ops@acme.example")
    monkeypatch.setenv(commands.URL_ENV, "http://127.0.0.1:9")  # nothing listens: a request would fail
    args = argparse.Namespace(dry_run=True, market=None, limit=500, actor=None, max_rounds=1)
    assert commands.cmd_push(sqlite_station, args) == 0
    out = capsys.readouterr().out
    assert "POST http://127.0.0.1:9/ws/listings" in out
    assert "user-agent: BM-Acme-RefurbStation;ops@acme.example" in out
    assert "authorization: Basic [redacted]" in out
    assert "accept-language: fr-fr" in out
    assert '"IPHONE-12-128GB-BLUE-PREMIUM";"1fabb3df-c319-5f97-bc13-1b143eef012c";"2";"529.00"' in out
    assert set(statuses(sqlite_station).values()) == {("pending", None)}
    with sqlite_station.uow() as uow:
        assert set(uow.session.execute(sa.select(Listing.attempts)).scalars()) == {0}


@pytest.mark.usefixtures("keyring_backend")
def test_push_through_the_command_on_real_time(
    sqlite_station: Station,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hand_off_devices(sqlite_station, ["Blue"])
    with BackMarketSimulator(TOKEN) as simulator:
        monkeypatch.setenv(commands.USER_AGENT_ENV, "BM-Acme-RefurbStation;ops@acme.example")
        monkeypatch.setenv(commands.URL_ENV, simulator.url)
        monkeypatch.setenv(TOKEN_ENV, TOKEN)
        keyring.set_keyring(fail.Keyring())  # this machine has no keyring: the environment gives the token
        args = argparse.Namespace(dry_run=False, market="fr-fr", limit=500, actor="wendy", max_rounds=5)
        assert commands.cmd_push(sqlite_station, args) == 0
        assert simulator.listing(BLUE) is not None
    assert "1 listed" in capsys.readouterr().out


def test_export_writes_the_catalog_with_ebay_conditions(sqlite_station: Station, tmp_path: Path) -> None:
    hand_off_devices(sqlite_station, ["Blue", "Blue", "Black"])
    target = tmp_path / "catalog.csv"
    assert commands.cmd_export(sqlite_station, argparse.Namespace(csv=str(target))) == 0
    with target.open(encoding="utf-8") as exported:
        rows = list(csv.DictReader(exported))
    assert [(r["sku"], r["quantity"], r["ebay_condition_id"], r["grade"]) for r in rows] == [
        (BLUE, "2", "2000", "PREMIUM"),
        (BLACK, "1", "2000", "PREMIUM"),
    ]


def test_the_store_speaks_the_senders_protocol(sqlite_station: Station, clock: FakeClock) -> None:
    hand_off_devices(sqlite_station, ["Blue"])
    store = commands.ServiceOutbox(sqlite_station, "wendy")
    (line,) = store.due(clock.utcnow().replace(year=2100), 10)
    assert isinstance(line, PendingLine)
    assert (line.sku, line.market, line.maybe_sent, line.row["quantity"]) == (BLUE, "fr-fr", False, "1")
    store.mark_attempt(line.listing_ids, clock.utcnow())
    assert store.due(datetime.now().astimezone(), 10)[0].maybe_sent
    store.mark_sent(line.listing_ids, 77)
    assert store.awaiting() == [SentBatch(77, "fr-fr", {BLUE: line.listing_ids}, 1)]

"""The status bar: which database, which station, and whether the audit chain is intact (checked at start)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from app.gui.main_window import MainWindow
from app.station import Station
from tests.audit.bench_flow import register, to_certified
from tests.gui.conftest import GUI, TECH

pytestmark = GUI


@pytest.fixture
def certified(staffed: Station) -> Station:
    to_certified(staffed.uow, register(staffed.uow))
    return staffed


def test_shows_database_station_and_a_valid_chain(
    qtbot: QtBot, certified: Station, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.start(signed_in_as=TECH)

    qtbot.waitUntil(lambda: window.chain_label.text().startswith("Audit chain valid"))
    with certified.engine.connect() as connection:
        events = connection.execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one()
    assert window.chain_label.text() == f"Audit chain valid: {events} events"
    assert window.database_label.text() == f"Database: {certified.engine.url}"
    assert window.station_label.text() == f"Station: {certified.name}"


def test_a_tampered_event_shows_the_chain_broken_in_red(
    qtbot: QtBot, certified: Station, make_window: Callable[[], MainWindow]
) -> None:
    with certified.engine.begin() as connection:
        connection.execute(sa.text("UPDATE audit_events SET actor = 'audrey' WHERE seq = 12"))
    window = make_window()
    window.start(signed_in_as=TECH)

    qtbot.waitUntil(lambda: "BROKEN" in window.chain_label.text())
    assert window.chain_label.text().startswith("Audit chain BROKEN: #12")
    assert "#b3261e" in window.chain_label.styleSheet()


def test_a_database_url_never_shows_its_password(station: Station, make_window: Callable[[], MainWindow]) -> None:
    station.engine.url = sa.engine.make_url("postgresql+psycopg://refurb:s3cret@db.example/refurb")
    window = make_window()
    assert "s3cret" not in window.database_label.text()
    assert "refurb:***@db.example" in window.database_label.text()

"""Fixtures for the window tests: a real station on a migrated SQLite file, a real thread pool behind the bridge."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.gui.bridge import Bridge
from app.gui.main_window import MainWindow
from app.gui.tasks import Person
from app.station import Station, bootstrap
from tests.audit.bench_flow import make_users

TECH = Person("tech", "technician")

GUI = pytest.mark.gui


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread() -> Iterator[None]:
    """As the app does (app/gui/garbage.py): no garbage collection may start on a pool thread mid-test."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()
    gc.collect()


@pytest.fixture
def station(sqlite_url: str) -> Iterator[Station]:
    station = bootstrap(sqlite_url, migrate=False)
    yield station
    station.close()


@pytest.fixture
def staffed(station: Station) -> Station:
    """The station with the bench_flow people (admin, tech, tech2, audrey, auguste, wendy)."""
    make_users(station.uow)
    return station


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    pool = QThreadPool()
    yield pool
    pool.waitForDone()


@pytest.fixture
def bridge(pool: QThreadPool) -> Bridge:
    return Bridge(pool)


@pytest.fixture
def make_window(
    qtbot: QtBot, station: Station, bridge: Bridge, pool: QThreadPool
) -> Iterator[Callable[[], MainWindow]]:
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(station, bridge)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        return window

    yield make
    pool.waitForDone()  # no worker may outlive the window's database
    for window in windows:
        window.close()

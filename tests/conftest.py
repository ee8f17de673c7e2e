"""Shared fixtures: real databases (a SQLite file and a throwaway PostgreSQL server), migrated by Alembic."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from audit import db
from audit.unit_of_work import UnitOfWork
from tests.postgres_server import PostgresUnavailable, postgres_server

# Tests never need a screen: Qt draws offscreen unless someone asks for a real display (screenshots under Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BACKENDS = ("sqlite", "postgresql")
_counter = itertools.count()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's data directory, database or devices from a test."""
    monkeypatch.setenv("REFURB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    # No test may reach the machine's real usbmuxd: the iOS tests point this at their simulator.
    monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", str(tmp_path / "no-usbmuxd.sock"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy, which is much faster than migrating again."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = db.create_engine_for(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file we copy
    return path


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    try:
        with postgres_server() as url:
            admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql("CREATE DATABASE refurb_template")
            admin.dispose()
            template_engine = db.create_engine_for(url.rsplit("/", 1)[0] + "/refurb_template")
            db.upgrade(template_engine)
            template_engine.dispose()
            yield url
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not available here: {exc}")


def _fresh_postgres(admin_url: str) -> str:
    name = f"refurb_test_{os.getpid()}_{next(_counter)}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE refurb_template")
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated, empty database: a SQLite file, then a PostgreSQL database (tests run once on each)."""
    if request.param == "sqlite":
        target = tmp_path / "station.sqlite3"
        shutil.copyfile(sqlite_template, target)
        return f"sqlite:///{target}"
    request.applymarker(pytest.mark.postgres)
    return _fresh_postgres(request.getfixturevalue("postgres_admin_url"))


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    target = tmp_path / "station.sqlite3"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = db.create_engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow_factory(engine: Engine) -> Callable[[], UnitOfWork]:
    sessions = db.session_factory(engine)
    return lambda: UnitOfWork(sessions)

"""The composition root: the one place that builds the engine, migrates, and hands out units of work.

Nothing heavy happens at import time; ``bootstrap()`` does the work when the CLI or the GUI asks for it.
"""

from __future__ import annotations

import dataclasses
import os
import socket
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from audit import db
from audit.certificates import Signer
from audit.unit_of_work import UnitOfWork


@dataclasses.dataclass
class Station:
    """What every command and window needs: where the records are, and who this station is."""

    engine: Engine
    sessions: sessionmaker[Session]
    name: str
    data_dir: Path

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    def signer(self) -> Signer:
        return Signer.load_or_create(self.data_dir / "keys" / "station_ed25519.pem")

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(database_url: str | None = None, *, migrate: bool = True) -> Station:
    """Open (and by default migrate) the station's database."""
    url = db.resolve_database_url(database_url)
    engine = db.create_engine_for(url)
    if migrate:
        db.upgrade(engine)
    name = os.environ.get("REFURB_STATION_NAME") or socket.gethostname()
    return Station(engine=engine, sessions=db.session_factory(engine), name=name, data_dir=db.data_dir())

"""A small bench of devices walked through the real services into a real SQLite file, for the documents to read."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from audit import db, services
from audit.certificates import Signer
from audit.readings import CosmeticDefect, DefectKind, DefectSeverity, DefectZone
from audit.unit_of_work import UnitOfWork
from tests.audit.bench_flow import erasure, inspect, iphone, make_users, register

UowFactory = Callable[[], UnitOfWork]


@dataclasses.dataclass(frozen=True)
class Bench:
    uow: UowFactory
    signer: Signer
    device_id: int
    certificate_id: str
    lot_reference: str


@pytest.fixture
def sqlite_uow(sqlite_url: str) -> Iterator[UowFactory]:
    engine = db.create_engine_for(sqlite_url)
    sessions = db.session_factory(engine)
    yield lambda: UnitOfWork(sessions)
    engine.dispose()


def build_bench(uow_factory: UowFactory, key_path: Path) -> Bench:
    """One iPhone declared in a lot, inspected (one light scratch), graded, erased, certified and approved."""
    make_users(uow_factory)
    signer = Signer.load_or_create(key_path)
    device_id = register(uow_factory, iphone())
    with uow_factory() as uow:
        services.receive_lot(
            uow,
            "wendy",
            reference="LOT-2026-042",
            partner="Reprise Société Générale d'Électronique",
            quoted_on=date.today(),
            lines=[
                services.DeclaredLine("iPhone 12", 128, "excellent", "310.00", identifier=iphone().imeis[0]),
                services.DeclaredLine("iPhone 11", 64, "good", "150.00"),
            ],
        )
    scratch = CosmeticDefect(DefectZone.BACK, DefectKind.SCRATCH, DefectSeverity.LIGHT, "near the camera")
    inspect(uow_factory, device_id, defects=(scratch,))
    with uow_factory() as uow:
        services.grade_device(uow, "tech", device_id, genuine_parts=True)
    with uow_factory() as uow:
        services.record_erasure(uow, "tech", device_id, erasure())
    with uow_factory() as uow:
        certificate_id = services.issue_certificate(uow, "tech", device_id, signer, station="bench-1")
    with uow_factory() as uow:
        services.approve(uow, "audrey", device_id, "checked")
    return Bench(uow_factory, signer, device_id, certificate_id, "LOT-2026-042")


@pytest.fixture
def bench(sqlite_uow: UowFactory) -> Bench:
    """A fresh bench whose signing key is the station's own (in the test's data directory)."""
    return build_bench(sqlite_uow, db.data_dir() / "keys" / "station_ed25519.pem")


@pytest.fixture(scope="module")
def shared_bench(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Bench]:
    """One bench for a whole module of read-only tests (documents never write)."""
    folder = tmp_path_factory.mktemp("shared-bench")
    shutil.copyfile(sqlite_template, folder / "station.sqlite3")
    engine = db.create_engine_for(f"sqlite:///{folder / 'station.sqlite3'}")
    sessions = db.session_factory(engine)
    yield build_bench(lambda: UnitOfWork(sessions), folder / "station_ed25519.pem")
    engine.dispose()

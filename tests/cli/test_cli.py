"""The refurb-station command line, on a real SQLite file: clear lines out, one clear line and a status on error."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.cli import EXIT_CHAIN_BROKEN, EXIT_NOT_FOUND, EXIT_OK, EXIT_REFUSED, main
from audit import db
from tests.audit.bench_flow import make_users, register, to_certified


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def test_db_upgrade_creates_and_reports(capsys: pytest.CaptureFixture[str], url: str) -> None:
    status, out, _ = run(capsys, "--database-url", url, "db", "upgrade")
    assert status == EXIT_OK
    assert re.search(r"schema revision: (\d{4}) \(latest \1\)", out), out


def test_default_database_lives_in_the_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "db", "status")
    assert status == EXIT_OK
    assert os.environ["REFURB_DATA_DIR"] in out
    assert (Path(os.environ["REFURB_DATA_DIR"]) / "station.sqlite3").exists()


def test_environment_variable_selects_the_database(
    capsys: pytest.CaptureFixture[str], url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFURB_DATABASE_URL", url)
    run(capsys, "db", "upgrade")
    assert Path(url.removeprefix("sqlite:///")).exists()


def test_user_add_bootstrap_then_admin_only(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert run(capsys, "--database-url", url, "user", "add", "alice", "--role", "admin")[0] == EXIT_OK
    status, _, err = run(capsys, "--database-url", url, "user", "add", "bob", "--role", "technician")
    assert status == EXIT_REFUSED
    assert err.strip() == "refurb-station: error: not allowed: an admin must add users: say who you are (--as NAME)"
    status, out, _ = run(capsys, "--database-url", url, "--as", "alice", "user", "add", "bob", "--role", "technician")
    assert (status, out.strip()) == (EXIT_OK, "added bob (technician)")
    status, out, _ = run(capsys, "--database-url", url, "user", "list")
    assert "alice" in out
    assert "bob" in out
    status, _, err = run(capsys, "--database-url", url, "--as", "bob", "user", "add", "eve", "--role", "admin")
    assert status == EXIT_REFUSED
    assert "bob (technician) may not manage users" in err


def test_bad_role_is_a_usage_error(capsys: pytest.CaptureFixture[str], url: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--database-url", url, "user", "add", "x", "--role", "janitor"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_device_show_full_history(capsys: pytest.CaptureFixture[str], url: str) -> None:
    station_engine = db.create_engine_for(url)
    db.upgrade(station_engine)
    sessions = db.session_factory(station_engine)
    from audit.unit_of_work import UnitOfWork

    factory = lambda: UnitOfWork(sessions)  # noqa: E731
    make_users(factory)
    to_certified(factory, register(factory))
    station_engine.dispose()
    status, out, _ = run(capsys, "--database-url", url, "device", "show", "35 693803 564380 9")
    assert status == EXIT_OK
    assert out.startswith("Apple iPhone 12 (356938035643809)")
    assert "state      certified" in out
    assert "battery SoH 91%, 312 cycles -> sellable" in out
    assert "graded -> erased" in out
    status, out, _ = run(capsys, "--database-url", url, "device", "show", "F2LXK0ABHG7F", "--json")
    data = json.loads(out)
    assert data["state"] == "certified"
    assert data["imeis"] == ["356938035643809"]
    status, _, err = run(capsys, "--database-url", url, "device", "show", "NOPE123")
    assert status == EXIT_NOT_FOUND
    assert err.strip() == "refurb-station: error: no device with IMEI or serial 'NOPE123'"


def test_verify_chain_detects_tampering(capsys: pytest.CaptureFixture[str], url: str) -> None:
    run(capsys, "--database-url", url, "user", "add", "alice", "--role", "admin")
    run(capsys, "--database-url", url, "--as", "alice", "user", "add", "bob", "--role", "technician")
    status, out, _ = run(capsys, "--database-url", url, "audit", "verify-chain")
    assert (status, out.strip()) == (EXIT_OK, "audit chain valid: 2 events, head #2")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text('UPDATE audit_events SET payload = \'{"role":"admin"}\' WHERE seq = 2'))
    engine.dispose()
    status, out, _ = run(capsys, "--database-url", url, "audit", "verify-chain")
    assert status == EXIT_CHAIN_BROKEN
    assert "audit chain BROKEN" in out
    assert "#2: content does not match its hash (edited)" in out


def test_unreachable_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--database-url", "postgresql://nobody@127.0.0.1:1/none", "db", "status")
    assert status == 1
    assert err.startswith("refurb-station: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_unwritable_database_folder_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    status, _, err = run(capsys, "--database-url", f"sqlite:///{blocker}/sub/db.sqlite3", "db", "status")
    assert status == 1
    assert "cannot create the database folder" in err


@pytest.mark.parametrize(
    "command",
    [["refurb-station", "--help"], [sys.executable, "-m", "app", "--help"]],
    ids=["console-script", "python-m-app"],
)
def test_entry_points_print_help(command: list[str]) -> None:
    if command[0] == "refurb-station":
        script = shutil.which("refurb-station", path=str(Path(sys.executable).parent))
        assert script, "the console script is installed with the package"
        command = [script, *command[1:]]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    for word in ("db", "user", "device", "audit", "run"):
        assert word in result.stdout

"""End to end through ``refurb-station``: the agent on the simulated laptop erases and bundles; a SQLite station
trusts its key and imports the bundle once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.cli import main
from audit import db
from audit.models import AgentBundle, BatteryRecord, Device, ErasureRecord, FunctionalRecord, Inspection, LockRecord

AGENT = "agent-usb-1"


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str) -> None:
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        self.url = url

    def on(self, data_dir: Path, name: str) -> Cli:
        """Act as the station with this data directory (its signing key) and name."""
        self.monkeypatch.setenv("REFURB_DATA_DIR", str(data_dir))
        self.monkeypatch.setenv("REFURB_STATION_NAME", name)
        return self

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        status = main(["--database-url", self.url, *argv])
        out, err = self.capsys.readouterr()
        return status, out, err


def counts(url: str) -> dict[str, int]:
    engine = db.create_engine_for(url)
    try:
        with engine.connect() as connection:
            return {
                model.__tablename__: connection.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
                for model in (
                    Device,
                    Inspection,
                    BatteryRecord,
                    LockRecord,
                    FunctionalRecord,
                    ErasureRecord,
                    AgentBundle,
                )
            }
    finally:
        engine.dispose()


def test_agent_bundle_reaches_the_station_once(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(capsys, monkeypatch, sqlite_url)
    agent = cli.on(tmp_path / "agent", AGENT)
    monkeypatch.setenv("REFURB_OPERATOR", "Jo Martin")  # configured on the agent's stick
    status, out, _ = agent("agent", "inspect", "--simulate")
    assert status == 0
    assert "PF1ABCDE" in out
    status, out, _ = agent("agent", "erase", "/dev/nvme0n1", "--simulate", "--yes", "--output", str(tmp_path / "r"))
    assert status == 0, out
    report = out.strip().splitlines()[-1]
    bundle = tmp_path / "bundle.json"
    assert json.loads(Path(report).read_text())["report"]["operator"] == "Jo Martin"  # $REFURB_OPERATOR
    status, out, _ = agent("agent", "bundle", "--simulate", "--erasure", report, "--output", str(bundle))
    assert status == 0
    assert "operator Jo Martin" in out
    signed = json.loads(json.loads(bundle.read_text())["payload"])
    assert signed["operator"] == "Jo Martin"
    assert signed["inspection"]["locks"]["icloud"]["state"] == "not applicable"  # a Lenovo
    assert signed["inspection"]["locks"]["mdm"]["state"] == "unknown"
    assert set(signed["inspection"]["firmware_locks"]) == {"firmware_password", "computrace"}
    status, pem, _ = agent("agent", "public-key")
    (tmp_path / "agent.pem").write_text(pem)

    station = cli.on(tmp_path / "central", "bench-1")
    assert station("user", "add", "admin", "--role", "admin")[0] == 0
    assert station("--as", "admin", "user", "add", "tech", "--role", "technician")[0] == 0
    before = counts(sqlite_url)

    status, _, err = station("--as", "tech", "agent", "import", str(bundle))
    assert status == 3
    assert "which this database does not trust" in err
    assert counts(sqlite_url) == before

    status, _, err = station("--as", "tech", "agent", "trust-key", str(tmp_path / "agent.pem"), "--station", AGENT)
    assert status == 3
    assert "may not register station keys" in err
    status, out, _ = station("--as", "admin", "agent", "trust-key", str(tmp_path / "agent.pem"), "--station", AGENT)
    assert status == 0
    assert out.startswith("trusted key ")

    status, out, _ = station("--as", "tech", "agent", "import", str(bundle))
    assert status == 0, out
    assert "recorded LENOVO ThinkPad T480s (PF1ABCDE): identified, inspection #1, 4 reading(s)" in out
    assert "1 erasure(s) wait for the device to be graded" in out
    assert "operator Jo Martin" in out
    assert "note     agent run by Jo Martin" in out
    assert "firmware password not checked by the agent" in out
    after = counts(sqlite_url)
    assert after == {
        "devices": 1,
        "inspections": 1,
        "battery_readings": 1,
        "lock_readings": 1,
        "functional_results": 2,
        "erasures": 0,
        "agent_bundles": 1,
    }

    status, out, _ = station("--as", "tech", "agent", "import", str(bundle), "--json")
    assert status == 0
    result = json.loads(out)
    assert result["already_imported"] is True
    assert result["erasures_waiting"] == 1
    assert result["operator"] == "Jo Martin"
    assert counts(sqlite_url) == after

    status, _, err = station("--as", "tech", "agent", "record-erasures", "PF1ABCDE")
    assert status == 3
    assert "recorded once it is graded" in err

    document = json.loads(bundle.read_text())
    document["payload"] = document["payload"].replace('"status":"erased"', '"status":"failed"')
    bundle.write_text(json.dumps(document))
    status, _, err = station("--as", "tech", "agent", "import", str(bundle))
    assert status == 1
    assert "it was altered" in err
    assert counts(sqlite_url) == after

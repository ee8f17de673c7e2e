"""The agent and certificate command handlers, on the simulated laptop, real files and a real SQLite station."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import CommandError
from app.commands import agent, certificate
from app.station import Station, bootstrap
from audit import services
from audit.certificates import CertificateError, Signer, certificate_payload
from tests.audit.bench_flow import erasure, inspect, make_users, register


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="refurb-station")
    commands = parser.add_subparsers(dest="command")
    agent.add_commands(commands)
    certificate.add_commands(commands)
    return parser.parse_args(list(argv))


@pytest.fixture
def station(sqlite_url: str) -> Iterator[Station]:
    built = bootstrap(sqlite_url, migrate=False)
    yield built
    built.close()


def run(station: Station, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    args = _parse(*argv)
    status = args.handler(station, args)
    out, err = capsys.readouterr()
    return status, out, err


def test_inspect_simulated_laptop(station: Station, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(station, capsys, "agent", "inspect", "--simulate")
    assert status == 0
    assert "laptop     LENOVO ThinkPad T480s" in out
    assert "battery    linux-sysfs:BAT0: health 80.4 %, cycles 312" in out
    assert "/dev/nvme0n1 SAMSUNG MZVLB512HBJQ-000L7 (nvme, 512 GB): good" in out
    status, out, _ = run(station, capsys, "agent", "inspect", "--simulate", "--json")
    result = json.loads(out)
    assert result["inventory"]["serial"] == "PF1ABCDE"
    assert [d["health"] for d in result["disks"]] == ["good", "unknown"]


def test_erase_needs_yes_and_refuses_the_boot_stick(station: Station, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError, match="add --yes"):
        run(station, capsys, "agent", "erase", "/dev/nvme0n1", "--simulate")
    with pytest.raises(CommandError, match="mounted at /run/live/medium") as refused:
        run(station, capsys, "agent", "erase", "/dev/sda", "--simulate", "--yes")
    assert refused.value.status == 3


def test_dry_run_prints_the_plan_and_writes_nothing(
    station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, _ = run(
        station, capsys, "agent", "erase", "/dev/nvme0n1", "--simulate", "--dry-run", "--output", str(tmp_path / "r")
    )
    assert status == 0
    assert "dry run: nothing will be written" in out
    assert "NIST SP 800-88 Clear: overwrite zeros, 1 pass" in out
    assert "S/N S4ENNX0N123456" in out
    assert not (tmp_path / "r").exists()
    status, out, _ = run(
        station, capsys, "agent", "erase", "/dev/nvme0n1", "--simulate", "--dry-run", "--method", "purge"
    )
    assert "NIST SP 800-88 Purge: nvme sanitize, crypto erase" in out
    assert "run         nvme sanitize /dev/nvme0 --sanact=4" in out


@pytest.mark.parametrize(
    ("extra", "method"),
    [
        (["--pattern", "random", "--pattern", "zeros", "--verify", "all"], "overwrite random, then zeros, 2 passes"),
        (["--method", "purge"], "nvme sanitize, crypto erase"),
    ],
    ids=["clear", "purge"],
)
def test_erase_simulated_disk_writes_the_report(
    station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], method: str
) -> None:
    status, out, err = run(
        station, capsys, "agent", "erase", "/dev/nvme0n1", "--simulate", "--yes", "--output", str(tmp_path), *extra
    )
    assert status == 0, out
    report = json.loads(Path(out.strip().splitlines()[-1]).read_text())
    assert report["outcome"]["status"] == "erased"
    assert report["outcome"]["method"] == method
    assert report["report"]["media"]["serial"] == "S4ENNX0N123456"
    assert "status      ERASED" in out
    if "purge" not in extra:
        assert "verify pass 2/2: 100.0 %" in err


def test_erase_an_image_file_for_real(station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    image = tmp_path / "drive.img"
    image.write_bytes(b"secret" * 100_000)
    status, out, _ = run(
        station, capsys, "agent", "erase", str(image), "--yes", "--verify", "sample", "--output", str(tmp_path)
    )
    assert status == 0
    assert image.read_bytes() == bytes(600_000)
    report = json.loads(Path(out.strip().splitlines()[-1]).read_text())
    assert report["report"]["verification"] == "sampled 10.0% of the blocks"


def test_a_character_device_is_not_a_disk(station: Station, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError, match="full is not a block device this system knows") as refused:
        run(station, capsys, "agent", "erase", "/dev/full", "--yes")
    assert refused.value.status == 3


def test_bundle_round_trip_and_tampering(station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    image = tmp_path / "drive.img"
    image.write_bytes(b"x" * 10_000)
    _, out, _ = run(station, capsys, "agent", "erase", str(image), "--yes", "--output", str(tmp_path))
    report = out.strip().splitlines()[-1]
    bundle = tmp_path / "bundle.json"
    with pytest.raises(CommandError, match="--operator NAME"):  # who ran the agent goes in every bundle
        run(station, capsys, "agent", "bundle", "--simulate", "--erasure", report, "--output", str(bundle))
    assert not bundle.exists()
    status, out, _ = run(
        station,
        capsys,
        "agent",
        "bundle",
        "--simulate",
        "--operator",
        "Jo",
        "--erasure",
        report,
        "--output",
        str(bundle),
    )
    assert status == 0
    assert out.strip().splitlines()[-1] == str(bundle)
    status, out, _ = run(station, capsys, "agent", "import", str(bundle))
    assert status == 0
    assert "S/N PF1ABCDE" in out
    assert "erased (overwrite zeros, 1 pass)" in out
    document = json.loads(bundle.read_text())
    document["payload"] = document["payload"].replace("PF1ABCDE", "PF1ABCDX")
    bundle.write_text(json.dumps(document))
    with pytest.raises(CertificateError, match="altered"):
        run(station, capsys, "agent", "import", str(bundle))


# --- certificates ----------------------------------------------------------------------------------------------


def _certificate(signer: Signer, **changes: object) -> str:
    fields: dict[str, object] = {
        "certificate_id": "c0ffee00-0000-4000-8000-000000000001",
        "station": "bench-1",
        "media": {"manufacturer": "LENOVO", "model": "ThinkPad T480s", "serial": "PF1ABCDE"},
        "sanitization": {"category": "clear", "method": "overwrite zeros, 1 pass", "status": "erased"},
        "key_fingerprint": signer.fingerprint,
    }
    fields.update(changes)
    return certificate_payload(fields)


def _write(path: Path, payload: str, signer: Signer, *, embedded: Signer | None = None) -> Path:
    document = certificate.certificate_file(payload, signer.sign(payload), (embedded or signer).public_pem())
    path.write_text(json.dumps(document, indent=2))
    return path


def test_valid_certificate(station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    signer = Signer.generate()
    path = _write(tmp_path / "c.json", _certificate(signer), signer)
    status, out, _ = run(station, capsys, "certificate", "verify", str(path))
    assert status == 0
    assert "is valid" in out
    assert "LENOVO ThinkPad T480s S/N PF1ABCDE" in out


def test_one_edited_field_fails_and_is_named(
    station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    signer = Signer.generate()
    path = _write(tmp_path / "c.json", _certificate(signer), signer)
    document = json.loads(path.read_text())
    document["certificate"]["media"]["serial"] = "OTHER"
    document["payload"] = document["payload"].replace('"status":"erased"', '"status":"ERASED"')
    path.write_text(json.dumps(document))
    status, out, _ = run(station, capsys, "certificate", "verify", str(path))
    assert status == 1
    assert "signature: the certificate's signature does not match its content" in out
    assert "certificate.media.serial: signed value 'PF1ABCDE', file says 'OTHER'" in out


def test_wrong_key_and_fingerprint(station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    signer, other = Signer.generate(), Signer.generate()
    path = _write(tmp_path / "c.json", _certificate(signer), signer)
    trusted = tmp_path / "station.pem"
    trusted.write_text(other.public_pem())
    status, out, _ = run(station, capsys, "certificate", "verify", str(path), "--public-key", str(trusted))
    assert status == 1
    assert f"the file carries key {signer.fingerprint}, not the trusted key {other.fingerprint}" in out
    status, out, _ = run(station, capsys, "certificate", "verify", str(path), "--fingerprint", other.fingerprint)
    assert f"fingerprint {signer.fingerprint} is not the trusted" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json", "not JSON"), ('{"payload": "x"}', "no signature"), ("[]", "not a certificate file")],
    ids=["garbage", "no-signature", "a-list"],
)
def test_not_a_certificate(
    station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "c.json"
    path.write_text(content)
    with pytest.raises(CertificateError, match=message):
        run(station, capsys, "certificate", "verify", str(path))


def test_export_from_the_database_and_a_forged_copy(
    station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    make_users(station.uow)
    device = register(station.uow)
    inspect(station.uow, device)
    with station.uow() as uow:
        services.grade_device(uow, "tech", device, genuine_parts=True)
    with station.uow() as uow:
        services.record_erasure(uow, "tech", device, erasure())
    with station.uow() as uow:
        certificate_id = services.issue_certificate(uow, "tech", device, station.signer(), station="bench-1")
    status, out, _ = run(station, capsys, "certificate", "export", certificate_id, "--output", str(tmp_path / "c.json"))
    assert status == 0
    status, out, _ = run(station, capsys, "certificate", "verify", str(tmp_path / "c.json"))
    assert status == 0
    assert "matches the record in this station's database" in out
    # a forger edits the status and re-signs with their own key: the signature holds, nothing else does
    document = json.loads((tmp_path / "c.json").read_text())
    forger = Signer.generate()
    forged = document["payload"].replace('"status":"erased"', '"status":"ERASED!"')
    _write(tmp_path / "forged.json", forged, forger)
    status, out, _ = run(station, capsys, "certificate", "verify", str(tmp_path / "forged.json"))
    assert status == 1
    assert (
        f"key_fingerprint: the certificate names {station.signer().fingerprint}, signed by {forger.fingerprint}" in out
    )
    assert "against the database record: sanitization.status: signed value 'erased', file says 'ERASED!'" in out


def test_a_loose_drive_is_erased_from_the_bench_with_the_same_engine(
    station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    image = tmp_path / "dock.img"
    image.write_bytes(b"customer data" * 50_000)
    status, out, _ = run(station, capsys, "erase", str(image), "--dry-run")
    assert status == 0
    assert out.startswith("dry run: nothing will be written")
    assert "NIST SP 800-88 Clear: overwrite zeros, 1 pass" in out
    assert image.read_bytes().startswith(b"customer data")  # a dry run writes nothing
    status, out, _ = run(station, capsys, "erase", str(image), "--yes", "--verify", "all", "--output", str(tmp_path))
    assert status == 0
    assert image.read_bytes() == bytes(650_000)
    report = json.loads(Path(out.strip().splitlines()[-1]).read_text())
    assert report["report"]["verification_result"] == "passed"

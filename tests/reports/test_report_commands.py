"""The ``report`` and ``label`` command handlers, parsed by their own sub-parsers and run on a real station."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.commands import certificate, report
from app.station import Station, bootstrap
from audit.certificates import CertificateError
from tests.reports.conftest import Bench
from tests.reports.pdf_tools import pdf_text
from tests.reports.test_label_printer import RawPrinter, _wait_for


@pytest.fixture
def station(bench: Bench, sqlite_url: str) -> Iterator[Station]:
    station = bootstrap(sqlite_url)
    yield station
    station.close()


def run(station: Station, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="refurb-station")
    commands = parser.add_subparsers(dest="command")
    report.add_commands(commands)
    certificate.add_commands(commands)
    args = parser.parse_args(argv)
    status: int = args.handler(station, args)
    return status


def test_report_device_in_french(station: Station, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.pdf"
    assert run(station, "report", "device", "356938035643809", "--lang", "fr", "-o", str(out)) == 0
    assert "Rapport d'audit de l'appareil" in pdf_text(out)[0]
    assert f"wrote {out}" in capsys.readouterr().out


def test_report_lot_into_a_folder(station: Station, tmp_path: Path) -> None:
    assert run(station, "report", "lot", "LOT-2026-042", "-o", str(tmp_path)) == 0
    assert "Counter-offer total €279.00" in pdf_text(tmp_path / "lot_LOT-2026-042.pdf")[0]


def test_certificate_then_verify(
    station: Station, bench: Bench, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(station, "report", "certificate", "F2LXK0ABHG7F", "-o", str(tmp_path)) == 0
    (pdf,) = tmp_path.glob("certificate_*_iPhone-12_F2LXK0ABHG7F.pdf")
    capsys.readouterr()
    assert run(station, "certificate", "verify", str(pdf)) == 0
    out = capsys.readouterr().out
    assert f"certificate {bench.certificate_id} is valid" in out
    assert bench.signer.fingerprint in out
    assert "matches the record in this station's database" in out
    key = tmp_path / "station.pub.pem"
    key.write_text(bench.signer.public_pem(), encoding="ascii")
    assert run(station, "certificate", "verify", str(pdf), "--public-key", str(key)) == 0
    assert "is valid" in capsys.readouterr().out


def test_verify_a_forged_file_fails(station: Station, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from audit.certificates import Signer

    assert run(station, "report", "certificate", "F2LXK0ABHG7F", "-o", str(tmp_path)) == 0
    (pdf,) = tmp_path.glob("certificate_*.pdf")
    other = tmp_path / "other.pem"
    other.write_text(Signer.generate().public_pem(), encoding="ascii")
    assert run(station, "certificate", "verify", str(pdf), "--public-key", str(other)) == 1
    assert "is NOT valid" in capsys.readouterr().out
    with pytest.raises(CertificateError, match="not a certificate file"):
        run(station, "certificate", "verify", str(other))


def test_label_zpl_to_stdout(station: Station, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(station, "label", "356938035643809", "--zpl") == 0
    out = capsys.readouterr().out
    assert out.startswith("^XA")
    assert "^FD356938035643809^FS" in out
    assert out.rstrip().endswith("^XZ")


def test_label_pdf_4x6_to_a_file(station: Station, tmp_path: Path) -> None:
    out = tmp_path / "label.pdf"
    assert run(station, "label", "F2LXK0ABHG7F", "--size", "4x6", "-o", str(out)) == 0
    assert "Very good (CTIA B)" in pdf_text(out)[0]


def test_label_to_a_raw_printer(station: Station) -> None:
    printer = RawPrinter()
    try:
        assert run(station, "label", "356938035643809", "--zpl", "--printer", f"tcp://127.0.0.1:{printer.port}") == 0
        _wait_for(lambda: printer.jobs)
    finally:
        printer.close()
    assert printer.jobs
    assert printer.jobs[0].startswith(b"^XA")

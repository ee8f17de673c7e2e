"""``refurb-station report ...`` and ``refurb-station label``: the documents, as PDF (labels also as ZPL).

report device IMEI_OR_SERIAL [--lang fr] [-o FILE]     the device's audit report (its last inspection)
report lot REFERENCE [--lang fr] [-o FILE]             the trade-in lot report for the partner
report certificate ID [--lang fr] [-o FILE]            the signed erasure certificate (ID, or a device's IMEI)
(verify a certificate PDF offline with `refurb-station certificate verify FILE.pdf`)
label IMEI_OR_SERIAL [--zpl] [--size 62x29|4x6] [--printer TARGET] [-o FILE]
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from app.cli import EXIT_OK, CommandError
from app.station import Station
from audit import documents, services
from audit.errors import NotFound
from drivers.printers.label_printer import LabelPrinterError, send_label
from reports._layout import DocumentError
from reports.certificate import (
    certificate_filename,
    render_certificate,
)
from reports.device_report import render_device_report, report_filename
from reports.i18n import LANGUAGES
from reports.labels import LabelSize, render_labels, zpl_labels
from reports.lot_report import lot_report_filename, render_lot_report


def _document_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the document (default en)")
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help="where to write it (default: a file here)")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help="documents: audit report, lot report, erasure certificate")
    sub = report.add_subparsers(dest="report_command", required=True)
    device = sub.add_parser("device", help="a device's audit report (PDF)")
    device.add_argument("identifier", metavar="IMEI_OR_SERIAL")
    device.add_argument("--inspection", type=int, help="which inspection (default: the last one)")
    _document_options(device)
    device.set_defaults(handler=cmd_report_device)
    lot = sub.add_parser("lot", help="a trade-in lot's report with the counter-offer (PDF)")
    lot.add_argument("reference", metavar="LOT")
    _document_options(lot)
    lot.set_defaults(handler=cmd_report_lot)
    certificate = sub.add_parser("certificate", help="an erasure certificate (PDF), by id or by device")
    certificate.add_argument("identifier", metavar="ID", help="the certificate id, or the device's IMEI / serial")
    _document_options(certificate)
    certificate.set_defaults(handler=cmd_report_certificate)

    label = commands.add_parser("label", help="print a device label (PDF, or ZPL for Zebra printers)")
    label.add_argument("identifier", metavar="IMEI_OR_SERIAL")
    label.add_argument("--zpl", action="store_true", help="ZPL II instead of PDF")
    label.add_argument("--size", choices=[s.value for s in LabelSize], default=LabelSize.SMALL.value)
    label.add_argument(
        "--printer",
        metavar="TARGET",
        help="send it to tcp://HOST[:9100], serial:PORT[?baudrate=N] or file:PATH instead of writing a file",
    )
    _document_options(label)
    label.set_defaults(handler=cmd_label)


def _say(text: str) -> None:
    print(text)


def _write_target(args: argparse.Namespace, default_name: str) -> Path:
    output: Path | None = args.output
    if output is None:
        return Path.cwd() / default_name
    return output / default_name if output.is_dir() else output


def cmd_report_device(station: Station, args: argparse.Namespace) -> int:
    with station.uow() as uow:
        device = services.find_device(uow, args.identifier)
        data = documents.device_report_data(uow, device, args.inspection, data_dir=station.data_dir)
    target = _write_target(args, report_filename(data))
    try:
        render_device_report(data, target, lang=args.lang)
    except DocumentError as exc:
        raise CommandError(str(exc)) from exc
    _say(f"wrote {target} (report {data.report_id}, sha256 {data.digest})")
    return EXIT_OK


def cmd_report_lot(station: Station, args: argparse.Namespace) -> int:
    with station.uow() as uow:
        data = documents.lot_report_data(uow, args.reference)
    target = _write_target(args, lot_report_filename(data))
    try:
        render_lot_report(data, target, lang=args.lang)
    except DocumentError as exc:
        raise CommandError(str(exc)) from exc
    total = data.counter_offer_total
    _say(f"wrote {target} ({len(data.lines)} lines, counter-offer {total} {data.currency})")
    return EXIT_OK


def cmd_report_certificate(station: Station, args: argparse.Namespace) -> int:
    public_pem = station.signer().public_pem()
    with station.uow() as uow:
        try:
            data = documents.certificate_data(uow, args.identifier, public_key_pem=public_pem)
        except NotFound:
            device = services.find_device(uow, args.identifier)
            data = documents.device_certificate_data(uow, device, public_key_pem=public_pem)
    target = _write_target(args, certificate_filename(data))
    try:
        render_certificate(data, target, lang=args.lang)
    except DocumentError as exc:
        raise CommandError(str(exc)) from exc
    _say(f"wrote {target} (certificate {data.certificate_id})")
    if data.public_key_pem is None:
        _say(f"note: the station's current key did not sign it; its signing key is {data.key_fingerprint}")
    return EXIT_OK


def cmd_label(station: Station, args: argparse.Namespace) -> int:
    with station.uow() as uow:
        data = documents.label_data(uow, services.find_device(uow, args.identifier))
    try:
        if args.zpl:
            payload = zpl_labels([data], size=args.size, lang=args.lang)
        else:
            payload = render_labels([data], io.BytesIO(), size=args.size, lang=args.lang)
    except DocumentError as exc:
        raise CommandError(str(exc)) from exc
    if args.printer:
        try:
            send_label(args.printer, payload)
        except LabelPrinterError as exc:
            raise CommandError(str(exc)) from exc
        _say(f"sent the label of {data.barcode_value} to {args.printer}")
        return EXIT_OK
    if args.zpl and args.output is None:
        sys.stdout.write(payload.decode("ascii"))
        return EXIT_OK
    target = _write_target(args, f"label_{data.barcode_value}.{'zpl' if args.zpl else 'pdf'}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
    except OSError as exc:
        raise CommandError(f"cannot write {target}: {exc.strerror or exc}") from exc
    _say(f"wrote {target}")
    return EXIT_OK

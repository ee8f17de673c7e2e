"""``refurb-station android list``, ``android inspect SERIAL`` and ``android modem PORT``: what the Android driver
reads, as text or ``--json``.

The adb server is the one ANDROID_ADB_SERVER_HOST / ANDROID_ADB_SERVER_PORT name (``refurb-station sim serve``
prints them for the simulated bench), else 127.0.0.1:5037. The station never starts an adb server itself. A Samsung
phone that adb cannot read (USB debugging not authorised, or off) is identified through its modem port: found on USB,
named in REFURB_SAMSUNG_MODEMS (``sim serve`` prints it), or given with ``--modem PORT``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli import EXIT_FAILED, EXIT_OK, CommandError
from app.station import Station
from drivers.android import DEFAULT_TIMEOUT, AndroidBench, AndroidInspection
from drivers.android.errors import AndroidError
from drivers.android.modem import DEFAULT_MODEM_TIMEOUT, ModemLocator, ModemPort, identity_from_modem
from drivers.peripherals.samsung_at import SamsungModem, SamsungModemError, parse_devconinfo


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    android = commands.add_parser(
        "android", help="Android phones on this station (adb server: $ANDROID_ADB_SERVER_PORT, else 5037)"
    )
    sub = android.add_subparsers(dest="android_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", help="the phones the adb server sees, with their state and what to do")
    inspect = sub.add_parser("inspect", help="identity, IMEI, battery, locks and automatic probes of one phone")
    inspect.add_argument("serial", metavar="SERIAL", help="the adb serial (as `android list` shows it)")
    inspect.add_argument(
        "--modem",
        metavar="PORT",
        default=None,
        help="this Samsung phone's modem port, for its identity when adb cannot read it (default: USB, then "
        "$REFURB_SAMSUNG_MODEMS)",
    )
    for parser in (listing, inspect):
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument("--adb-port", type=int, default=None, help="adb server port (default: the environment)")
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per adb exchange")
    modem = sub.add_parser("modem", help="what a Samsung phone's modem port says (AT+DEVCONINFO, AT+CGSN)")
    modem.add_argument("port", metavar="PORT", help="the serial port, e.g. /dev/ttyACM0")
    modem.add_argument("--json", action="store_true", help="machine-readable output")
    modem.add_argument("--timeout", type=float, default=DEFAULT_MODEM_TIMEOUT, help="seconds per AT command")
    listing.set_defaults(handler=cmd_android_list)
    inspect.set_defaults(handler=cmd_android_inspect)
    modem.set_defaults(handler=cmd_android_modem)


def _bench(args: argparse.Namespace) -> AndroidBench:
    modems = ModemLocator.from_environment()
    if getattr(args, "modem", None):
        modems = modems.with_port(args.serial, args.modem)
    try:
        return AndroidBench(port=args.adb_port, timeout=args.timeout, modems=modems)
    except AndroidError as exc:
        raise CommandError(str(exc)) from exc


def cmd_android_list(_station: Station, args: argparse.Namespace) -> int:
    bench = _bench(args)
    try:
        devices = bench.devices()
    except AndroidError as exc:
        raise CommandError(str(exc)) from exc
    rows: list[dict[str, Any]] = [
        {
            "serial": device.serial,
            "state": device.state,
            "model": device.model,
            "transport_id": device.transport_id,
            "message": device.message,
        }
        for device in devices
    ]
    listed = {device.serial for device in devices}
    rows += [
        {
            "serial": port.usb_serial,
            "state": "modem only",
            "model": None,
            "transport_id": None,
            "message": f"adb does not list it (USB debugging off?): its modem port {port.port} gives its identity "
            f"(refurb-station android modem {port.port})",
            "modem": port.as_dict(),
        }
        for port in bench.modems.ports()
        if port.usb_serial and port.usb_serial not in listed
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if not rows:
        print("no Android phone attached")
    for row in rows:
        advice = "" if row["state"] == "device" else f"  ({row['message']})"
        print(f"{row['serial']:<22} {row['model'] or 'unknown model':<24} {row['state']}{advice}")
    return EXIT_OK


def cmd_android_inspect(_station: Station, args: argparse.Namespace) -> int:
    bench = _bench(args)
    try:
        states = {device.serial: device for device in bench.devices()}
    except AndroidError as exc:
        raise CommandError(str(exc)) from exc
    attached = states.get(args.serial)
    modem = bench.modems.find(args.serial) if attached is None or not attached.ready else None
    if attached is None and modem is None:
        raise CommandError(f"no Android phone {args.serial!r} on this station (see `refurb-station android list`)")
    if attached is not None and not attached.ready and modem is None:
        raise CommandError(f"{args.serial} is {attached.state}: {attached.message}")
    with bench.phone(args.serial) as phone:
        try:
            inspection = phone.inspect()
        except AndroidError as exc:
            raise CommandError(str(exc)) from exc
    if args.json:
        print(json.dumps(inspection.as_dict(), indent=2, default=str))
    else:
        print(format_inspection(inspection))
    by_modem = inspection.identity is not None and inspection.identity.via != "adb"
    return EXIT_FAILED if inspection.interrupted or by_modem else EXIT_OK


def cmd_android_modem(_station: Station, args: argparse.Namespace) -> int:
    port = ModemPort(args.port, None, "command line")
    try:
        with SamsungModem(args.port, timeout=args.timeout) as modem:
            said = modem.identity()
    except SamsungModemError as exc:
        raise CommandError(str(exc)) from exc
    try:
        identity = identity_from_modem(said, found_by=port.found_by)
    except AndroidError as exc:
        raise CommandError(f"{args.port}: {exc}") from exc
    fields = parse_devconinfo(dict(said.raw).get("AT+DEVCONINFO", ""))
    if args.json:
        document = {
            "port": args.port,
            "identity": identity.as_dict(),
            "devconinfo": fields,
            "answers": dict(said.raw),
        }
        print(json.dumps(document, indent=2, default=str))
        return EXIT_OK
    found = identity.identity
    lines = [
        f"{args.port}  (Samsung modem port)",
        f"  make/model   {found.make} {found.model} [{found.model_number}]",
        f"  serial       {_value(found.serial)}",
        f"  firmware     {_value(said.firmware)}",
    ]
    if not identity.imeis:
        lines.append("  IMEI         unknown (the modem did not give it)")
    for imei in identity.imeis:
        verdict = "valid" if imei.luhn_valid else "INVALID (Luhn check fails; not used)"
        lines.append(f"  IMEI         {imei.value} {verdict}  [{imei.source}]")
    for key, value in fields.items():
        lines.append(f"  {key:<12} {value}")
    print("\n".join(lines))
    return EXIT_OK


def _value(value: object, unit: str = "") -> str:
    return "unknown" if value is None else f"{value}{unit}"


def format_inspection(inspection: AndroidInspection) -> str:
    lines = [f"{inspection.serial}  ({inspection.state})"]
    found = inspection.identity
    if found is not None:
        for field, source in found.sources:
            if field in ("port", "serial") and found.via != "adb":
                lines.append(f"  {field + ' from':<12} {source}")
        identity = found.identity
        lines += [
            f"  make/model   {identity.make} {identity.model} [{identity.model_number}]",
            f"  serial       {identity.serial}",
            f"  Android      {_value(found.android_version)} (SDK {_value(found.sdk)}), "
            f"security patch {_value(found.security_patch)}",
            f"  storage      {_value(identity.storage_gb, ' GB')}",
        ]
        if not found.imeis:
            lines.append("  IMEI         unknown (the phone did not give it over adb)")
        for imei in found.imeis:
            verdict = "valid" if imei.luhn_valid else "INVALID (Luhn check fails; not used)"
            lines.append(f"  IMEI         {imei.value} {verdict}  [{imei.source}]")
    battery = inspection.battery
    if battery is not None:
        reading = battery.reading
        dump = battery.dumpsys
        lines += [
            f"  battery      health {_value(reading.soh_percent, ' %')}, cycles {_value(reading.cycle_count)}, "
            f"full {_value(reading.full_charge_capacity, ' uAh')} of design {_value(reading.design_capacity, ' uAh')}",
        ]
        if dump is not None:
            lines.append(
                f"               level {_value(dump.level_percent, ' %')}, {dump.status_text}, "
                f"{_value(dump.temperature_c, ' °C')}, {_value(dump.voltage_mv, ' mV')}, health {dump.health_text}"
            )
        for field, source in battery.sources:
            lines.append(f"               {field}: {source}")
    if inspection.locks is not None:
        for kind, check in inspection.locks.items():
            lines.append(f"  lock {kind.value:<11} {check.state.value:<14} {check.evidence}")
    for probe in inspection.probes:
        lines.append(f"  probe {probe.test_id:<19} {probe.outcome.value:<8} {probe.note}")
    for problem in inspection.problems:
        lines.append(f"  problem      {problem}")
    if found is not None and found.via != "adb":
        lines.append(f"  IDENTITY ONLY: read from the {found.via}; allow USB debugging for the rest")
    elif inspection.interrupted:
        lines.append("  INTERRUPTED: the phone left before the inspection finished")
    return "\n".join(lines)

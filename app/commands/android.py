"""``refurb-station android list`` and ``android inspect SERIAL``: what the Android driver reads, as text or ``--json``.

The adb server is the one ANDROID_ADB_SERVER_HOST / ANDROID_ADB_SERVER_PORT name (``refurb-station sim serve``
prints them for the simulated bench), else 127.0.0.1:5037. The station never starts an adb server itself.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli import EXIT_FAILED, EXIT_OK, CommandError
from app.station import Station
from drivers.android.driver import DEFAULT_TIMEOUT, AndroidBench, AndroidInspection
from drivers.android.errors import AndroidError


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    android = commands.add_parser(
        "android", help="Android phones on this station (adb server: $ANDROID_ADB_SERVER_PORT, else 5037)"
    )
    sub = android.add_subparsers(dest="android_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", help="the phones the adb server sees, with their state and what to do")
    inspect = sub.add_parser("inspect", help="identity, IMEI, battery, locks and automatic probes of one phone")
    inspect.add_argument("serial", metavar="SERIAL", help="the adb serial (as `android list` shows it)")
    for parser in (listing, inspect):
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument("--adb-port", type=int, default=None, help="adb server port (default: the environment)")
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per adb exchange")
    listing.set_defaults(handler=cmd_android_list)
    inspect.set_defaults(handler=cmd_android_inspect)


def _bench(args: argparse.Namespace) -> AndroidBench:
    try:
        return AndroidBench(port=args.adb_port, timeout=args.timeout)
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
    if attached is None:
        raise CommandError(f"no Android phone {args.serial!r} on this station (see `refurb-station android list`)")
    if not attached.ready:
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
    return EXIT_FAILED if inspection.interrupted else EXIT_OK


def _value(value: object, unit: str = "") -> str:
    return "unknown" if value is None else f"{value}{unit}"


def format_inspection(inspection: AndroidInspection) -> str:
    lines = [f"{inspection.serial}  ({inspection.state})"]
    found = inspection.identity
    if found is not None:
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
    if inspection.interrupted:
        lines.append("  INTERRUPTED: the phone left before the inspection finished")
    return "\n".join(lines)

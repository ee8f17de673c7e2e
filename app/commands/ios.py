"""``refurb-station ios list`` and ``ios inspect UDID``: what the iOS driver reads, as text or ``--json``.

usbmuxd is the one ``USBMUXD_SOCKET_ADDRESS`` names (a simulator from ``refurb-station sim serve``), else the
system's. Pair records live in the station's data dir (``<data dir>/ios/pair-records``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli import EXIT_FAILED, EXIT_OK, CommandError
from app.station import Station
from drivers.ios import IosBench, IosError, IosEvent, IosEventKind, IosInspection, PairingStatus

DEFAULT_TIMEOUT = 10.0
DEFAULT_WAIT = 120.0  # how long `ios inspect` waits for someone to tap Trust or unlock the device


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ios = commands.add_parser(
        "ios", help="iPhones and iPads on this station (usbmuxd: $USBMUXD_SOCKET_ADDRESS, else the system's)"
    )
    sub = ios.add_subparsers(dest="ios_command", required=True, metavar="COMMAND")
    listing = sub.add_parser("list", help="the attached iPhones and iPads, with model and pairing state")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per device step")
    listing.set_defaults(handler=cmd_ios_list)
    inspect = sub.add_parser("inspect", help="identity, battery and locks of one device")
    inspect.add_argument("udid", metavar="UDID")
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    inspect.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per device step")
    inspect.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"how long to wait for a Trust tap or an unlock on the device (default {DEFAULT_WAIT:.0f}; 0: no wait)",
    )
    inspect.set_defaults(handler=cmd_ios_inspect)


def pair_records_dir(station: Station) -> Path:
    return station.data_dir / "ios" / "pair-records"


def _bench(station: Station, args: argparse.Namespace, on_event: Callable[[IosEvent], None] | None = None) -> IosBench:
    return IosBench(
        pair_records_dir(station),
        step_timeout=args.timeout,
        wait_for_person=getattr(args, "wait", 0.0),
        on_event=on_event,
    )


def _say_what_to_do(udid: str) -> Callable[[IosEvent], None]:
    """While ``ios inspect`` waits, tell the person at the bench what the device needs (on stderr, once per change)."""

    def on_event(event: IosEvent) -> None:
        if event.kind is IosEventKind.PAIRING and event.udid == udid:
            status = PairingStatus(event.detail)
            advice = f": {status.advice}" if status.advice else ""
            print(f"{udid}: {status.value}{advice}", file=sys.stderr, flush=True)

    return on_event


def cmd_ios_list(station: Station, args: argparse.Namespace) -> int:
    with _bench(station, args) as bench:
        try:
            devices = bench.devices()
        except IosError as exc:
            raise CommandError(str(exc)) from exc
        pending = [(device, bench.read_identity(device.udid)) for device in devices]
        rows: list[dict[str, Any]] = []
        for device, future in pending:
            row: dict[str, Any] = {"udid": device.udid, "connection": device.connection}
            try:
                identity = future.result()
                row.update(model=identity.model, serial=identity.serial, os_version=identity.os_version)
            except IosError as exc:
                row.update(model=None, error=str(exc))
            status = bench.pairing_status(device.udid)
            row.update(pairing=status.value, advice=status.advice)
            rows.append(row)
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if not rows:
        print("no iPhone or iPad attached")
    for row in rows:
        what = row["model"] or "unknown model"
        extra = f"  ({row['advice']})" if row["advice"] else ""
        print(f"{row['udid']:<28} {what:<24} {row['pairing']}{extra}")
    return EXIT_OK


def inspection_record(inspection: IosInspection) -> dict[str, Any]:
    return {
        "udid": inspection.udid,
        "pairing": inspection.pairing.value,
        "advice": inspection.pairing.advice,
        "identity": inspection.identity.as_record() if inspection.identity else None,
        "battery": (
            {**inspection.battery.as_record(), "soh_percent": inspection.battery.soh_percent}
            if inspection.battery
            else None
        ),
        "locks": inspection.locks.as_record() if inspection.locks else None,
        "errors": [
            {"step": item.step.value, "kind": type(item.error).__name__, "message": str(item.error)}
            for item in inspection.errors
        ],
        "complete": inspection.complete,
    }


def _text(inspection: IosInspection) -> str:
    lines = [inspection.udid, f"  pairing    {inspection.pairing.value}"]
    if inspection.pairing.advice and inspection.pairing is not PairingStatus.PAIRED:
        lines.append(f"             {inspection.pairing.advice}")
    identity = inspection.identity
    if identity is not None:
        lines += [
            f"  model      {identity.make} {identity.model}"
            + (f" [{identity.model_number}]" if identity.model_number else ""),
            f"  serial     {identity.serial or '-'}",
            f"  IMEI       {', '.join(identity.imeis) or '-'}",
            f"  {identity.os_name or 'OS':<10} {identity.os_version or 'unknown'}",
            f"  storage    {identity.storage_gb} GB" if identity.storage_gb else "  storage    unknown",
            f"  colour     {identity.colour or 'unknown'}",
        ]
    battery = inspection.battery
    if battery is not None:
        soh = battery.soh_percent
        lines += [
            f"  battery    health {f'{soh:.1f} %' if soh is not None else 'unknown'}, "
            f"cycles {battery.cycle_count if battery.cycle_count is not None else 'unknown'}",
            f"             design {_mah(battery.design_capacity)}, full charge {_mah(battery.full_charge_capacity)}"
            f"  ({battery.source})",
        ]
    locks = inspection.locks
    if locks is not None:
        for kind, check in locks.items():
            lines.append(f"  {kind.value:<10} {check.state.value}: {check.evidence}")
    for item in inspection.errors:
        lines.append(f"  error      {item.message}")
    return "\n".join(lines)


def _mah(value: float | None) -> str:
    return f"{value:.0f} mAh" if value is not None else "unknown"


def cmd_ios_inspect(station: Station, args: argparse.Namespace) -> int:
    with _bench(station, args, _say_what_to_do(args.udid)) as bench:
        try:
            known = {device.udid for device in bench.devices()}
        except IosError as exc:
            raise CommandError(str(exc)) from exc
        if args.udid not in known:
            raise CommandError(f"no iPhone or iPad {args.udid} is attached ({len(known)} attached)", 4)
        inspection = bench.inspect(args.udid).result()
    if args.json:
        print(json.dumps(inspection_record(inspection), indent=2))
    else:
        print(_text(inspection))
    return EXIT_OK if inspection.complete else EXIT_FAILED

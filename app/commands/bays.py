"""``refurb-station bays``: learn which physical USB port is which bay, and show what sits in each bay.

The USB backend comes from :func:`usb_backend` (libusb on a bench, the simulated tree with ``--simulate``); the
handlers take a ``backend_factory`` so tests run them on their own simulated tree.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from app.cli import EXIT_FAILED, EXIT_OK, CommandError
from app.station import Station
from drivers.android import AndroidBench
from drivers.android import AttachedDevice as AttachedAndroid
from drivers.android.errors import AndroidError
from drivers.ios import IosBench, IosError
from drivers.usb.classify import classify
from drivers.usb.errors import UsbError
from drivers.usb.hotplug import BenchDevice, merge
from drivers.usb.learn import BayLearner, StepKind
from drivers.usb.topology import BayMap, Placement, UsbSighting, place, read_sightings

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2
LIST_TIMEOUT = 2.0  # seconds for each daemon to list its devices: a loopback daemon that takes longer is not there
IOS, ANDROID = "ios", "android"


@dataclasses.dataclass(frozen=True, slots=True)
class Listing:
    """What usbmux and adb list: ``(kind, serial)`` pairs ("ios" + UDID, "android" + adb serial).

    ``pairs`` is None when no driver was asked; ``notes`` say which daemon could not be asked and why (a missing
    daemon is a note, never a crash); ``details`` say, per pair, what the driver knows beyond "listed" (an adb
    phone whose debugging prompt is waiting is listed, but not ready).
    """

    pairs: frozenset[tuple[str, str]] | None = None
    notes: tuple[str, ...] = ()
    details: Mapping[tuple[str, str], str] = dataclasses.field(default_factory=dict)


BackendFactory = Callable[[argparse.Namespace], Any]
Listed = Callable[[Station, argparse.Namespace], Listing]


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bays = commands.add_parser("bays", help="USB bays: which port is which bay, and what sits in each")
    sub = bays.add_subparsers(dest="bays_command", required=True)
    show = sub.add_parser("show", help="the bay map with what sits in each bay")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.add_argument("--simulate", action="store_true", help="on the simulated bench")
    show.set_defaults(handler=cmd_bays_show)
    learn = sub.add_parser("learn", help="plug one device into each port in order; saves the bay map")
    learn.add_argument("--count", type=int, default=None, help="how many bays (default: until Ctrl-C)")
    learn.add_argument("--timeout", type=float, default=600.0, help="give up after this many seconds (default 600)")
    learn.add_argument("--simulate", action="store_true", help="on the simulated bench, with a simulated technician")
    learn.set_defaults(handler=cmd_bays_learn)


def usb_backend(args: argparse.Namespace) -> Any:
    """The simulated bench with ``--simulate``, else the first libusb backend pyusb can load."""
    if getattr(args, "simulate", False):
        from drivers.sim.usb import demo_bench

        return demo_bench()
    import usb.backend.libusb0
    import usb.backend.libusb1

    for module in (usb.backend.libusb1, usb.backend.libusb0):
        backend = module.get_backend()
        if backend is not None:
            return backend
    raise CommandError("no USB backend: install libusb-1.0 (apt install libusb-1.0-0, brew install libusb)")


def not_listed(_station: Station, _args: argparse.Namespace) -> Listing:
    """No driver asked: each device is shown by its USB mode alone."""
    return Listing()


def list_ios(pair_records_dir: Path, usbmux_address: str | None = None, timeout: float = LIST_TIMEOUT) -> list[str]:
    """The UDIDs usbmuxd lists over USB (``usbmux_address`` None: ``USBMUXD_SOCKET_ADDRESS``, else the system's)."""
    with IosBench(pair_records_dir, usbmux_address=usbmux_address, step_timeout=timeout) as bench:
        return [d.udid for d in bench.devices() if d.connection.upper() == "USB"]


def list_android(
    host: str | None = None, port: int | None = None, timeout: float = LIST_TIMEOUT
) -> tuple[AttachedAndroid, ...]:
    """Every phone the adb server lists, whatever its state (None: ``ANDROID_ADB_SERVER_HOST`` / ``_PORT``, else
    127.0.0.1:5037). Never starts a server."""
    return AndroidBench(host, port, timeout=timeout).devices()


def driver_listing(
    pair_records_dir: Path,
    *,
    usbmux_address: str | None = None,
    adb_host: str | None = None,
    adb_port: int | None = None,
    timeout: float = LIST_TIMEOUT,
) -> Listing:
    """Ask usbmuxd and the adb server what they list, each within ``timeout``; a daemon that is not running is a
    note (its phones then show by their USB mode, with the reason), never an error, and is never started."""
    pairs: set[tuple[str, str]] = set()
    notes: list[str] = []
    details: dict[tuple[str, str], str] = {}
    try:
        pairs.update((IOS, udid) for udid in list_ios(pair_records_dir, usbmux_address, timeout))
    except IosError as exc:
        log.info("usbmuxd not asked: %s", exc)
        notes.append(f"iOS: {exc}; iPhones are shown by their USB mode only")
    try:
        for phone in list_android(adb_host, adb_port, timeout):
            pairs.add((ANDROID, phone.serial))
            if not phone.ready:
                details[(ANDROID, phone.serial)] = f"adb: {phone.state}: {phone.message}"
    except AndroidError as exc:
        log.info("adb not asked: %s", exc)
        notes.append(f"Android: {exc}; Android phones are shown by their USB mode only")
    return Listing(frozenset(pairs), tuple(notes), details)


def listed(station: Station, _args: argparse.Namespace) -> Listing:
    """What the station's drivers list, where the environment points them (USBMUXD_SOCKET_ADDRESS,
    ANDROID_ADB_SERVER_HOST / ANDROID_ADB_SERVER_PORT)."""
    return driver_listing(station.data_dir / "ios" / "pair-records")


def _device(entry: BenchDevice, sighting: UsbSighting, listing: Listing) -> dict[str, Any]:
    classification = entry.classification or classify(sighting)
    device: dict[str, Any] = {**sighting.as_dict(), **classification.as_dict()}
    if listing.pairs is None:
        device["listed_by"] = None
        device["silent_reason"] = None if classification.expects else classification.reason
        device["driver_state"] = None
    else:
        device["listed_by"] = entry.kind
        device["silent_reason"] = entry.silent_reason
        device["driver_state"] = listing.details.get((entry.kind, entry.serial or "")) if entry.kind else None
    return device


def _rows(placements: list[Placement], listing: Listing) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One row per placement (a bay or a port, with what sits in it), and the devices a driver lists that are not on
    this USB tree (on the network, or on a controller pyusb cannot see)."""
    sightings = [p.sighting for p in placements if p.sighting is not None]
    entries = merge(sightings, listing.pairs or ())
    by_sighting = {id(e.sighting): e for e in entries if e.sighting is not None}
    rows = []
    for placement in placements:
        row: dict[str, Any] = {"bay": placement.bay.number if placement.bay else None, "port": placement.address.label}
        sighting = placement.sighting
        row["device"] = None if sighting is None else _device(by_sighting[id(sighting)], sighting, listing)
        rows.append(row)
    elsewhere = [
        {"listed_by": e.kind, "serial": e.serial, "driver_state": listing.details.get((e.kind or "", e.serial or ""))}
        for e in entries
        if e.sighting is None
    ]
    return rows, elsewhere


def _text(row: dict[str, Any]) -> str:
    name = f"Bay {row['bay']}" if row["bay"] is not None else "unassigned"
    device = row["device"]
    if device is None:
        return f"{name:<11} {row['port']:<10} empty"
    line = f"{name:<11} {row['port']:<10} {device['description']} ({device['ids']})"
    if device["serial"]:
        line += f" serial {device['serial']}"
    line += f"  [{device['mode']}]"
    if device["listed_by"]:
        line += f" listed by {device['listed_by']}"
    if device.get("driver_state"):
        line += f"\n{'':<22} {device['driver_state']}"
    if device["silent_reason"] and device["mode"] != "peripheral":
        line += f"\n{'':<22} silent: {device['silent_reason']}"
    return line


def cmd_bays_show(
    station: Station,
    args: argparse.Namespace,
    *,
    backend_factory: BackendFactory | None = None,
    listing_of: Listed | None = None,
    out: Callable[[str], None] = print,
) -> int:
    """The bay map with what sits in each bay. With ``--simulate`` (and no factories given) the USB simulator runs
    with the iOS and Android simulators serving the same phones, so the listing is as on a real bench."""
    try:
        bay_map = BayMap.load(station.data_dir)
        with contextlib.ExitStack() as stack:
            if args.simulate and backend_factory is None and listing_of is None:
                from drivers.sim.usb import linked_demo_bench

                bench = stack.enter_context(linked_demo_bench())
                backend: Any = bench.usb
                listing = driver_listing(
                    station.data_dir / "ios" / "pair-records",
                    usbmux_address=bench.usbmux_address,
                    adb_host=bench.adb_host,
                    adb_port=bench.adb_port,
                )
            else:
                backend = (backend_factory or usb_backend)(args)
                listing = (listing_of or listed)(station, args)
            rows, elsewhere = _rows(place(read_sightings(backend), bay_map), listing)
    except UsbError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        data = {"bay_map": bay_map.as_dict(), "placements": rows, "elsewhere": elsewhere, "notes": list(listing.notes)}
        out(json.dumps(data, indent=2))
        return EXIT_OK
    if not bay_map.bays:
        out("no bays learned yet: run `refurb-station bays learn`; every port is shown as unassigned")
    for note in listing.notes:
        out(f"note: {note}")
    for row in rows:
        out(_text(row))
    if not rows:
        out("no USB devices")
    for other in elsewhere:
        state = f"  {other['driver_state']}" if other["driver_state"] else ""
        out(f"{'elsewhere':<11} {other['listed_by']} {other['serial']}: listed, but not on this USB tree{state}")
    return EXIT_OK


def learn_bays(
    backend: Any,
    *,
    count: int | None,
    timeout: float,
    say: Callable[[str], None],
    on_prompt: Callable[[int], None] | None = None,
    interval: float = POLL_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> BayMap:
    """Drive a :class:`BayLearner` on ``backend``'s tree; ``on_prompt(bay)`` hears each new request for a bay."""
    learner = BayLearner(count, read_sightings(backend))
    deadline = clock() + timeout
    prompted = 0
    try:
        while not learner.done:
            if learner.next_bay != prompted:
                prompted = learner.next_bay
                say(learner.prompt())
                if on_prompt is not None:
                    on_prompt(prompted)
            if clock() >= deadline:
                say(f"stopped after {timeout:g} s")
                break
            sleep(interval)
            step = learner.observe(read_sightings(backend))
            if step.kind in (StepKind.LEARNED, StepKind.ALREADY_LEARNED, StepKind.AMBIGUOUS):
                say(step.message.split(";")[0])
    except KeyboardInterrupt:
        say("")  # Ctrl-C ends learning: keep the bays learned so far
    return learner.finish()


def cmd_bays_learn(
    station: Station,
    args: argparse.Namespace,
    *,
    backend_factory: BackendFactory | None = None,
    on_prompt: Callable[[int], None] | None = None,
    out: Callable[[str], None] = print,
    interval: float = POLL_SECONDS,
) -> int:
    if args.count is not None and args.count < 1:
        raise CommandError("--count must be at least 1")
    count = args.count
    if backend_factory is not None:
        backend = backend_factory(args)
    elif args.simulate:
        from drivers.sim.usb import learning_bench

        count = count or 4  # the simulated technician stops after the last port it knows
        backend, technician = learning_bench(max(count, 4))
        on_prompt = on_prompt or technician.plug_for_bay
    else:
        backend = usb_backend(args)
    try:
        bay_map = learn_bays(
            backend, count=count, timeout=args.timeout, say=out, on_prompt=on_prompt, interval=interval
        )
    except UsbError as exc:
        raise CommandError(str(exc)) from exc
    if not bay_map.bays:
        out("no bay learned: the bay map is unchanged")
        return EXIT_FAILED
    path = bay_map.save(station.data_dir)
    out(f"saved {len(bay_map.bays)} bay(s) to {path}")
    for bay in bay_map.bays:
        out(f"  {bay.name:<8} port {bay.address.label}")
    return EXIT_OK

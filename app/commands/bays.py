"""``refurb-station bays``: learn which physical USB port is which bay, and show what sits in each bay.

The USB backend comes from :func:`usb_backend` (libusb on a bench, the simulated tree with ``--simulate``); the
handlers take a ``backend_factory`` so tests run them on their own simulated tree.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

from app.cli import EXIT_FAILED, EXIT_OK, CommandError
from app.station import Station
from drivers.usb.classify import classify
from drivers.usb.errors import UsbError
from drivers.usb.hotplug import merge
from drivers.usb.learn import BayLearner, StepKind
from drivers.usb.topology import BayMap, Placement, place, read_sightings

POLL_SECONDS = 0.2

BackendFactory = Callable[[argparse.Namespace], Any]
Listed = Callable[[argparse.Namespace], "set[tuple[str, str]] | None"]


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


def not_listed(_args: argparse.Namespace) -> set[tuple[str, str]] | None:
    """The (kind, serial) pairs usbmux and adb list; None: not asked (the CLI does not query them yet)."""
    return None


def _describe(placement: Placement, listed: set[tuple[str, str]] | None) -> dict[str, Any]:
    row: dict[str, Any] = {"bay": placement.bay.number if placement.bay else None, "port": placement.address.label}
    sighting = placement.sighting
    if sighting is None:
        row["device"] = None
        return row
    classification = classify(sighting)
    device: dict[str, Any] = {**sighting.as_dict(), **classification.as_dict()}
    if listed is not None:
        (entry,) = [d for d in merge([sighting], listed) if d.sighting is sighting]
        device["listed_by"] = entry.kind
        device["silent_reason"] = entry.silent_reason
    else:
        device["listed_by"] = None
        device["silent_reason"] = None if classification.expects else classification.reason
    row["device"] = device
    return row


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
    if device["silent_reason"] and device["mode"] != "peripheral":
        line += f"\n{'':<22} silent: {device['silent_reason']}"
    return line


def bay_rows(backend: Any, bay_map: BayMap, listed: set[tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    return [_describe(p, listed) for p in place(read_sightings(backend), bay_map)]


def cmd_bays_show(
    station: Station,
    args: argparse.Namespace,
    *,
    backend_factory: BackendFactory = usb_backend,
    listed: Listed = not_listed,
    out: Callable[[str], None] = print,
) -> int:
    try:
        bay_map = BayMap.load(station.data_dir)
        rows = bay_rows(backend_factory(args), bay_map, listed(args))
    except UsbError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        out(json.dumps({"bay_map": bay_map.as_dict(), "placements": rows}, indent=2))
        return EXIT_OK
    if not bay_map.bays:
        out("no bays learned yet: run `refurb-station bays learn`; every port is shown as unassigned")
    for row in rows:
        out(_text(row))
    if not rows:
        out("no USB devices")
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

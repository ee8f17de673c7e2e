"""``refurb-station sim serve``: run simulated devices in the foreground for the station or a person to use.

Each kind of simulated device is a :class:`SimulatorLauncher` in :data:`LAUNCHERS`: it adds its count option
(``--iphones N``) and, when asked for at least one device, starts its simulator and says which environment variable
points a client at it. Adding Android phones is one more launcher (``--androids N``), nothing else changes.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import threading
from collections.abc import Callable

from app.cli import EXIT_OK, EXIT_USAGE, CommandError
from app.station import Station


@dataclasses.dataclass(frozen=True)
class SimulatorLauncher:
    """One kind of simulated device: its option, and how to start N of them (returns env var -> value)."""

    option: str
    dest: str
    help: str
    start: Callable[[int, argparse.Namespace, contextlib.ExitStack], dict[str, str]]


def _start_iphones(count: int, args: argparse.Namespace, stack: contextlib.ExitStack) -> dict[str, str]:
    from drivers.sim.ios import IosSimulator, SimIphone

    simulator = stack.enter_context(IosSimulator([SimIphone.make(i) for i in range(count)], tcp=args.tcp))
    for device in simulator.devices:
        print(f"  iPhone  {device.udid}  {device.product_type:<12} serial {device.serial}")
    return {"USBMUXD_SOCKET_ADDRESS": simulator.address}


def _start_androids(count: int, _args: argparse.Namespace, stack: contextlib.ExitStack) -> dict[str, str]:
    from drivers.sim.android import serve_androids

    bench = stack.enter_context(serve_androids(count, modems=True))
    for phone in bench.server.phones:
        props = phone.all_props
        print(f"  Android {phone.serial:<16} {props.get('ro.product.model', '?'):<12} {phone.state}")
    for serial, path in bench.modem_of:
        print(f"  Samsung modem port {path} (phone {serial})")
    return bench.environment  # ANDROID_ADB_SERVER_HOST/_PORT, and REFURB_SAMSUNG_MODEMS when there are modems


LAUNCHERS: tuple[SimulatorLauncher, ...] = (
    SimulatorLauncher("--iphones", "iphones", "simulated iPhones/iPads behind a simulated usbmuxd", _start_iphones),
    SimulatorLauncher(
        "--androids", "androids", "simulated Android phones behind a simulated adb server", _start_androids
    ),
)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = commands.add_parser("sim", help="the simulated bench")
    sub = sim.add_subparsers(dest="sim_command", required=True, metavar="COMMAND")
    serve_parser = sub.add_parser("serve", help="run simulated devices in the foreground until Ctrl-C")
    for launcher in LAUNCHERS:
        serve_parser.add_argument(
            launcher.option, dest=launcher.dest, type=int, default=0, metavar="N", help=launcher.help
        )
    serve_parser.add_argument("--tcp", action="store_true", help="listen on 127.0.0.1 instead of a unix socket")
    serve_parser.set_defaults(handler=cmd_sim_serve)


def _wait_for_interrupt(_environment: dict[str, str]) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


def serve(args: argparse.Namespace, wait: Callable[[dict[str, str]], None] = _wait_for_interrupt) -> int:
    """Start every simulator asked for, print the environment to use, ``wait``, then close them all."""
    counts = [(launcher, int(getattr(args, launcher.dest, 0) or 0)) for launcher in LAUNCHERS]
    if any(count < 0 for _launcher, count in counts):
        raise CommandError("a device count cannot be negative", EXIT_USAGE)
    if not any(count for _launcher, count in counts):
        options = ", ".join(launcher.option for launcher in LAUNCHERS)
        raise CommandError(f"ask for at least one simulated device ({options})", EXIT_USAGE)
    environment: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        for launcher, count in counts:
            if count:
                environment.update(launcher.start(count, args, stack))
        print("Point the station (or pymobiledevice3) at the simulated bench with:")
        for name, value in environment.items():
            print(f"  export {name}={value}")
        print("Ctrl-C stops it.", flush=True)
        wait(environment)
    return EXIT_OK


def cmd_sim_serve(_station: Station, args: argparse.Namespace) -> int:
    return serve(args)

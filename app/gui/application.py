"""Start the station's window: ``refurb-station run`` (real records, real bench) or ``run --simulate`` (a fresh demo
on the simulated bench). ``run --this-laptop`` also puts the laptop the station runs on, read by the laptop agent's
readers, on the bench as a tile of its own."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from app.bench.bays import UsbBays
from app.bench.coordinator import BenchConfig, BenchCoordinator
from app.bench.links import LaptopAgentLink
from app.bench.records import Records
from app.gui.bench_bridge import BenchBridge
from app.gui.bridge import Bridge
from app.gui.device_page.driver_eraser import DriverEraser
from app.gui.garbage import GuiThreadCollector, freeze_long_lived
from app.gui.main_window import MainWindow
from app.gui.serial_scanner import SerialScannerBridge
from app.gui.settings import LANGUAGE, SALES_CHANNEL, SCANNER_PORT, Language, Settings
from app.gui.tasks import Person
from app.gui.translations import LANGUAGE_ENV
from app.logging_setup import configure_logging, remove_logging
from app.station import Station

if TYPE_CHECKING:
    from app.commands.agent import Machine

APPLICATION_NAME = "Refurb Station"

log = logging.getLogger(__name__)


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION_NAME)
    app.setOrganizationName("refurb-station")
    return app


GIL_SWITCH_SECONDS = 0.001


def tune_interpreter() -> None:
    """Hand the interpreter over between threads every millisecond instead of every five: with a supervisor thread
    per device, the GUI thread otherwise waits several turns for the lock before it can draw."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)


def bench_config(station: Station, bench: object | None = None) -> BenchConfig:
    """The bench of this station: the real drivers' defaults (tiles in the bays learned with `bays learn`), or the
    demo's simulators."""
    pair_records = station.data_dir / "ios" / "pair-records"
    if bench is None:
        return BenchConfig(pair_records_dir=pair_records, bay_of=UsbBays(station.data_dir))
    from app.demo import SimulatedBench

    assert isinstance(bench, SimulatedBench)
    return BenchConfig(
        pair_records_dir=pair_records,
        usbmux_address=bench.usbmux_address,
        adb_host=bench.adb_host,
        adb_port=bench.adb_port,
    )


def attach_laptop(coordinator: BenchCoordinator, machine: Machine, name: str) -> None:
    """The laptop agent's tile: ``machine`` read through the agent's readers, as ``laptop:<name>``."""
    coordinator.attach_agent(name, lambda: LaptopAgentLink(machine, name))


def this_laptop_name() -> str:
    return socket.gethostname() or "this-laptop"


def run_gui(station: Station, *, simulate: bool, this_laptop: bool = False) -> int:
    """Show the main window and run the event loop until it closes; returns the exit status. ``this_laptop``: the
    laptop the station runs on is on the bench too (off by default: a bench PC is not a device to refurbish)."""
    app = application()
    switch_interval = sys.getswitchinterval()
    tune_interpreter()
    settings = Settings.in_data_dir(station.data_dir)
    log_handler = configure_logging(station.data_dir)
    language = Language(app)
    language.install("system" if os.environ.get(LANGUAGE_ENV) else settings.value(LANGUAGE))
    signed_in_as: Person | None = None
    shown = station
    with contextlib.ExitStack() as stack:
        simulated = None
        if simulate:
            from app import demo

            # The demo never touches the station's real records: it gets its own fresh file in the data dir.
            shown = demo.create_demo_station(station.data_dir)
            stack.callback(shown.close)
            simulated = stack.enter_context(demo.simulated_bench())
            signed_in_as = Person(demo.TECHNICIAN, "technician")
        collector = GuiThreadCollector()
        collector.start()
        pool = QThreadPool()
        bridge = Bridge(pool)
        bench_bridge = BenchBridge()
        records = Records(shown.uow, station=shown.name, channel=settings.value(SALES_CHANNEL) or None)
        coordinator = BenchCoordinator(records, bench_bridge.post, bench_config(shown, simulated))
        # Phones are erased through the same drivers the bench runs (on the simulators too, with --simulate).
        eraser = DriverEraser(coordinator)
        if simulated is not None and simulated.laptop is not None:
            attach_laptop(coordinator, simulated.laptop, demo.LAPTOP_AGENT)
        if this_laptop:
            from app.commands.agent import open_machine

            attach_laptop(coordinator, stack.enter_context(open_machine(simulate=False)), this_laptop_name())
        window = MainWindow(shown, bridge, bench=bench_bridge, settings=settings, language=language, eraser=eraser)

        def on_user(person: Person) -> None:
            # The bench starts with the first sign-in: readings are recorded as the person at the station.
            coordinator.set_actor(person.name)
            coordinator.start()

        window.user_changed.connect(on_user)
        scanner_port = simulated.scanner_port if simulated is not None else settings.value(SCANNER_PORT)
        if scanner_port:
            serial_scanner = SerialScannerBridge(scanner_port, window)
            window.connect_serial_scanner(serial_scanner)
            serial_scanner.start()
            stack.callback(serial_scanner.close)
        window.show()
        window.start(signed_in_as=signed_in_as)
        if simulated is not None:
            demo_scan = simulated.scan
            QTimer.singleShot(demo.DEMO_SCAN_AFTER_MS, window, lambda: demo_scan(demo.DEMO_SCAN))
        freeze_long_lived()
        try:
            return app.exec()
        finally:
            coordinator.close()  # open inspections are saved as interrupted
            pool.waitForDone()
            collector.stop()
            language.remove()
            remove_logging(log_handler)
            sys.setswitchinterval(switch_interval)

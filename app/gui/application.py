"""Start the station's window: ``refurb-station run`` (real records) or ``run --simulate`` (a fresh demo)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from app.gui.bridge import Bridge
from app.gui.garbage import GuiThreadCollector
from app.gui.main_window import MainWindow
from app.gui.tasks import Person
from app.gui.translations import install_translators, remove_translators
from app.station import Station

APPLICATION_NAME = "Refurb Station"


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION_NAME)
    app.setOrganizationName("refurb-station")
    return app


def run_gui(station: Station, *, simulate: bool) -> int:
    """Show the main window and run the event loop until it closes; returns the exit status."""
    app = application()
    translators = install_translators(app)
    signed_in_as: Person | None = None
    shown = station
    if simulate:
        from app import demo

        # The demo never touches the station's real records: it gets its own fresh file in the data dir.
        shown = demo.create_demo_station(station.data_dir)
        signed_in_as = Person(demo.TECHNICIAN, "technician")
    collector = GuiThreadCollector()
    collector.start()
    pool = QThreadPool()
    bridge = Bridge(pool)
    window = MainWindow(shown, bridge)
    window.show()
    window.start(signed_in_as=signed_in_as)
    try:
        return app.exec()
    finally:
        pool.waitForDone()
        collector.stop()
        remove_translators(app, translators)
        if shown is not station:
            shown.close()

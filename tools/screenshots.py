"""Screenshots of the station for the docs, taken on the demo (``run --simulate``) under a real X server.

    xvfb-run -a .venv/bin/python tools/screenshots.py docs/screenshots
    .venv/bin/python tools/screenshots.py docs/screenshots      # starts its own Xvfb when there is no DISPLAY

A manual tool, not part of ``make test``: it needs Xvfb (``apt-get install xvfb``). It wires the window exactly as
``app.gui.application.run_gui(simulate=True)`` does (demo records in a throwaway data folder, the iOS and Android
simulators behind the real drivers and bench coordinator), then drives it as a person would and saves:

    bench.png          the bench once every tile has read what it can (battery and locks)
    device-page.png    a device page on the functional-tests checklist, answers filled in
    lots.png           a trade-in lot imported from a partner CSV, a few devices scanned into it
    auditor-desk.png   the auditor desk with search results and one device's history
    bench-fr.png       the bench again, in French
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

WIDTH, HEIGHT = 1460, 900
SETTLE_SECONDS = 60.0  # the demo phones answer slowly on purpose (demo.DEMO_ANSWER_DELAY)


# --- a display --------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def display() -> Iterator[str]:
    """The X display to draw on: $DISPLAY if there is one (xvfb-run), else an Xvfb of our own for the run."""
    existing = os.environ.get("DISPLAY")
    if existing:
        yield existing
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("no DISPLAY and no Xvfb: apt-get install xvfb, or run under xvfb-run -a")
    read_end, write_end = os.pipe()
    # -displayfd: Xvfb picks a free display number and writes it to us once it accepts clients.
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", f"{WIDTH + 200}x{HEIGHT + 200}x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise SystemExit("Xvfb did not start")
        os.environ["DISPLAY"] = f":{number}"
        yield os.environ["DISPLAY"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- the window ---------------------------------------------------------------------------------------------------


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> bool:
    """Run the event loop until ``predicate`` holds; False (and a note) if it does not within ``timeout`` s."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if predicate():
            return True
        time.sleep(0.02)
    print(f"  (gave up waiting for {what} after {timeout:.0f} s: the shot shows what there was)", file=sys.stderr)
    return False


def _spin(seconds: float) -> None:
    """Let pending redraws, refresh timers and replies run for ``seconds``."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)


def save(window: object, target: Path) -> None:
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    _spin(0.6)
    image = window.grab()
    if image.isNull() or not image.save(str(target)):
        raise SystemExit(f"could not save {target}")
    print(f"  {target} ({image.width()}x{image.height()})")


LOT_REFERENCE = "RSA-2025-118"
PARTNER = "Recycle SA"


def lot_csv(device_imeis: list[str]) -> str:
    """A partner's trade-in file in French, as partners send them: some lines name the IMEI, some only the model."""
    from app import demo

    by_imei = {device.imei: device for device in demo.DEVICES}
    rows = ["\ufeffModèle;Stockage;État;Prix;Devise;IMEI;Chargeur"]
    prices = ("310,00", "245,00", "180,00", "120,00", "95,00", "160,00")
    for imei, price in zip(device_imeis, prices, strict=False):
        identity = by_imei[imei].identity
        rows.append(f"{identity.model};{identity.storage_gb or ''} Go;Très bon;{price};EUR;{imei};oui")
    rows.append("iPhone 12;128 Go;Bon état;230,00;EUR;;")
    rows.append("Galaxy S22;256 Go;Correct;190,00;EUR;;non")
    return "\n".join(rows) + "\n"


def take(out: Path) -> None:
    from PySide6.QtCore import Qt, QThreadPool
    from PySide6.QtTest import QTest

    from app import demo
    from app.bench.actions import Tone
    from app.bench.coordinator import BenchCoordinator
    from app.bench.records import Records
    from app.gui.application import application, attach_laptop, bench_config, tune_interpreter
    from app.gui.bench_bridge import BenchBridge
    from app.gui.bridge import Bridge
    from app.gui.device_page.driver_eraser import DriverEraser
    from app.gui.garbage import GuiThreadCollector
    from app.gui.main_window import AUDITOR_PAGE, BENCH_PAGE, LOTS_PAGE, MainWindow
    from app.gui.settings import SALES_CHANNEL, Language, Settings
    from app.gui.tasks import Person
    from audit import services

    app = application()
    tune_interpreter()
    with tempfile.TemporaryDirectory(prefix="refurb-screenshots-") as folder, contextlib.ExitStack() as stack:
        data_dir = Path(folder)
        settings = Settings.in_data_dir(data_dir)
        language = Language(app)
        language.install("en")
        stack.callback(language.remove)
        station = demo.create_demo_station(data_dir)
        stack.callback(station.close)
        simulated = stack.enter_context(demo.simulated_bench())
        collector = GuiThreadCollector()
        collector.start()
        stack.callback(collector.stop)
        pool = QThreadPool()
        stack.callback(pool.waitForDone)
        bridge = Bridge(pool)
        bench_bridge = BenchBridge()
        records = Records(station.uow, station=station.name, channel=settings.value(SALES_CHANNEL) or None)
        coordinator = BenchCoordinator(records, bench_bridge.post, bench_config(station, simulated))
        stack.callback(coordinator.close)
        if simulated.laptop is not None:  # as run_gui does for the demo: the laptop agent's tile
            attach_laptop(coordinator, simulated.laptop, demo.LAPTOP_AGENT)
        window = MainWindow(
            station, bridge, bench=bench_bridge, settings=settings, language=language, eraser=DriverEraser(coordinator)
        )
        stack.callback(window.close)

        def on_user(person: Person) -> None:
            coordinator.set_actor(person.name)
            coordinator.start()

        window.user_changed.connect(on_user)
        window.resize(WIDTH, HEIGHT)
        window.show()
        window.start(signed_in_as=Person(demo.TECHNICIAN, "technician"))

        # The bench: every phone read as far as it goes (a phone waiting for a person stops where it waits).
        bench = window.bench
        plugged = 8  # 7 phones and the laptop agent

        def bench_settled() -> bool:
            statuses = list(bench.statuses.values())
            if len(bench.tiles) < plugged or len(statuses) < plugged:
                return False
            for status in statuses:
                if status.tone in (Tone.WAITING, Tone.BLOCKED) and not status.working:
                    continue
                if status.working or not status.battery_read or not status.locks_verdict:
                    return False
            return True

        wait_until(bench_settled, SETTLE_SECONDS, "the bench tiles")
        window.show_page(BENCH_PAGE)
        save(window, out / "bench.png")

        # A device page on the checklist: the one the bench filled in most (the probes' automatic answers), then a
        # few manual answers by keys, as a technician gives them.
        page = None
        best = -1
        candidates = sorted(
            (s for s in bench.statuses.values() if s.device_id is not None and s.battery_read),
            key=lambda s: s.platform.value,  # Android first: its probes answer automatic tests
        )
        for status in candidates:
            window.open_device.emit(status.device_id)
            opened = window.device_page
            if opened is None or not wait_until(lambda p=opened: p.checklist.view.model().rowCount() > 0, 15, "a list"):
                continue
            _spin(0.3)
            model = opened.checklist.view.model()
            answered = sum(1 for row in range(model.rowCount()) if model.answer(row) is not None)
            if answered > best:
                best, chosen = answered, status.device_id
        if best >= 0:
            window.open_device.emit(chosen)
            page = window.device_page
        else:  # no bench device: the graded demo iPhone, whose checklist is complete
            with station.uow() as uow:
                window.open_device.emit(services.find_device(uow, demo.DEVICES[-1].imei))
            page = window.device_page
        assert page is not None
        wait_until(lambda: page.checklist.view.model().rowCount() > 0, 15, "the checklist")
        _spin(0.3)
        if page.tabs.currentWidget() is page.checklist and page.checklist.finish_button.isEnabled():
            view = page.checklist.view
            view.setFocus()
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Return, Qt.Key.Key_Return, Qt.Key.Key_F):
                QTest.keyClick(view, key)
                wait_until(lambda: not page.busy_answering, 10, "the answer to be saved")
            QTest.keyClick(view, Qt.Key.Key_Down)
        else:
            page.tabs.setCurrentWidget(page.checklist)
        save(window, out / "device-page.png")

        # Lots: the warehouse receives a partner's file, then scans devices into it.
        window.sign_in(Person(demo.WAREHOUSE, "warehouse"))
        window.show_page(LOTS_PAGE)
        lots = window.lots
        with station.uow() as uow:
            known = [d.imei for d in demo.DEVICES if services.find_device(uow, d.imei) is not None]
        csv_path = data_dir / f"{LOT_REFERENCE}.csv"
        csv_path.write_text(lot_csv(known[:4]), encoding="utf-8")
        lots.reference.setText(LOT_REFERENCE)
        lots.partner.setText(PARTNER)
        lots.import_file(csv_path)
        wait_until(lambda: lots.lines.rowCount() > 0, 15, "the lot lines")
        for imei in known[:3]:
            lots.scan_field.setFocus()
            lots.scan(imei)
            wait_until(lambda: not lots.message.text().startswith("Scanned"), 10, "a scan")
        lots.refresh()
        _spin(1.5)
        save(window, out / "lots.png")

        # The auditor desk: everything on record, newest first, one device's history open.
        window.sign_in(Person(demo.AUDITOR, "auditor"))
        window.show_page(AUDITOR_PAGE)
        desk = window.auditor
        desk.search()
        wait_until(lambda: desk.table.model().rowCount() > 0, 15, "the search results")
        # A certified device waiting for an auditor: its history ends with the certificate, approve is offered.
        waiting = demo.DEVICES[1].imei
        rows = desk.table.model().rowCount()
        found = [r for r in range(rows) if waiting in str(desk.table.model().index(r, 1).data())]
        desk.table.selectRow(found[0] if found else 0)
        _spin(1.5)
        save(window, out / "auditor-desk.png")

        # The bench in French, as a technician switches it (Station ▸ Language ▸ Français).
        window.sign_in(Person(demo.TECHNICIAN, "technician"))
        window.show_page(BENCH_PAGE)
        window.switch_language("fr")
        wait_until(lambda: "Banc" in bench.summary.text(), 10, "the French bench")
        save(window, out / "bench-fr.png")
        window.switch_language("en")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="docs/screenshots", help="folder for the PNG files")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with display() as name:
        os.environ["QT_QPA_PLATFORM"] = "xcb"  # a real X server: what a technician's screen draws
        os.environ.pop("REFURB_LANG", None)
        print(f"drawing on {name}")
        take(out)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())

"""Python's cyclic garbage collector, run on the GUI thread only.

Left automatic, a collection can start on whichever thread allocates, a pool thread included; if it frees the
last reference to a widget there, Qt destroys the widget off the GUI thread and the process crashes. So while
the window is up, automatic collection is off and a timer on the GUI thread collects when the counts say so.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


def collect_if_due() -> None:
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):
        if counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(collect_if_due)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.enable()
        gc.collect()


def freeze_long_lived() -> None:
    """Once the window is built: what exists now lives as long as it does, so the collector stops walking it.

    A full collection over the ~200k start-up objects takes 100+ ms on the GUI thread (a visible stall); over what
    was made since, about 1 ms. ``GuiThreadCollector.stop`` gives them back to the collector.
    """
    gc.collect()
    gc.freeze()

"""The bench: one tile per connected device, in bay order, each saying what the device needs next.

Events arrive from :class:`~app.gui.bench_bridge.BenchBridge` (queued, on the GUI thread). Each is folded into its
device's :class:`~app.bench.status.TileStatus` at once, but widgets are made and redrawn on a short timer, in passes
that stop taking work after a few milliseconds: 32 phones plugged in together must never hold the event loop for long.
While the supervisors run, the GUI thread shares the interpreter lock with them, so every millisecond of work here
can cost several of wall time: a pass builds one tile at most, a new tile is appended after the others when it sorts
last (the grid is only laid out again when a tile leaves, the width changes or a tile must go between others), and the
one-off costs of the first tile (fonts, style sheet) are paid when the view is made, not when the first phones come.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.bench.actions import ActionCode, NextAction, Tone
from app.bench.events import DeviceEvent, DeviceSeen, Platform, Unplugged
from app.bench.status import TileStatus
from app.gui.device_tile import STYLE, TILE_WIDTH, DeviceTile

REFRESH_MS = 30
NEW_TILES_PER_PASS = 1  # a tile costs ~0.5 ms to build alone, several times that beside 32 busy supervisors
PASS_BUDGET_SECONDS = 0.004  # a pass takes no more work after this; the rest waits for the next pass, at once
_SPACING = 14


class BenchView(QWidget):
    open_device = Signal(int)  # a device id: the window shows its device page
    changed = Signal()  # tiles were added, removed or redrawn (tests and the window's summary follow it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statuses: dict[str, TileStatus] = {}  # every device on the bench, tile built or not yet
        self.tiles: dict[str, DeviceTile] = {}
        self._new: dict[str, TileStatus] = {}
        self._dirty: dict[str, None] = {}  # an ordered set: tiles are redrawn in the order their devices changed
        self._relayout = False
        self._placed: list[DeviceTile] = []  # the tiles in the grid, in grid order
        self._placed_columns = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.flush)

        self.summary = QLabel()
        self.summary.setObjectName("benchSummary")
        self.summary.setStyleSheet("QLabel#benchSummary { font-size: 18px; font-weight: bold; padding: 6px 4px; }")
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("QLabel { color: #5a5f66; font-size: 22px; }")
        self.grid_host = QWidget()
        self.grid_host.setObjectName("benchTiles")
        self.grid_host.setStyleSheet(STYLE)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(_SPACING)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.grid_host)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.scroll, 1)
        self._retranslate()
        self._update_summary()
        self._warm_up()

    # events from the bench ------------------------------------------------------------------------------------

    def on_device_event(self, event: DeviceEvent) -> None:
        if isinstance(event, DeviceSeen):
            status = TileStatus.seen(event)
            self._drop_tile(event.key)
            self.statuses[event.key] = status
            self._new[event.key] = status
            self._schedule()
            return
        status = self.statuses.get(event.key)
        if status is None or not status.apply(event):
            return  # a late event for a device already gone, or from an earlier session
        if isinstance(event, Unplugged):
            del self.statuses[event.key]
            self._new.pop(event.key, None)
            self._drop_tile(event.key)
        else:
            self._dirty[event.key] = None
        self._schedule()

    def _drop_tile(self, key: str) -> None:
        tile = self.tiles.pop(key, None)
        self._dirty.pop(key, None)
        if tile is not None:
            self.grid.removeWidget(tile)
            if tile in self._placed:
                self._placed.remove(tile)
            tile.hide()
            tile.deleteLater()
            self._relayout = True

    def _schedule(self, soon: bool = False) -> None:
        if soon:
            self._timer.start(0)
        elif not self._timer.isActive():
            self._timer.start(REFRESH_MS)

    def flush(self) -> None:
        """Build the tiles of newly seen devices and redraw changed ones until the pass's budget is spent (always one
        thing at least); place the new tiles. What is left waits for the next pass, which comes at once (the event
        loop runs in between)."""
        started = time.perf_counter()
        added: list[DeviceTile] = []
        for key in list(self._new)[:NEW_TILES_PER_PASS]:
            status = self._new.pop(key)
            tile = DeviceTile(status, self.grid_host)
            tile.activated.connect(self.on_tile_activated)
            self.tiles[key] = tile
            self._dirty.pop(key, None)
            added.append(tile)
        worked = bool(added)
        while self._dirty and not (worked and time.perf_counter() - started >= PASS_BUDGET_SECONDS):
            key = next(iter(self._dirty))
            del self._dirty[key]
            changed = self.tiles.get(key)
            if changed is not None:
                changed.refresh()
                worked = True
        if self._relayout or not self._append(added):
            self._relayout = False
            self._place()
        self._update_summary()
        if self._new or self._dirty:
            self._schedule(soon=True)
        self.changed.emit()

    def _columns(self) -> int:
        width = self.scroll.viewport().width() or self.width()
        return max(1, (width + _SPACING) // (TILE_WIDTH + _SPACING))

    def _append(self, tiles: list[DeviceTile]) -> bool:
        """Put new tiles after the placed ones, when they sort after them and the width is unchanged; False when the
        grid must be laid out again instead."""
        if not tiles:
            return True
        columns = self._columns()
        ordered = sorted(tiles, key=lambda tile: tile.status.sort_key)
        if columns != self._placed_columns or (
            self._placed and ordered[0].status.sort_key < self._placed[-1].status.sort_key
        ):
            return False
        rows_before = self._rows(len(self._placed), columns)
        for tile in ordered:
            index = len(self._placed)
            self.grid.addWidget(tile, index // columns, index % columns)
            tile.show()
            if self._placed:
                QWidget.setTabOrder(self._placed[-1], tile)
            self._placed.append(tile)
        rows = self._rows(len(self._placed), columns)
        if rows != rows_before:
            self.grid.setRowStretch(rows_before, 0)
            self.grid.setRowStretch(rows, 1)
        self._show_grid()
        return True

    @staticmethod
    def _rows(count: int, columns: int) -> int:
        return (count + columns - 1) // columns

    def _place(self) -> None:
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        columns = self._columns()
        ordered = sorted(self.tiles.values(), key=lambda tile: tile.status.sort_key)
        for index, tile in enumerate(ordered):
            self.grid.addWidget(tile, index // columns, index % columns)
            tile.show()
        # The spare height goes to an empty row below the tiles (the layout's AlignTop is not enough with the
        # word-wrapped labels): a tile keeps its own height however few rows there are.
        rows = self._rows(len(ordered), columns)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 1 if row == rows else 0)
        if rows >= self.grid.rowCount():
            self.grid.setRowStretch(rows, 1)
        previous = None
        for tile in ordered:  # Tab walks the tiles in the order they are shown
            if previous is not None:
                QWidget.setTabOrder(previous, tile)
            previous = tile
        self._placed = ordered
        self._placed_columns = columns
        self._show_grid()

    def _show_grid(self) -> None:
        self.empty.setVisible(not self.tiles)
        self.scroll.setVisible(bool(self.tiles))

    def _update_summary(self) -> None:
        count = len(self.statuses)
        waiting = sum(1 for status in self.statuses.values() if status.tone in (Tone.WAITING, Tone.BLOCKED))
        if not count:
            self.summary.setText(self.tr("Bench: no device"))
            return
        text = self.tr("Bench: %1 device(s)").replace("%1", str(count))
        if waiting:
            text += " · " + self.tr("%1 need(s) you").replace("%1", str(waiting))
        self.summary.setText(text)

    # opening a device -----------------------------------------------------------------------------------------

    def on_tile_activated(self, status: TileStatus) -> None:
        if status.device_id is not None:
            self.open_device.emit(status.device_id)

    def ordered_tiles(self) -> list[DeviceTile]:
        return sorted(self.tiles.values(), key=lambda tile: tile.status.sort_key)

    def focus_first_tile(self) -> None:
        tiles = self.ordered_tiles()
        if tiles:
            tiles[0].setFocus()

    # Qt ------------------------------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's API
        super().resizeEvent(event)
        self._relayout = True
        self._schedule()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._dirty.update(dict.fromkeys(self.tiles))
            self._schedule()
        super().changeEvent(event)

    def _warm_up(self) -> None:
        """Make, lay out and draw one throw-away tile now: the first tile's one-off costs (its fonts' glyphs, the
        style sheet's rules) would otherwise fall on the pass that shows the first phones of a full hub."""
        status = TileStatus("", 0, Platform.IOS, "00008030-000000000000", 0, model="iPhone 15 Pro Max", progress=50)
        status.action = NextAction(ActionCode.READING, "battery")
        tile = DeviceTile(status, self.grid_host)
        tile.grab()
        tile.hide()  # deleted when the event loop next runs: never seen meanwhile (processEvents does not delete it)
        tile.deleteLater()

    def _retranslate(self) -> None:
        self.empty.setText(self.tr("Plug in a phone: it appears here within a second."))
        self._update_summary()

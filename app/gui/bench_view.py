"""The bench: one tile per connected device, in bay order, each saying what the device needs next.

Events arrive from :class:`~app.gui.bench_bridge.BenchBridge` (queued, on the GUI thread). Each is folded into its
device's :class:`~app.bench.status.TileStatus` at once, but widgets are made and redrawn on a short timer, a few at a
time: 32 phones plugged in together must never hold the event loop for long.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.bench.actions import Tone
from app.bench.events import DeviceEvent, DeviceSeen, Unplugged
from app.bench.status import TileStatus
from app.gui.device_tile import STYLE, TILE_WIDTH, DeviceTile

REFRESH_MS = 30
NEW_TILES_PER_PASS = 3  # a tile costs a few milliseconds to build; more wait for the next pass
REFRESHES_PER_PASS = 24
_SPACING = 14


class BenchView(QWidget):
    open_device = Signal(int)  # a device id: the window shows its device page
    changed = Signal()  # tiles were added, removed or redrawn (tests and the window's summary follow it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statuses: dict[str, TileStatus] = {}  # every device on the bench, tile built or not yet
        self.tiles: dict[str, DeviceTile] = {}
        self._new: dict[str, TileStatus] = {}
        self._dirty: set[str] = set()
        self._relayout = False
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
            self._dirty.add(event.key)
        self._schedule()

    def _drop_tile(self, key: str) -> None:
        tile = self.tiles.pop(key, None)
        self._dirty.discard(key)
        if tile is not None:
            self.grid.removeWidget(tile)
            tile.hide()
            tile.deleteLater()
            self._relayout = True

    def _schedule(self, soon: bool = False) -> None:
        if soon:
            self._timer.start(0)
        elif not self._timer.isActive():
            self._timer.start(REFRESH_MS)

    def flush(self) -> None:
        """Build the tiles of newly seen devices and redraw changed ones, a few per pass; place them if some came or
        went. What is left waits for the next pass, which comes at once."""
        for key in list(self._new)[:NEW_TILES_PER_PASS]:
            status = self._new.pop(key)
            tile = DeviceTile(status, self.grid_host)
            tile.activated.connect(self.on_tile_activated)
            self.tiles[key] = tile
            self._dirty.discard(key)
            self._relayout = True
        for key in list(self._dirty)[:REFRESHES_PER_PASS]:
            self._dirty.discard(key)
            tile = self.tiles.get(key)
            if tile is not None:
                tile.refresh()
        if self._relayout:
            self._relayout = False
            self._place()
        self._update_summary()
        if self._new or self._dirty:
            self._schedule(soon=True)
        self.changed.emit()

    def _columns(self) -> int:
        width = self.scroll.viewport().width() or self.width()
        return max(1, (width + _SPACING) // (TILE_WIDTH + _SPACING))

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
        rows = (len(ordered) + columns - 1) // columns
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 1 if row == rows else 0)
        if rows >= self.grid.rowCount():
            self.grid.setRowStretch(rows, 1)
        previous = None
        for tile in ordered:  # Tab walks the tiles in the order they are shown
            if previous is not None:
                QWidget.setTabOrder(previous, tile)
            previous = tile
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
            self._dirty.update(self.tiles)
            self._schedule()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.empty.setText(self.tr("Plug in a phone: it appears here within a second."))
        self._update_summary()

"""Listings page: what was handed to the marketplace, and where each listing stands (pending, sent, live, failed).

The rows come from ``audit.services.listings.listing_status`` in the worker pool, refreshed on a timer while the page
is shown; a failed listing shows the marketplace's own error text. Double-click or Enter opens the device.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.gui.bridge import Bridge, Reply
from app.gui.states import GREEN, GREY, ORANGE, RED
from app.gui.translations import Retranslating, refresh_model_texts
from app.station import Station
from audit.services.listings import ListingView, listing_status

LISTINGS = "listings/status"
REFRESH_MS = 5000
_Index = QModelIndex | QPersistentModelIndex
_COLOURS = {"pending": GREY, "sending": ORANGE, "sent": ORANGE, "live": GREEN, "listed": GREEN, "failed": RED}


def load_listings(station: Station) -> list[ListingView]:
    with station.uow() as uow:
        return listing_status(uow)


def _headers() -> tuple[str, ...]:
    return (
        QCoreApplication.translate("ListingsModel", "Device"),
        QCoreApplication.translate("ListingsModel", "SKU"),
        QCoreApplication.translate("ListingsModel", "Market"),
        QCoreApplication.translate("ListingsModel", "Price"),
        QCoreApplication.translate("ListingsModel", "State"),
        QCoreApplication.translate("ListingsModel", "Attempts"),
        QCoreApplication.translate("ListingsModel", "Marketplace says"),
    )


class ListingsModel(QAbstractTableModel):
    COLUMN_COUNT = 7

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ListingView] = []

    def set_rows(self, rows: list[ListingView]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(  # noqa: N802 - Qt's API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _headers()[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            price = f"{row.price} {row.currency or ''}".strip() if row.price is not None else "—"
            values = (row.device, row.sku, row.market, price, row.status, str(row.attempts), row.last_error or "")
            return values[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 4:
            return QColor(_COLOURS.get(row.status, GREY))
        return None


class ListingsPage(Retranslating, QWidget):
    open_device = Signal(int)

    def __init__(self, station: Station, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.bridge = bridge
        self.model = ListingsModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.refresh_button = QPushButton()
        self._rows: list[ListingView] | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignRight)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.view.doubleClicked.connect(self.on_activated)
        self.view.activated.connect(self.on_activated)
        self.bridge.replied.connect(self.on_reply)
        self.retranslate()

    def retranslate(self) -> None:
        self.view.setAccessibleName(self.tr("Listings"))
        self.refresh_button.setText(self.tr("&Refresh"))
        self._show_summary()
        refresh_model_texts(self.model)

    def _show_summary(self) -> None:
        rows = self._rows
        if not rows:
            self.summary.setText(self.tr("No listing yet: approved devices are handed off from the warehouse."))
            return
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        parts = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
        self.summary.setText(self.tr("%1 listing(s): %2").replace("%1", str(len(rows))).replace("%2", parts))

    def refresh(self) -> None:
        station = self.station
        self.bridge.submit(LISTINGS, lambda: load_listings(station))

    def on_reply(self, reply: Reply) -> None:
        if reply.topic != LISTINGS or not self.bridge.is_latest(reply):
            return
        if reply.error is not None:
            self.summary.setText(self.tr("Cannot read the listings: %1").replace("%1", str(reply.error)))
            return
        rows: list[ListingView] = reply.value
        self.model.set_rows(rows)
        self._rows = rows
        self._show_summary()

    def on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_device.emit(self.model.rows[index.row()].device_id)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's API
        super().showEvent(event)
        self.refresh()
        self.timer.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt's API
        super().hideEvent(event)
        self.timer.stop()

"""Search results as a table that reads its rows a page at a time, in the pool, as the view scrolls.

``search()`` starts over with new filters (and learns the total); the view asks ``canFetchMore``/``fetchMore``
when it reaches the last row, and the next page is read after the last row's key. Never every device at once.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from app.gui.auditor import tasks
from app.gui.bridge import Bridge, Reply
from app.gui.history_model import local_time
from app.gui.states import state_name
from app.station import Station
from audit.queries import Cursor, DeviceFilter, DeviceRow, Page, PageRequest

_Index = QModelIndex | QPersistentModelIndex

PAGE = "auditor.page"
PAGE_SIZE = 100
# An exact count of a million matches costs more than the page itself: past this many the desk says "10,000+".
COUNT_LIMIT = 10_000


class DeviceSearchModel(QAbstractTableModel):
    ACTIVITY, IDENTIFIER, DEVICE, STATE, GRADE, TECHNICIAN, LOT = range(7)

    loaded = Signal()  # a page arrived
    failed = Signal(object)  # the exception

    def __init__(
        self, station: Station, bridge: Bridge, parent: QObject | None = None, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.bridge = bridge
        self.page_size = page_size
        self.filters: DeviceFilter | None = None
        self.total: int | None = None
        self.total_text = "?"  # "125,000", or "10,000+" when the count stopped at COUNT_LIMIT
        self._rows: list[DeviceRow] = []
        self._next: Cursor | None = None
        self._fetching = False
        bridge.replied.connect(self.on_reply)

    # --- asking ---------------------------------------------------------------------------------------------------

    def search(self, filters: DeviceFilter) -> None:
        self.beginResetModel()
        self.filters = filters
        self._rows = []
        self._next = None
        self.total = None
        self.total_text = "?"
        self.endResetModel()
        self._request(PageRequest(self.page_size, None, with_total=True, count_limit=COUNT_LIMIT))

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802, B008 - Qt's API
        return not parent.isValid() and self._next is not None and not self._fetching

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802, B008 - Qt's API
        if self.canFetchMore(parent):
            self._request(PageRequest(self.page_size, self._next, with_total=False))

    def _request(self, request: PageRequest) -> None:
        filters = self.filters
        if filters is None:
            return
        self._fetching = True
        station = self.station
        self.bridge.submit(PAGE, lambda: tasks.search(station, filters, request))

    @property
    def fetching(self) -> bool:
        return self._fetching

    # --- answers --------------------------------------------------------------------------------------------------

    def on_reply(self, reply: Reply) -> None:
        if reply.topic != PAGE or not self.bridge.is_latest(reply):
            return
        self._fetching = False
        if reply.error is not None:
            self.failed.emit(reply.error)
            return
        page: Page[DeviceRow] = reply.value
        if page.total is not None:
            self.total = page.total
            self.total_text = page.total_text
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self._next = page.next
        self.loaded.emit()

    def row(self, number: int) -> DeviceRow:
        return self._rows[number]

    def row_of(self, device_id: int) -> int:
        return next((n for n, row in enumerate(self._rows) if row.device_id == device_id), -1)

    def set_state(self, device_id: int, state: str) -> None:
        """Show a device's new state after a review, without reading the page again."""
        number = self.row_of(device_id)
        if number >= 0:
            self._rows[number] = dataclasses.replace(self._rows[number], state=state)
            index = self.index(number, self.STATE)
            self.dataChanged.emit(index, index)

    # --- Qt's model API -------------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else 7

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == self.ACTIVITY:
            return local_time(row.updated_at)
        if column == self.IDENTIFIER:
            return row.identifier
        if column == self.DEVICE:
            return f"{row.make} {row.model}"
        if column == self.STATE:
            return state_name(row.state)
        if column == self.GRADE:
            return (row.grade or "—").replace("_", " ")
        if column == self.TECHNICIAN:
            return row.technician or "—"
        return row.lot or "—"

    def headerData(  # noqa: N802 - Qt's API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (
            self.tr("Last activity"),
            self.tr("IMEI / serial"),
            self.tr("Device"),
            self.tr("State"),
            self.tr("Grade"),
            self.tr("Technician"),
            self.tr("Lot"),
        )[section]

"""A lot's lines as a table: declared against audited, one row per quoted device (a lot holds at most ~500)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.gui.states import GREEN, GREY, ORANGE, RED
from audit.queries import LotLineView

_Index = QModelIndex | QPersistentModelIndex

STATUS_COLOURS = {
    "match": GREEN,
    "adjusted": ORANGE,
    "requote": ORANGE,
    "refused": RED,
    "expired": RED,
    "audit_incomplete": GREY,
}


def status_text(line: LotLineView) -> str:
    if line.status == "pending":
        if line.device_id is None:
            return QCoreApplication.translate("LotStatus", "Not scanned")
        return QCoreApplication.translate("LotStatus", "Scanned, awaiting audit")
    names = {
        "match": QCoreApplication.translate("LotStatus", "Match"),
        "adjusted": QCoreApplication.translate("LotStatus", "Adjusted"),
        "requote": QCoreApplication.translate("LotStatus", "Re-quote"),
        "refused": QCoreApplication.translate("LotStatus", "Refused (locked)"),
        "expired": QCoreApplication.translate("LotStatus", "Quote expired"),
        "audit_incomplete": QCoreApplication.translate("LotStatus", "Audit incomplete"),
    }
    return names.get(line.status, line.status)


class LotLinesModel(QAbstractTableModel):
    LINE, DECLARED, IDENTIFIER, QUOTED, DEVICE, STATUS, ADJUSTED, REASONS = range(8)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: tuple[LotLineView, ...] = ()

    def set_lines(self, lines: Sequence[LotLineView]) -> None:
        self.beginResetModel()
        self._lines = tuple(lines)
        self.endResetModel()

    def line(self, row: int) -> LotLineView:
        return self._lines[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else 8

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS:
            colour = STATUS_COLOURS.get(line.status)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.LINE, self.QUOTED, self.ADJUSTED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.REASONS:
            return "\n".join(line.reasons) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.LINE:
            return str(line.line_no)
        if column == self.DECLARED:
            storage = f" {line.declared_storage_gb} GB" if line.declared_storage_gb else ""
            return f"{line.declared_model}{storage}, {line.declared_grade.replace('_', ' ')}"
        if column == self.IDENTIFIER:
            return line.declared_identifier or "—"
        if column == self.QUOTED:
            return f"{line.quoted_price:,.2f} {line.currency}"
        if column == self.DEVICE:
            return line.device or "—"
        if column == self.STATUS:
            return status_text(line)
        if column == self.ADJUSTED:
            return "—" if line.adjusted_price is None else f"{line.adjusted_price:,.2f} {line.currency}"
        return "; ".join(line.reasons)

    def headerData(  # noqa: N802 - Qt's API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (
            self.tr("Line"),
            self.tr("Declared"),
            self.tr("IMEI / serial"),
            self.tr("Quoted"),
            self.tr("Scanned device"),
            self.tr("Status"),
            self.tr("Offer"),
            self.tr("Why"),
        )[section]

"""A small plot of an instrument's samples kept as a test's evidence (the USB meter's charging current)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.gui.states import GREEN

_MARGIN_LEFT, _MARGIN = 44, 8


class SamplesPlot(QWidget):
    """Current (A) over time (s); hidden while the selected test has no samples."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples: tuple[tuple[float, float], ...] = ()
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Charging current measured by the USB meter"))
        self.hide()

    def set_samples(self, samples: Sequence[tuple[float, float]]) -> None:
        self.samples = tuple(samples)
        self.setVisible(len(self.samples) > 1)
        self.setToolTip(
            self.tr("%1 samples, up to %2 A")
            .replace("%1", str(len(self.samples)))
            .replace("%2", f"{max((a for _t, a in self.samples), default=0.0):.2f}")
        )
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's API
        if len(self.samples) < 2:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width, height = self.width() - _MARGIN_LEFT - _MARGIN, self.height() - 2 * _MARGIN
        t_max = max(t for t, _a in self.samples) or 1.0
        a_max = max(max(a for _t, a in self.samples), 0.1) * 1.1
        painter.setPen(QPen(QColor("#888888"), 1))
        painter.drawLine(_MARGIN_LEFT, _MARGIN, _MARGIN_LEFT, _MARGIN + height)
        painter.drawLine(_MARGIN_LEFT, _MARGIN + height, _MARGIN_LEFT + width, _MARGIN + height)
        painter.drawText(2, _MARGIN + 10, f"{a_max / 1.1:.1f} A")
        painter.drawText(_MARGIN_LEFT + width - 40, _MARGIN + height - 4, f"{t_max:.0f} s")
        points = QPolygonF(
            [QPointF(_MARGIN_LEFT + width * t / t_max, _MARGIN + height * (1 - a / a_max)) for t, a in self.samples]
        )
        painter.setPen(QPen(QColor(GREEN), 2, Qt.PenStyle.SolidLine))
        painter.drawPolyline(points)
        painter.end()

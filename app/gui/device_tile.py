"""One tile per device on the bench: what was read, a progress bar while the automatic steps run, and the one next
action in a band of the state's colour, with an icon, large enough to read from two metres."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QStyle, QVBoxLayout, QWidget

from app.bench.actions import NextAction, Tone, render
from app.bench.status import TileStatus
from app.gui.states import BLUE, GREEN, GREY, ORANGE, RED, family_name, state_name

TONE_COLOURS = {Tone.WORKING: BLUE, Tone.WAITING: ORANGE, Tone.READY: GREEN, Tone.BLOCKED: RED, Tone.IDLE: GREY}
TONE_ICONS = {
    Tone.WORKING: QStyle.StandardPixmap.SP_BrowserReload,
    Tone.WAITING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Tone.READY: QStyle.StandardPixmap.SP_DialogApplyButton,
    Tone.BLOCKED: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Tone.IDLE: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
TILE_WIDTH = 340
FAMILIES = {"ios": "iphone", "android": "android", "laptop": "laptop"}  # the bench's platform -> the family's name


def _style() -> str:
    rules = [
        "QFrame#deviceTile { background: white; border: 4px solid #5a5f66; border-radius: 10px; }",
        "QFrame#deviceTile:focus { border-width: 7px; }",
        "QLabel#tilePlace { color: #444; font-size: 13px; font-weight: bold; }",
        "QLabel#tileModel { color: #111; font-size: 22px; font-weight: bold; }",
        "QLabel#tileDetail { color: #444; font-size: 13px; }",
        "QLabel#tileBattery, QLabel#tileLocks { color: #111; font-size: 17px; }",
        "QFrame#tileBand { border-radius: 6px; }",
        "QLabel#tileAction { color: white; font-size: 19px; font-weight: bold; }",
        "QProgressBar#tileProgress { border: none; background: #dde3ea; border-radius: 4px; }",
    ]
    for tone, colour in TONE_COLOURS.items():
        rules.append(f'QFrame#deviceTile[tone="{tone.value}"] {{ border-color: {colour}; }}')
        rules.append(f'QFrame#tileBand[tone="{tone.value}"] {{ background: {colour}; }}')
        rules.append(f'QProgressBar#tileProgress[tone="{tone.value}"]::chunk {{ background: {colour}; }}')
    return "\n".join(rules)


STYLE = _style()  # set once on the bench view; tiles pick their colours by their "tone" property
_ICON = 40


def action_text(action: NextAction) -> str:
    """The next action in the window's language (the templates are the English source texts; a detail the catalogue
    knows, such as "worn, send to repair", is translated too)."""
    detail = action.detail and QCoreApplication.translate("NextAction", action.detail)
    return render(QCoreApplication.translate("NextAction", action.template), dataclasses.replace(action, detail=detail))


class DeviceTile(QFrame):
    activated = Signal(object)  # the TileStatus of the tile opened (Enter or double-click)

    def __init__(self, status: TileStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.setObjectName("deviceTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFixedWidth(TILE_WIDTH)
        self.setMinimumHeight(220)

        self.place = QLabel()
        self.place.setObjectName("tilePlace")
        self.model = QLabel()
        self.model.setObjectName("tileModel")
        self.model.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("tileDetail")
        self.battery = QLabel()
        self.battery.setObjectName("tileBattery")
        self.locks = QLabel()
        self.locks.setObjectName("tileLocks")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(8)
        self.progress.setObjectName("tileProgress")
        self.icon = QLabel()
        self.icon.setFixedSize(_ICON, _ICON)
        self.action = QLabel()
        self.action.setObjectName("tileAction")
        self.action.setWordWrap(True)
        self.action.setAccessibleName(self.tr("Next action"))

        band = QFrame()
        band.setObjectName("tileBand")
        band_layout = QHBoxLayout(band)
        band_layout.setContentsMargins(10, 8, 10, 8)
        band_layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        band_layout.addWidget(self.action, 1)
        self.band = band
        self._tone: Tone | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(4)
        layout.addWidget(self.place)
        layout.addWidget(self.model)
        layout.addWidget(self.detail)
        layout.addSpacing(4)
        layout.addWidget(self.battery)
        layout.addWidget(self.locks)
        layout.addStretch(1)
        layout.addWidget(self.progress)
        layout.addWidget(band)
        self.refresh()

    # what it shows --------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        status = self.status
        where = status.bay and self.tr("Bay %1").replace("%1", status.bay)
        platform = family_name(FAMILIES.get(status.platform.value, status.platform.value))
        state = status.state and state_name(status.state)
        self.place.setText(" · ".join(part for part in (where, platform, state) if part))
        self.model.setText(status.model or self.tr("Not identified yet"))
        self.detail.setText(status.detail or status.connection)
        self.battery.setText(self._battery_text())
        self.locks.setText(self._locks_text())
        self.progress.setValue(status.progress)
        self.progress.setVisible(status.working)
        self.action.setText(action_text(status.action))
        self.setToolTip(f"{status.connection}\n{status.action.text}")
        if status.tone is not self._tone:  # a style sheet costs a re-polish: only when the colour changes
            self._tone = status.tone
            self._paint(status.tone)

    def _paint(self, tone: Tone) -> None:
        # The colours live in one style sheet on the bench (STYLE): a tile only changes its "tone" property and is
        # polished again, which is far cheaper than parsing a style sheet per tile.
        self.icon.setPixmap(self.style().standardIcon(TONE_ICONS[tone]).pixmap(_ICON, _ICON))
        for widget in (self, self.band, self.progress):
            widget.setProperty("tone", tone.value)
            if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):  # before the first show Qt polishes anyway
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def _battery_text(self) -> str:
        status = self.status
        if not status.battery_read:
            return self.tr("Battery: …")
        if status.soh_percent is None:
            text = self.tr("Battery: health unknown")
        else:
            text = self.tr("Battery: %1 % health").replace("%1", f"{status.soh_percent:.0f}")
        if status.cycle_count is not None:
            text += " · " + self.tr("%1 cycles").replace("%1", str(status.cycle_count))
        if status.battery_verdict in ("replace", "worn"):
            text = "⚠ " + text
        return text

    def _locks_text(self) -> str:
        status = self.status
        if not status.locks_verdict:
            return self.tr("Locks: …")
        if status.locks_verdict == "clear":
            return self.tr("Locks: none")
        if status.locks_verdict == "locked":
            names = {
                "icloud": self.tr("iCloud / Find My"),
                "google_frp": self.tr("Google account"),
                "samsung": self.tr("Samsung account"),
                "mdm": self.tr("MDM"),
                "firmware_password": self.tr("firmware password"),
                "computrace": self.tr("Computrace"),
            }
            return self.tr("Locked: %1").replace("%1", ", ".join(names.get(k, k) for k in status.locks_on))
        return self.tr("Locks: unknown, check by hand")

    # opening it -----------------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.status)
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's API
        self.activated.emit(self.status)
        super().mouseDoubleClickEvent(event)

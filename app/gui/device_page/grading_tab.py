"""Cosmetic grading: defects picked per zone from the rubric, the grade and why (live, by the pure rules), photos."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.history_model import local_time
from app.gui.states import BLUE, GREEN, GREY, RED
from app.gui.translations import Retranslating
from audit import services
from audit.documents import DefectLine, GradeLine
from audit.readings import CosmeticDefect, DefectKind, DefectSeverity, DefectZone, DeviceFamily
from audit.rules.grading import GradeDecision, decide_grade, load_rubric

THUMBNAIL = QSize(120, 120)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp"}


# The rubric's zones, kinds and severities and the photo views, marked for lupdate: shown translated in the window.
_WORDS = (
    QT_TRANSLATE_NOOP("Defect", "screen"),
    QT_TRANSLATE_NOOP("Defect", "back"),
    QT_TRANSLATE_NOOP("Defect", "sides"),
    QT_TRANSLATE_NOOP("Defect", "camera lens"),
    QT_TRANSLATE_NOOP("Defect", "lid"),
    QT_TRANSLATE_NOOP("Defect", "keyboard"),
    QT_TRANSLATE_NOOP("Defect", "trackpad"),
    QT_TRANSLATE_NOOP("Defect", "base"),
    QT_TRANSLATE_NOOP("Defect", "scratch"),
    QT_TRANSLATE_NOOP("Defect", "scuff"),
    QT_TRANSLATE_NOOP("Defect", "dent"),
    QT_TRANSLATE_NOOP("Defect", "chip"),
    QT_TRANSLATE_NOOP("Defect", "crack"),
    QT_TRANSLATE_NOOP("Defect", "discolouration"),
    QT_TRANSLATE_NOOP("Defect", "dead pixel"),
    QT_TRANSLATE_NOOP("Defect", "burn in"),
    QT_TRANSLATE_NOOP("Defect", "worn keys"),
    QT_TRANSLATE_NOOP("Defect", "missing part"),
    QT_TRANSLATE_NOOP("Defect", "micro"),
    QT_TRANSLATE_NOOP("Defect", "light"),
    QT_TRANSLATE_NOOP("Defect", "visible"),
    QT_TRANSLATE_NOOP("Defect", "heavy"),
    QT_TRANSLATE_NOOP("Defect", "screen on"),
    QT_TRANSLATE_NOOP("Defect", "screen off"),
    QT_TRANSLATE_NOOP("Defect", "left"),
    QT_TRANSLATE_NOOP("Defect", "right"),
    QT_TRANSLATE_NOOP("Defect", "top"),
    QT_TRANSLATE_NOOP("Defect", "bottom"),
    QT_TRANSLATE_NOOP("Defect", "defect"),
)


def _words(value: str) -> str:
    """A zone, kind, severity or photo view of the rubric ("camera_lens") as words in the window's language."""
    return QCoreApplication.translate("Defect", value.replace("_", " "))


def severity_caption(severity: DefectSeverity) -> str:
    captions = {
        DefectSeverity.MICRO: QCoreApplication.translate("Severity", "micro: invisible at 20 cm"),
        DefectSeverity.LIGHT: QCoreApplication.translate("Severity", "light: visible at 20 cm, not at 50 cm"),
        DefectSeverity.VISIBLE: QCoreApplication.translate("Severity", "visible at 50 cm"),
        DefectSeverity.HEAVY: QCoreApplication.translate("Severity", "heavy: deep, sharp or structural"),
    }
    return captions[severity]


def describe_decision(decision: GradeDecision) -> str:
    grade = decision.grade.label if decision.grade else QCoreApplication.translate("Grade", "Not sellable")
    return f"{grade} (CTIA {decision.ctia.value})"


class GradingTab(Retranslating, QWidget):
    defect_requested = Signal(object)  # CosmeticDefect
    grade_requested = Signal(object)  # genuine parts: bool | None
    photos_requested = Signal(tuple, str)  # paths, view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._family = DeviceFamily.IPHONE
        self._defects: tuple[CosmeticDefect, ...] = ()

        self.zone = QComboBox()
        self.kind = QComboBox()
        for kind in DefectKind:
            self.kind.addItem(_words(kind.value), kind)
        self.severity = QComboBox()
        for severity in DefectSeverity:
            self.severity.addItem(severity_caption(severity), severity)
        self.defect_note = QLineEdit()
        self.add_defect = QPushButton()
        self.if_added = QLabel()
        self.if_added.setWordWrap(True)
        # Word-wrapped labels in a form get one line's height unless told: the reason needs up to three.
        self.if_added.setMinimumHeight(3 * self.if_added.fontMetrics().lineSpacing())
        self.picker_labels = [QLabel() for _ in range(5)]
        picker = QFormLayout()
        for label, field in zip(
            self.picker_labels, (self.zone, self.kind, self.severity, self.defect_note, self.if_added), strict=True
        ):
            label.setBuddy(field)
        picker.addRow(self.picker_labels[0], self.zone)
        picker.addRow(self.picker_labels[1], self.kind)
        picker.addRow(self.picker_labels[2], self.severity)
        picker.addRow(self.picker_labels[3], self.defect_note)
        picker.addRow("", self.add_defect)
        picker.addRow(self.picker_labels[4], self.if_added)
        self.picker_box = QGroupBox()
        self.picker_box.setLayout(picker)

        self.defect_list = QListWidget()
        self.genuine = QComboBox()
        for value in (None, True, False):
            self.genuine.addItem("", value)
        self.grade_now = QLabel()
        font = QFont(self.grade_now.font())
        font.setPointSizeF(font.pointSizeF() + 10)
        font.setBold(True)
        self.grade_now.setFont(font)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        reason_font = QFont(self.reason.font())
        reason_font.setPointSizeF(reason_font.pointSizeF() + 2)
        self.reason.setFont(reason_font)
        self.grade_button = QPushButton()
        self.committed = QLabel()
        self.committed.setWordWrap(True)

        self.decision_box = decision_box = QGroupBox()
        decision_layout = QVBoxLayout(decision_box)
        decision_layout.addWidget(self.grade_now)
        decision_layout.addWidget(self.reason)
        genuine_row = QFormLayout()
        self.genuine_label = QLabel()
        self.genuine_label.setBuddy(self.genuine)
        genuine_row.addRow(self.genuine_label, self.genuine)
        decision_layout.addLayout(genuine_row)
        decision_layout.addWidget(self.grade_button)
        decision_layout.addWidget(self.committed)

        self.photo_view = QComboBox()
        for view in services.photo_views():
            self.photo_view.addItem(_words(view), view)
        self.photo_view.setCurrentIndex(self.photo_view.findData("defect"))
        self.add_photo = QPushButton()
        self.add_folder = QPushButton()
        self.photos = QListWidget()
        self.photos.setViewMode(QListWidget.ViewMode.IconMode)
        self.photos.setIconSize(THUMBNAIL)
        self.photo_message = QLabel()
        self.photo_message.setWordWrap(True)
        photo_buttons = QHBoxLayout()
        self.view_label = QLabel()
        self.view_label.setBuddy(self.photo_view)
        photo_buttons.addWidget(self.view_label)
        photo_buttons.addWidget(self.photo_view)
        photo_buttons.addWidget(self.add_photo)
        photo_buttons.addWidget(self.add_folder)
        photo_buttons.addStretch(1)
        self.photos_box = photos_box = QGroupBox()
        photos_layout = QVBoxLayout(photos_box)
        photos_layout.addLayout(photo_buttons)
        photos_layout.addWidget(self.photos)
        photos_layout.addWidget(self.photo_message)

        left = QVBoxLayout()
        left.addWidget(self.picker_box)
        self.defects_label = QLabel()
        self.defects_label.setBuddy(self.defect_list)
        left.addWidget(self.defects_label)
        left.addWidget(self.defect_list, 1)
        right = QVBoxLayout()
        right.addWidget(decision_box)
        right.addWidget(photos_box, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self._data_dir = Path()

        for combo in (self.zone, self.kind, self.severity):
            combo.currentIndexChanged.connect(self.on_pick_changed)
        self.genuine.currentIndexChanged.connect(self.on_pick_changed)
        self.add_defect.clicked.connect(self.on_add_defect)
        self.grade_button.clicked.connect(self.on_grade)
        self.add_photo.clicked.connect(self.on_add_photo)
        self.add_folder.clicked.connect(self.on_add_folder)
        self.retranslate()

    def retranslate(self) -> None:
        for combo in (self.zone, self.kind, self.photo_view):
            for position in range(combo.count()):
                combo.setItemText(position, _words(str(combo.itemData(position))))
        for position in range(self.severity.count()):
            self.severity.setItemText(position, severity_caption(DefectSeverity(self.severity.itemData(position))))
        self.defect_note.setPlaceholderText(self.tr("Where exactly, how long… (optional)"))
        self.add_defect.setText(self.tr("&Record defect"))
        for label, text in zip(
            self.picker_labels,
            (self.tr("&Zone:"), self.tr("&Kind:"), self.tr("&Severity:"), self.tr("Note:"), self.tr("With it:")),
            strict=True,
        ):
            label.setText(text)
        self.if_added.setAccessibleName(self.tr("Grade with this defect"))
        self.picker_box.setTitle(self.tr("Pick a defect"))
        self.defect_list.setAccessibleName(self.tr("Recorded defects"))
        for position, text in enumerate(
            (self.tr("Not confirmed"), self.tr("Genuine parts and battery"), self.tr("Some parts are not genuine"))
        ):
            self.genuine.setItemText(position, text)
        self.grade_now.setAccessibleName(self.tr("Grade"))
        self.reason.setAccessibleName(self.tr("Why"))
        self.grade_button.setText(self.tr("&Grade the device"))
        self.committed.setAccessibleName(self.tr("Recorded grade"))
        self.decision_box.setTitle(self.tr("Grade (Back Market scale, CTIA letter)"))
        self.genuine_label.setText(self.tr("Genuine parts:"))
        self.add_photo.setText(self.tr("Add photo…"))
        self.add_folder.setText(self.tr("Import camera folder…"))
        self.photos.setAccessibleName(self.tr("Photos"))
        self.view_label.setText(self.tr("View:"))
        self.photos_box.setTitle(self.tr("Photos"))
        self.defects_label.setText(self.tr("Recorded defects:"))
        self.on_pick_changed()

    # --- what the page tells it

    def show_grading(
        self,
        family: DeviceFamily,
        defects: Sequence[DefectLine],
        grade: GradeLine | None,
        *,
        can_record: bool,
        can_grade: bool,
        genuine_parts: bool | None,
    ) -> None:
        if family is not self._family or self.zone.count() == 0:
            self._family = family
            allowed = load_rubric().zones_for(family)
            self.zone.blockSignals(True)
            self.zone.clear()
            for zone in DefectZone:
                if zone in allowed:
                    self.zone.addItem(_words(zone.value), zone)
            self.zone.blockSignals(False)
        self._defects = tuple(
            CosmeticDefect(DefectZone(d.zone), DefectKind(d.kind), DefectSeverity(d.severity), d.note) for d in defects
        )
        self.defect_list.clear()
        for line in defects:
            note = f" — {line.note}" if line.note else ""
            self.defect_list.addItem(f"{_words(line.zone)}: {_words(line.kind)} ({_words(line.severity)}){note}")
        if not defects:
            self.defect_list.addItem(self.tr("No defect recorded"))
        for widget in (self.zone, self.kind, self.severity, self.defect_note, self.add_defect):
            widget.setEnabled(can_record)
        self.add_defect.setToolTip("" if can_record else self.tr("Defects are recorded while the inspection is open"))
        self.grade_button.setEnabled(can_grade)
        self.genuine.blockSignals(True)
        self.genuine.setCurrentIndex(self.genuine.findData(genuine_parts))
        self.genuine.blockSignals(False)
        if grade is None:
            self.committed.setText(self.tr("Not graded yet."))
            self.committed.setStyleSheet(f"color: {GREY};")
        else:
            label = grade.grade.replace("_", " ").capitalize() if grade.grade else self.tr("Not sellable")
            self.committed.setText(
                self.tr("Recorded: %1 (CTIA %2) by %3 at %4: %5")
                .replace("%1", label)
                .replace("%2", grade.ctia)
                .replace("%3", grade.decided_by)
                .replace("%4", local_time(grade.decided_at))
                .replace("%5", grade.reason)
            )
            self.committed.setStyleSheet(f"color: {GREEN if grade.sellable else RED}; font-weight: bold;")
        self.on_pick_changed()

    def show_photos(self, photos: Sequence[services.PhotoInfo], data_dir: Path) -> None:
        self._data_dir = data_dir
        self.photos.clear()
        for photo in photos:
            reader = QImageReader(str(data_dir / photo.path))
            size = reader.size()
            if size.isValid():
                # Decoded at thumbnail size: a 12-megapixel JPEG never lands whole on the GUI thread.
                reader.setScaledSize(size.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio))
            image = reader.read()
            icon = QIcon(QPixmap.fromImage(image)) if not image.isNull() else QIcon()
            item = QListWidgetItem(icon, f"{_words(photo.view)}\n{photo.taken_by}")
            item.setToolTip(f"{photo.path}\nsha256 {photo.sha256}\n{local_time(photo.added_at)}")
            self.photos.addItem(item)

    def say_photos(self, text: str, *, problem: bool = False) -> None:
        self.photo_message.setStyleSheet(f"color: {RED if problem else GREEN};")
        self.photo_message.setText(text)

    # --- slots

    def picked_defect(self) -> CosmeticDefect | None:
        zone = self.zone.currentData()
        if zone is None:
            return None
        # Qt hands back the StrEnum members stored as item data as plain strings.
        return CosmeticDefect(
            DefectZone(zone),
            DefectKind(self.kind.currentData()),
            DefectSeverity(self.severity.currentData()),
            self.defect_note.text().strip(),
        )

    def preview(self) -> GradeDecision:
        return decide_grade(self._defects, self._family, load_rubric(), genuine_parts=self.genuine.currentData())

    def on_pick_changed(self) -> None:
        decision = self.preview()
        self.grade_now.setText(describe_decision(decision))
        self.grade_now.setStyleSheet(f"color: {BLUE if decision.sellable else RED};")
        self.reason.setText(decision.reason)
        picked = self.picked_defect()
        if picked is None or not self.add_defect.isEnabled():
            self.if_added.clear()
            return
        with_it = decide_grade(
            (*self._defects, picked), self._family, load_rubric(), genuine_parts=self.genuine.currentData()
        )
        self.if_added.setText(f"{describe_decision(with_it)} — {with_it.reason}")

    def on_add_defect(self) -> None:
        picked = self.picked_defect()
        if picked is not None:
            self.defect_note.clear()
            self.defect_requested.emit(picked)

    def on_grade(self) -> None:
        self.grade_requested.emit(self.genuine.currentData())

    def on_add_photo(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Add photos"), "", self.tr("Photos (*.jpg *.jpeg *.png *.heic *.heif *.webp)")
        )
        if names:
            self.photos_requested.emit(tuple(Path(name) for name in names), self.photo_view.currentData())

    def on_add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import a camera folder"))
        if folder:
            self.import_folder(Path(folder))

    def import_folder(self, folder: Path) -> None:
        """Every photo file directly in ``folder`` (a camera's DCIM folder), in name order."""
        paths = tuple(sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES))
        if not paths:
            self.say_photos(self.tr("No photo in %1").replace("%1", str(folder)), problem=True)
            return
        self.photos_requested.emit(paths, self.photo_view.currentData())

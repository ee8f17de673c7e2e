"""The station's settings: one typed schema (key, type, default, description), stored with QSettings in the data dir,
and the dialog built from it. Secrets never live here: the marketplace token stays in the system keyring.

The language is a setting too; :class:`Language` installs the translators for it and switches them while the window
is open (widgets that follow ``QEvent.LanguageChange`` redraw in the new language).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.gui.translations import Retranslating, install_translators, remove_translators, wanted_locale
from audit.rules.channels import DEFAULT_CHANNEL_NAME, channel_names

T = TypeVar("T", str, int, bool)

SETTINGS_FILE = "station.ini"


@dataclasses.dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type[T]
    default: T
    label: str
    description: str
    choices: Callable[[], tuple[tuple[str, str], ...]] | None = None  # (value, label); read when the dialog opens
    needs_restart: bool = False

    def convert(self, raw: object) -> T:
        """QSettings gives strings back from an INI file: turn them into the declared type (bad values: default)."""
        if raw is None:
            return self.default
        try:
            if self.type is bool:
                return raw if isinstance(raw, bool) else str(raw).strip().lower() in ("1", "true", "yes", "on")  # type: ignore[return-value]
            return self.type(raw)  # type: ignore[call-arg]
        except (TypeError, ValueError):
            return self.default


def _channels() -> tuple[tuple[str, str], ...]:
    return tuple((name, name) for name in channel_names())


def _languages() -> tuple[tuple[str, str], ...]:
    return (
        ("system", QCoreApplication.translate("Settings", "System language")),
        ("en", "English"),
        ("fr", "Français"),
    )


DATABASE_URL: Setting[str] = Setting(
    "database/url",
    str,
    "",
    QT_TRANSLATE_NOOP("Settings", "Database URL"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "Where the records are: empty for the SQLite file in the data folder, or postgresql://user@host/db to share "
        "one database between the stations of a warehouse. --database-url and REFURB_DATABASE_URL win over this.",
    ),
    needs_restart=True,
)
SALES_CHANNEL: Setting[str] = Setting(
    "sales/channel",
    str,
    DEFAULT_CHANNEL_NAME,
    QT_TRANSLATE_NOOP("Settings", "Sales channel"),
    QT_TRANSLATE_NOOP("Settings", "Whose thresholds new inspections use (battery health, cycle counts, warranty)."),
    choices=_channels,
)
LABEL_PRINTER: Setting[str] = Setting(
    "printer/target",
    str,
    "",
    QT_TRANSLATE_NOOP("Settings", "Label printer"),
    QT_TRANSLATE_NOOP(
        "Settings", "A CUPS queue name, or host:9100 for a ZPL printer on the network; empty to save labels as PDF."
    ),
)
MARKETPLACE_ACCOUNT: Setting[str] = Setting(
    "marketplace/account",
    str,
    "",
    QT_TRANSLATE_NOOP("Settings", "Marketplace account"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "The Back Market seller account name. The API token is kept in the system keyring, never in this file.",
    ),
)
SCANNER_PORT: Setting[str] = Setting(
    "scanner/port",
    str,
    "",
    QT_TRANSLATE_NOOP("Settings", "Barcode scanner port"),
    QT_TRANSLATE_NOOP(
        "Settings",
        "A barcode scanner in serial (virtual COM) mode, e.g. /dev/ttyACM0 or COM3; empty for a scanner that types "
        "like a keyboard.",
    ),
    needs_restart=True,
)
LANGUAGE: Setting[str] = Setting(
    "ui/language",
    str,
    "system",
    QT_TRANSLATE_NOOP("Settings", "Language"),
    QT_TRANSLATE_NOOP("Settings", "The language of the window (REFURB_LANG wins)."),
    choices=_languages,
)

SCHEMA: tuple[Setting[Any], ...] = (
    DATABASE_URL,
    SALES_CHANNEL,
    LABEL_PRINTER,
    MARKETPLACE_ACCOUNT,
    SCANNER_PORT,
    LANGUAGE,
)


class Settings:
    """Typed access to the stored settings."""

    def __init__(self, store: QSettings) -> None:
        self.store = store

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> Settings:
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat))

    def value(self, setting: Setting[T]) -> T:
        return setting.convert(self.store.value(setting.key))

    def set_value(self, setting: Setting[T], value: T) -> None:
        self.store.setValue(setting.key, setting.convert(value))

    def sync(self) -> None:
        self.store.sync()

    # raw window state (geometry blobs), kept next to the typed settings
    def window_state(self, name: str) -> Any:
        return self.store.value(f"window/{name}")

    def set_window_state(self, name: str, value: Any) -> None:
        self.store.setValue(f"window/{name}", value)


class SettingsDialog(Retranslating, QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for setting in SCHEMA:
            editor: QLineEdit | QComboBox
            if setting.choices is not None:
                editor = QComboBox()
                for value, label in setting.choices():
                    editor.addItem(label, value)
            else:
                editor = QLineEdit()
            editor.setObjectName(setting.key)
            self.editors[setting.key] = editor
            self.labels[setting.key] = QLabel()
            self.labels[setting.key].setBuddy(editor)
            form.addRow(self.labels[setting.key], editor)
        self.note = note = QLabel()
        note.setStyleSheet("QLabel { color: #5a5f66; }")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        for setting in SCHEMA:
            editor = self.editors[setting.key]
            label = QCoreApplication.translate("Settings", setting.label)
            editor.setToolTip(QCoreApplication.translate("Settings", setting.description))
            editor.setAccessibleName(label)
            self.labels[setting.key].setText(label + ("  ⟳" if setting.needs_restart else ""))
            if isinstance(editor, QComboBox) and setting.choices is not None:
                for position, (value, text) in enumerate(setting.choices()):
                    if editor.itemData(position) == value:
                        editor.setItemText(position, text)
        self.note.setText(self.tr("⟳ takes effect when the station starts again."))

    def load(self) -> None:
        for setting in SCHEMA:
            editor = self.editors[setting.key]
            value = self.settings.value(setting)
            if isinstance(editor, QComboBox):
                index = editor.findData(value)
                editor.setCurrentIndex(max(0, index))
            else:
                editor.setText(str(value))

    def accept(self) -> None:
        for setting in SCHEMA:
            editor = self.editors[setting.key]
            value = editor.currentData() if isinstance(editor, QComboBox) else editor.text().strip()
            self.settings.set_value(setting, value)
        self.settings.sync()
        super().accept()


class Language:
    """The translators installed for the chosen language, switched while the window is open."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.translators: list[QTranslator] = []

    def install(self, code: str) -> None:
        """``code``: "en", "fr", or "system" (the system locale, or REFURB_LANG when set)."""
        self.remove()
        locale = wanted_locale() if code == "system" else QLocale(code)
        self.translators = install_translators(self.app, locale)  # Qt tells every widget (LanguageChange)

    def remove(self) -> None:
        remove_translators(self.app, self.translators)
        self.translators = []

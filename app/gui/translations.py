"""Which language the station speaks: the system locale, or ``REFURB_LANG`` (e.g. ``fr``) to force one."""

from __future__ import annotations

import os
from importlib import resources

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QEvent, QLibraryInfo, QLocale, Qt, QTranslator

LANGUAGE_ENV = "REFURB_LANG"
CATALOGUE = "refurb_station"


def translations_dir() -> str:
    return str(resources.files("resources") / "translations")


def wanted_locale() -> QLocale:
    forced = os.environ.get(LANGUAGE_ENV, "").strip()
    return QLocale(forced) if forced else QLocale.system()


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Install our catalogue and Qt's own (standard buttons) for ``locale``; returns what was installed.

    English needs no catalogue: a language we do not ship falls back to the English source text.
    """
    locale = locale or wanted_locale()
    installed: list[QTranslator] = []
    for name, folder in (
        ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        (CATALOGUE, translations_dir()),
    ):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)


def refresh_model_texts(model: QAbstractItemModel) -> None:
    """After a language switch: views ask ``model`` again for its headers and cells (both are translated on read)."""
    columns = model.columnCount()
    if columns:
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
    rows = model.rowCount()
    if rows and columns:
        model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, columns - 1))


class Retranslating:
    """Mixin, before the Qt class (``class Page(Retranslating, QWidget)``): ``retranslate()`` sets the widget's texts
    and runs again on every QEvent.LanguageChange, so the whole window follows a language switch without a restart.
    Texts drawn from the records are drawn again by their owner (the page), from the records."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]

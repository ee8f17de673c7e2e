"""The station speaks French when asked: REFURB_LANG=fr, or a French system locale."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.gui.device_lookup import DeviceLookup
from app.gui.sign_in import SignInDialog
from app.gui.states import state_name
from app.gui.translations import install_translators, remove_translators, translations_dir, wanted_locale
from tests.gui.conftest import GUI

pytestmark = GUI


@pytest.fixture
def french(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("REFURB_LANG", "fr")
    translators = install_translators(qapp, wanted_locale())
    assert translators, "no French catalogue was loaded"
    yield
    remove_translators(qapp, translators)


def test_the_compiled_catalogue_ships_with_its_source() -> None:
    folder = Path(translations_dir())
    assert (folder / "refurb_station_fr.ts").is_file()
    assert (folder / "refurb_station_fr.qm").is_file()


def test_refurb_lang_forces_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFURB_LANG", "fr")
    assert wanted_locale().language() == QLocale.Language.French
    monkeypatch.delenv("REFURB_LANG")
    assert wanted_locale() == QLocale.system()


def test_labels_are_in_french(qtbot: QtBot, french: None) -> None:
    lookup = DeviceLookup()
    qtbot.addWidget(lookup)
    dialog = SignInDialog()
    qtbot.addWidget(dialog)

    assert lookup.caption.text() == "Scannez ou saisissez un IMEI ou un numéro de série, puis appuyez sur Entrée"
    assert dialog.windowTitle() == "Connexion"
    assert state_name("quarantined") == "En quarantaine"


def test_english_is_the_source_text(qtbot: QtBot) -> None:
    lookup = DeviceLookup()
    qtbot.addWidget(lookup)
    assert lookup.caption.text() == "Scan or type an IMEI or serial number, then press Enter"

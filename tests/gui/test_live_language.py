"""The language switches while the window is open, on every page: a person picks Français from the Station menu,
reads each page in French, and goes back to English through the settings dialog by keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from app.gui.bridge import Bridge
from app.gui.device_page import DevicePage
from app.gui.main_window import AUDITOR_PAGE, DEVICE_PAGE, LISTINGS_PAGE, LOOKUP_PAGE, LOTS_PAGE, MainWindow
from app.gui.settings import LANGUAGE, Language, Settings
from app.station import Station
from audit import services
from tests.audit.bench_flow import register
from tests.gui.conftest import GUI, TECH

pytestmark = GUI

NBSP = "\u00a0"
H = Qt.Orientation.Horizontal


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.in_data_dir(tmp_path / "settings")


@pytest.fixture
def language(qapp: QApplication) -> Iterator[Language]:
    language = Language(qapp)
    language.install("en")
    yield language
    language.remove()


@pytest.fixture
def window(
    qtbot: QtBot, staffed: Station, bridge: Bridge, pool: QThreadPool, settings: Settings, language: Language
) -> Iterator[MainWindow]:
    """The window signed in as a technician, on the device page of an iPhone under inspection."""
    device_id = register(staffed.uow)
    with staffed.uow() as uow:
        services.start_inspection(uow, "tech", device_id, station="bench-1")
    window = MainWindow(staffed, bridge, settings=settings, language=language)
    qtbot.addWidget(window)
    window.show()
    window.start(signed_in_as=TECH)
    window.open_device.emit(device_id)
    page = window.device_page
    assert page is not None
    qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
    qtbot.waitUntil(lambda: "valid" in window.chain_label.text(), timeout=10_000)
    # A search on the auditor desk, so that its result count and table have something to say.
    window.auditor.search()
    qtbot.waitUntil(lambda: window.auditor.results.rowCount() == 1, timeout=10_000)
    yield window
    pool.waitForDone()
    window.close()


def tab_text(window: MainWindow, name: str) -> str:
    return window.pages.tabText(window._page_names.index(name))


def device_page(window: MainWindow) -> DevicePage:
    assert window.device_page is not None
    return window.device_page


# (what is read, English, French), one row per kind of text on each page.
TEXTS: list[tuple[str, Callable[[MainWindow], str], str, str]] = [
    ("window-tab", lambda w: tab_text(w, AUDITOR_PAGE), "&Auditor desk", "Bureau d’a&udit"),
    ("window-device-tab", lambda w: tab_text(w, DEVICE_PAGE), "&Device", "Appar&eil"),
    (
        "status-bar-user",
        lambda w: w.user_label.text(),
        "Signed in: tech (Technician)",
        f"Connecté{NBSP}: tech (Technicien)",
    ),
    (
        "status-bar-chain",
        lambda w: w.chain_label.text().split(":")[0],
        "Audit chain valid",
        f"Chaîne d’audit valide{NBSP}",
    ),
    (
        "lookup-placeholder",
        lambda w: w.lookup.search.placeholderText(),
        "IMEI or serial number",
        "IMEI ou numéro de série",
    ),
    ("lots-group", lambda w: w.lots.receive_box.title(), "Receive a lot", "Réceptionner un lot"),
    (
        "lots-placeholder",
        lambda w: w.lots.scan_field.placeholderText(),
        "Scan or type an IMEI or serial, then Enter",
        "Scannez ou saisissez un IMEI ou un n° de série, puis Entrée",
    ),
    ("lots-button", lambda w: w.lots.import_button.text(), "&Import partner CSV…", "&Importer le CSV du partenaire…"),
    ("lots-header", lambda w: w.lots.table.model().headerData(1, H), "Declared", "Déclaré"),
    ("auditor-combo", lambda w: w.auditor.state.itemText(0), "Any state", "Tous les états"),
    ("auditor-combo-state", lambda w: w.auditor.state.itemText(2), "Identified", "Identifié"),
    ("auditor-tab", lambda w: w.auditor.tabs.tabText(1), "Erasure QC (R2v3)", "Contrôle des effacements (R2v3)"),
    ("auditor-qc-header", lambda w: w.auditor.qc_table.horizontalHeaderItem(2).text(), "Erased by", "Effacé par"),
    (
        "auditor-placeholder",
        lambda w: w.auditor.identifier.placeholderText(),
        "IMEI or serial (the start is enough)",
        "IMEI ou numéro de série (le début suffit)",
    ),
    ("auditor-header", lambda w: w.auditor.table.model().headerData(0, H), "Last activity", "Dernière activité"),
    ("auditor-cell", lambda w: w.auditor.results.index(0, 3).data(), "Identified", "Identifié"),
    ("auditor-count", lambda w: w.auditor.count_label.text(), "Showing 1 of 1 devices", "1 appareils affichés sur 1"),
    ("listings-button", lambda w: w.listings.refresh_button.text(), "&Refresh", "&Actualiser"),
    ("listings-header", lambda w: w.listings.view.model().headerData(2, H), "Market", "Marché"),
    ("device-tab", lambda w: device_page(w).tabs.tabText(1), "&Battery", "&Batterie"),
    ("device-state", lambda w: device_page(w).state.text().strip(), "Identified", "Identifié"),
    (
        "identity-field",
        lambda w: device_page(w).identity.captions["serial"].text(),
        "Serial number:",
        "Numéro de série:",
    ),
    ("identity-history-header", lambda w: device_page(w).identity.table.model().headerData(1, H), "Who", "Qui"),
    ("battery-field", lambda w: device_page(w).battery.captions["cycles"].text(), "Cycle count:", "Nombre de cycles:"),
    ("locks-heading", lambda w: device_page(w).locks.headings[2].text(), "Evidence", "Preuve"),
    (
        "checklist-button",
        lambda w: device_page(w).checklist.finish_button.text(),
        "&Finish inspection",
        "&Terminer l’inspection",
    ),
    ("checklist-cell", lambda w: device_page(w).checklist.model.index(0, 2).data(), "Required", "Obligatoire"),
    ("grading-label", lambda w: device_page(w).grading.picker_labels[0].text(), "&Zone:", f"&Zone{NBSP}:"),
    ("grading-combo", lambda w: device_page(w).grading.kind.itemText(0), "scratch", "rayure"),
    ("erasure-label", lambda w: device_page(w).erasure.form_labels[0].text(), "Method:", f"Méthode{NBSP}:"),
    ("label-button", lambda w: device_page(w).label.print_button.text(), "&Print label", "&Imprimer l’étiquette"),
    ("report-button", lambda w: device_page(w).report.save_button.text(), "Save PDF…", "Enregistrer le PDF…"),
]


def read_all(window: MainWindow) -> dict[str, str]:
    return {name: read(window) for name, read, _english, _french in TEXTS}


def wait_for_texts(qtbot: QtBot, window: MainWindow, wanted: dict[str, str]) -> None:
    try:
        qtbot.waitUntil(lambda: read_all(window) == wanted, timeout=5_000)
    except qtbot.TimeoutError:
        assert read_all(window) == wanted  # shows which texts stayed behind


def test_every_page_switches_language_live_and_back(qtbot: QtBot, window: MainWindow, settings: Settings) -> None:
    english = {name: text for name, _read, text, _french in TEXTS}
    french = {name: text for name, _read, _english, text in TEXTS}
    assert read_all(window) == english

    # Station ▸ Language ▸ Français: every page follows at once, without a restart.
    window.french_action.trigger()
    wait_for_texts(qtbot, window, french)
    assert settings.value(LANGUAGE) == "fr"

    # The settings dialog opens in French; English is picked in it by keys and saved with Enter.
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "Paramètres"
    assert dialog.labels["printer/target"].text() == "Imprimante d’étiquettes"
    combo = dialog.editors[LANGUAGE.key]
    assert isinstance(combo, QComboBox)
    assert combo.itemText(0) == "Langue du système"
    combo.setFocus()
    qtbot.keyClicks(combo, "English")
    assert combo.currentData() == "en"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(combo, Qt.Key.Key_Return)

    wait_for_texts(qtbot, window, english)
    assert settings.value(LANGUAGE) == "en"
    assert dialog.windowTitle() == "Settings"
    assert combo.itemText(0) == "System language"
    assert tab_text(window, LOOKUP_PAGE) == "&Look up"
    assert tab_text(window, LOTS_PAGE) == "L&ots"
    assert tab_text(window, LISTINGS_PAGE) == "Li&stings"

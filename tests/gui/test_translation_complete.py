"""The French catalogue is whole: every message of app/ is in the .ts, translated, with its placeholders and one
accelerator per menu or tab bar, and the shipped .qm says what the .ts says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.bench.actions import ActionCode, NextAction, erasing
from app.gui.device_tile import action_text
from app.gui.translations import CATALOGUE, install_translators, remove_translators, translations_dir
from audit.readings import DefectKind, DefectSeverity, DefectZone
from audit.services.photos import photo_views
from tests.gui.conftest import GUI

pytestmark = GUI

ROOT = Path(__file__).resolve().parents[2]
TS = Path(translations_dir()) / f"{CATALOGUE}_fr.ts"
QM = TS.with_suffix(".qm")
PLACEHOLDER = re.compile(r"%(\d+|n)")
ACCELERATOR = re.compile(r"&(?!&)(.)")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translations: tuple[str, ...]  # one, or one per plural form
    unfinished: bool
    numerus: bool

    def __str__(self) -> str:
        return f"{self.context}: {self.source!r}"


def read_ts(path: Path) -> list[Message]:
    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{name}: a message without <translation>"
            numerus = message.get("numerus") == "yes"
            forms = [form.text or "" for form in translation.iter("numerusform")] if numerus else [translation.text]
            messages.append(
                Message(
                    context=name,
                    source=message.findtext("source") or "",
                    translations=tuple(text or "" for text in forms),
                    unfinished=translation.get("type") in ("unfinished", "vanished", "obsolete"),
                    numerus=numerus,
                )
            )
    return messages


@pytest.fixture(scope="module")
def catalogue() -> list[Message]:
    return read_ts(TS)


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    """The catalogue installed the way the station does it (Settings ▸ Language ▸ Français)."""
    translators = install_translators(qapp, QLocale("fr"))
    assert translators, "no French catalogue was loaded"
    yield
    remove_translators(qapp, translators)


def test_the_catalogue_is_not_empty(catalogue: list[Message]) -> None:
    assert len(catalogue) > 300
    assert {"NextAction", "DevicePage", "LotsPage", "AuditorDesk", "DeviceTile"} <= {m.context for m in catalogue}


def test_every_message_is_translated(catalogue: list[Message]) -> None:
    problems = [
        str(m) for m in catalogue if m.unfinished or not m.translations or not all(t.strip() for t in m.translations)
    ]
    assert problems == [], "unfinished or empty in the French catalogue:\n" + "\n".join(problems)


def test_every_placeholder_survives_the_translation(catalogue: list[Message]) -> None:
    problems = []
    for message in catalogue:
        wanted = set(PLACEHOLDER.findall(message.source))
        for translation in message.translations:
            found = set(PLACEHOLDER.findall(translation))
            if found != wanted:
                problems.append(f"{message}: {sorted(wanted)} became {sorted(found)} in {translation!r}")
    assert problems == [], "\n".join(problems)


def test_accelerators_are_kept(catalogue: list[Message]) -> None:
    """A source with a keyboard accelerator keeps exactly one in French, and a source without gets none."""
    problems = []
    for message in catalogue:
        wanted = len(ACCELERATOR.findall(message.source))
        for translation in message.translations:
            if len(ACCELERATOR.findall(translation)) != wanted:
                problems.append(f"{message}: {translation!r}")
    assert problems == [], "\n".join(problems)


# Texts shown side by side (one menu, one tab bar, one page's buttons and fields): their accelerators must differ.
SIDE_BY_SIDE = [
    pytest.param("MainWindow", ["&Station", "&Go"], id="menu-bar"),
    pytest.param("MainWindow", ["&Switch user…", "S&ettings…", "&Language", "&Quit"], id="station-menu"),
    pytest.param("MainWindow", ["&Bench", "&Look up a device"], id="go-menu"),
    pytest.param("MainWindow", ["&Bench", "&Look up", "L&ots", "&Auditor desk", "&Device"], id="page-tabs"),
    pytest.param(
        "DevicePage",
        ["&Identity", "&Battery", "&Locks", "Functional &tests", "Cosmetic &grade", "&Erasure", "&Report", "L&abel"],
        id="device-page-tabs",
    ),
    pytest.param("GradingTab", ["&Zone:", "&Kind:", "&Severity:", "&Record defect", "&Grade the device"], id="grading"),
    pytest.param("ErasureTab", ["&Erase the device", "Issue the &certificate"], id="erasure"),
    pytest.param(
        "AuditorDesk",
        ["&Verify the chain", "&Search", "Load &more", "&Approve", "&Reject", "&Draw the sample"],
        id="auditor-desk",
    ),
    pytest.param("LotsPage", ["&Import partner CSV…", "&Export lot report…"], id="lots"),
    pytest.param(
        "LockCheckDialog",
        [
            "O&ff: no account or management lock",
            "O&n: the lock is there (the device will be quarantined)",
            "What you checked and saw (&required):",
        ],
        id="lock-check",
    ),
]


@pytest.mark.parametrize(("context", "sources"), SIDE_BY_SIDE)
def test_no_two_accelerators_collide(catalogue: list[Message], context: str, sources: list[str]) -> None:
    by_source = {m.source: m.translations[0] for m in catalogue if m.context == context}
    for language, texts in (("English", sources), ("French", [by_source[source] for source in sources])):
        keys = [ACCELERATOR.findall(text)[0].casefold() for text in texts]
        assert len(set(keys)) == len(keys), f"{language} accelerators collide: {texts}"


def test_every_rubric_word_is_in_the_catalogue(catalogue: list[Message]) -> None:
    """The grading tab shows zones, kinds, severities and photo views through the "Defect" context."""
    words = {m.source for m in catalogue if m.context == "Defect"}
    values = [*DefectZone, *DefectKind, *DefectSeverity, *photo_views()]
    assert sorted({str(v).replace("_", " ") for v in values} - words) == []


def _lupdate() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lupdate")
    return str(beside) if beside.exists() else shutil.which("pyside6-lupdate")


@pytest.mark.skipif(_lupdate() is None, reason="pyside6-lupdate is not installed")
def test_the_catalogue_holds_every_string_of_the_source(catalogue: list[Message], tmp_path: Path) -> None:
    """lupdate over app/ finds nothing the committed .ts lacks (else: regenerate it, see resources/translations)."""
    fresh = tmp_path / "fresh_fr.ts"
    subprocess.run(
        [str(_lupdate()), "-silent", "-extensions", "py", str(ROOT / "app"), "-ts", str(fresh)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    found = {(m.context, m.source) for m in read_ts(fresh)}
    committed = {(m.context, m.source) for m in catalogue}
    assert sorted(found - committed) == [], "new strings in app/ are not in the catalogue"
    assert sorted(committed - found) == [], "the catalogue keeps strings app/ no longer has"


def test_the_compiled_catalogue_matches_its_source(catalogue: list[Message]) -> None:
    """Every message of the .ts, looked up in the shipped .qm, gives the .ts translation: the .qm is not stale."""
    translator = QTranslator()
    assert translator.load(str(QM))
    stale = []
    for message in catalogue:
        if message.numerus:
            looked_up = tuple(
                translator.translate(message.context, message.source, None, n) for n in (1, 2)
            )  # French: one form for 0 and 1, another from 2
            expected = message.translations
        else:
            looked_up = (translator.translate(message.context, message.source),)
            expected = message.translations
        if looked_up != expected:
            stale.append(f"{message}: {looked_up!r} in the .qm, {expected!r} in the .ts")
    assert stale == [], "run pyside6-lrelease again:\n" + "\n".join(stale)


NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("context", "source", "french_text"),
    [
        pytest.param(
            "NextAction",
            "Trust this computer on the phone",
            f"Sur le téléphone, touchez «{NBSP}Se fier{NBSP}» à cet ordinateur",
            id="tile-trust",
        ),
        pytest.param("NextAction", "Ready to grade", "Prêt pour le grading", id="tile-ready"),
        pytest.param("DeviceTile", "Locks: none", f"Verrous{NBSP}: aucun", id="tile-locks"),
        pytest.param("DevicePage", "&Battery", "&Batterie", id="device-tab-battery"),
        pytest.param("DevicePage", "Functional &tests", "&Tests fonctionnels", id="device-tab-tests"),
        pytest.param("DevicePage", "L&abel", "Éti&quette", id="device-tab-label"),
        pytest.param("LotsPage", "Receive a lot", "Réceptionner un lot", id="lots-receive"),
        pytest.param("LotStatus", "Re-quote", "Nouvelle offre", id="lots-status"),
        pytest.param("AuditorDesk", "&Approve", "&Approuver", id="auditor-approve"),
        pytest.param("AuditorDesk", "Erasure QC (R2v3)", "Contrôle des effacements (R2v3)", id="auditor-qc"),
        pytest.param("Settings", "Label printer", "Imprimante d’étiquettes", id="settings-label"),
        pytest.param("Defect", "camera lens", "objectif photo", id="rubric-zone"),
    ],
)
def test_the_station_speaks_french(french: None, context: str, source: str, french_text: str) -> None:
    assert QCoreApplication.translate(context, source) == french_text


@pytest.mark.parametrize(
    ("action", "french_text"),
    [
        pytest.param(erasing(42), f"Effacement 42{NBSP}%", id="erasing"),
        pytest.param(
            NextAction(ActionCode.READY_BATTERY, "check autonomy", 79),
            f"Prêt pour le grading{NBSP}— batterie 79{NBSP}%{NBSP}: check autonomy",
            id="battery-detail-as-it-is",
        ),
        pytest.param(
            NextAction(ActionCode.READY_BATTERY, "worn, send to repair", 77),
            f"Prêt pour le grading{NBSP}— batterie 77{NBSP}%{NBSP}: usée, à envoyer en réparation",
            id="battery-detail-from-the-catalogue",
        ),
        pytest.param(
            NextAction(ActionCode.GOOGLE),
            f"Compte Google présent{NBSP}: demandez au propriétaire de le supprimer",
            id="google",
        ),
    ],
)
def test_tile_actions_render_in_french(french: None, action: NextAction, french_text: str) -> None:
    assert action_text(action) == french_text

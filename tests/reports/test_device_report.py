"""The device audit report PDF, read back: values, translations, page count, fonts, QR code, pixels."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfReader

from audit.documents import DeviceReportData, Photo, device_report_data
from audit.models import Device
from reports.device_report import render_device_report, report_filename, report_qr_value
from tests.reports.conftest import Bench
from tests.reports.pdf_tools import dark_fraction, pdf_text, read_codes, render_page


@pytest.fixture(scope="module")
def report(shared_bench: Bench) -> DeviceReportData:
    with shared_bench.uow() as uow:
        return device_report_data(uow, uow.session.get(Device, shared_bench.device_id))


@pytest.fixture(scope="module")
def rendered(report: DeviceReportData, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("device-report")
    paths = {}
    for lang in ("en", "fr"):
        paths[lang] = folder / f"{lang}-{report_filename(report)}"
        render_device_report(report, paths[lang], lang=lang)
    return paths


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "Device audit report",
                "State of health 91.0% — reported by the device",
                "Back Market Pro minimum: 85%",
                "Verdict: clear",
                "iCloud Activation Lock / Find My off checked",
                "Powers on and off pass",
                "Grade: Very good · CTIA B",
                "back scratch light (invisible at 50 cm) near the camera",
                "NIST SP 800-88 category Purge",
                "audrey — approved",
                "Page 1 of 2",
            ],
        ),
        (
            "fr",
            [
                "Rapport d'audit de l'appareil",
                "État de santé 91,0 % — indiqué par l'appareil",
                "Minimum Back Market Pro : 85 %",
                "Verdict : aucun verrou",
                "Verrouillage d'activation iCloud / Localiser désactivé checked",
                "S'allume et s'éteint réussi",
                "Grade : Très bon état · CTIA B",
                "dos rayure léger (invisible à 50 cm) near the camera",
                "Catégorie NIST SP 800-88 Purge",
                "audrey — approuvé",
                "Page 1 sur 2",
            ],
        ),
    ],
    ids=["en", "fr"],
)
def test_the_report_reads_back_in_its_language(
    rendered: dict[str, Path], report: DeviceReportData, lang: str, words: list[str]
) -> None:
    pages = pdf_text(rendered[lang])
    assert len(pages) == 2
    text = " ".join(pages)
    for phrase in words:
        assert phrase in text, phrase
    for value in ("356938035643809", "F2LXK0ABHG7F", "LOT-2026-042 #1", report.report_id, report.digest, "312"):
        assert value in text, value
    assert report.erasure is not None
    assert report.erasure.certificate_id in text


def test_fonts_are_embedded(rendered: dict[str, Path]) -> None:
    reader = PdfReader(rendered["fr"])
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [font.get_object()["/FontDescriptor"] for font in fonts.values()]
    assert descriptors
    assert all("/FontFile2" in d for d in descriptors)


def test_the_qr_code_names_the_report_and_its_hash(rendered: dict[str, Path], report: DeviceReportData) -> None:
    codes = read_codes(render_page(rendered["en"], dpi=150))
    assert codes == [report_qr_value(report)]
    assert f"sha256={report.digest}" in codes[0]
    assert report.report_id in codes[0]


def test_first_page_has_ink_and_the_battery_bar(rendered: dict[str, Path]) -> None:
    image = render_page(rendered["en"], dpi=100)
    width, height = image.size
    assert 0.01 < dark_fraction(image) < 0.4
    assert dark_fraction(image, (int(width * 0.75), 0, width, int(height * 0.18))) > 0.1  # QR code, top right


def test_a_report_without_readings_says_so(tmp_path: Path, report: DeviceReportData) -> None:
    bare = dataclasses.replace(report, battery=None, locks=None, functional=(), defects=(), grade=None, erasure=None)
    bare = dataclasses.replace(bare, review=None)
    path = tmp_path / "bare.pdf"
    render_device_report(bare, path, lang="fr")
    text = " ".join(pdf_text(path))
    for phrase in (
        "Aucune mesure de batterie enregistrée.",
        "Aucune vérification des verrous enregistrée.",
        "Aucun test fonctionnel enregistré.",
        "Pas encore noté.",
        "Aucun effacement enregistré.",
        "en attente de la revue d'un auditeur",
    ):
        assert phrase in text


def test_photos_from_the_records_are_shown(bench: Bench, tmp_path: Path) -> None:
    from PIL import Image

    from audit import db
    from audit.services.photos import attach_photo

    shot = tmp_path / "back.png"
    Image.new("RGB", (60, 90), (10, 10, 10)).save(shot)
    with bench.uow() as uow:
        attach_photo(uow, "tech", bench.device_id, shot, "back", db.data_dir())
    with bench.uow() as uow:
        data = device_report_data(uow, uow.session.get(Device, bench.device_id), data_dir=db.data_dir())
    assert [(p.view, p.taken_by) for p in data.photos] == [("back", "tech")]
    assert Path(data.photos[0].path).is_file()
    unreadable = Photo("screen_on", str(tmp_path / "missing.heic"), "tech", data.photos[0].taken_at)
    path = tmp_path / "photos.pdf"
    render_device_report(dataclasses.replace(data, photos=(*data.photos, unreadable)), path, lang="fr")
    text = " ".join(pdf_text(path))
    assert "Photos" in text
    assert "dos — tech" in text
    assert "écran allumé — tech" in text
    assert "(image illisible ici)" in text
    assert any("/XObject" in page["/Resources"] for page in PdfReader(path).pages)


def test_unknown_language_is_refused(report: DeviceReportData, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="choose one of en, fr"):
        render_device_report(report, tmp_path / "x.pdf", lang="de")


def test_the_charging_test_shows_the_meters_samples_as_a_plot(report: DeviceReportData, tmp_path: Path) -> None:
    from audit.documents import FunctionalLine
    from reports.device_report import meter_samples

    samples = "[[0.0, 5.1, 0.0, 0.0], [0.5, 5.05, 0.92, 4.6], [1.0, 5.02, 1.01, 5.1], [1.5, 5.0, 1.03, 5.2]]"
    charging = FunctionalLine(
        "charging",
        "Charges through its port",
        "pass",
        "instrument",
        "tech",
        report.generated_at,
        "UM25C",
        (("meter", "UM25C"), ("samples", samples)),
    )
    assert meter_samples(charging.evidence) == [(0.0, 0.0), (0.5, 0.92), (1.0, 1.01), (1.5, 1.03)]
    assert meter_samples((("samples", "not json"),)) == []
    plain = dataclasses.replace(report, functional=(dataclasses.replace(charging, evidence=()),))
    plotted = dataclasses.replace(report, functional=(charging,))
    paths = {}
    for name, data in (("plain", plain), ("plotted", plotted)):
        paths[name] = tmp_path / f"{name}.pdf"
        render_device_report(data, paths[name], lang="en")
    text = " ".join(pdf_text(paths["plotted"]))
    assert "Charges from its charger: charging current measured by the USB meter" in text
    assert "1.0 A" in text
    assert "charging current measured" not in " ".join(pdf_text(paths["plain"]))

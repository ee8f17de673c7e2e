"""The device page driven like a technician does: keys for the checklist, a defect, the grade, the erasure, the
certificate; then an auditor's approval and the hand-off take the device to "listed". Real SQLite, real services,
a real thread pool behind the bridge."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from app.gui.bridge import Bridge, Reply
from app.gui.device_page import DevicePage, SimulatedEraser
from app.gui.device_page.checklist import ChecklistModel
from app.gui.device_page.eraser import SIMULATED, EraseTarget
from app.gui.tasks import Person
from app.station import Station
from audit import services
from audit.models import AuditEvent, CertificateRecord, Device, ErasureRecord, FunctionalRecord
from audit.readings import (
    DefectKind,
    DefectSeverity,
    DefectZone,
    DeviceFamily,
    FunctionalResult,
    LockCheck,
    LockKind,
    LockState,
    LockStatus,
    MeasuredBy,
    TestOutcome,
)
from audit.rules.functional import load_test_plan
from tests.audit.bench_flow import NA, OFF, battery, clear_locks, register
from tests.gui.conftest import GUI, TECH

pytestmark = GUI

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PLAN = load_test_plan(DeviceFamily.IPHONE)
# What the technician answers for each manual step of the iPhone plan (everything else: Enter = pass).
KEYS_FOR = {"touch_id": Qt.Key.Key_N, "ambient_light": Qt.Key.Key_S}


def start_with_driver_readings(station: Station, *, locks: LockStatus | None = None) -> tuple[int, int]:
    """A registered iPhone with an open inspection, its automatic steps read and recorded as the bench does."""
    device_id = register(station.uow)
    with station.uow() as uow:
        inspection = services.start_inspection(uow, "tech", device_id, station="bench-1")
    readings = [locks or clear_locks(), battery(91.0, 312)]
    readings += [FunctionalResult(s.test_id, TestOutcome.PASS, MeasuredBy.AUTOMATIC) for s in PLAN.steps if s.automatic]
    for reading in readings:
        with station.uow() as uow:
            services.record_reading(uow, "tech", inspection, reading)
            if isinstance(reading, LockStatus) and reading.icloud.state is LockState.ON:
                break  # the device is quarantined: its inspection is closed
    return device_id, inspection


@pytest.fixture
def inspected_iphone(staffed: Station) -> tuple[int, int]:
    return start_with_driver_readings(staffed)


@pytest.fixture
def open_page(qtbot: QtBot, staffed: Station, bridge: Bridge, pool: object) -> Iterator[Callable[..., DevicePage]]:
    pages: list[DevicePage] = []

    def open_(device_id: int, **options: object) -> DevicePage:
        with qtbot.waitSignal(bridge.replied, check_params_cb=lambda r: r.topic.endswith("/load")):
            page = DevicePage(staffed, bridge, TECH, device_id, **options)  # type: ignore[arg-type]
        qtbot.addWidget(page)
        page.resize(1200, 820)
        page.show()
        qtbot.waitUntil(lambda: page.data is not None)
        pages.append(page)
        return page

    yield open_
    bridge.wait_for_done()  # no worker may outlive the page's database
    for page in pages:
        page.close()


def wait_reply(qtbot: QtBot, bridge: Bridge, kind: str, action: Callable[[], object]) -> Reply:
    with qtbot.waitSignal(bridge.replied, check_params_cb=lambda r: r.topic.endswith("/" + kind)) as blocker:
        action()
    reply: Reply = blocker.args[0]
    return reply


def reloaded(qtbot: QtBot, page: DevicePage, action: Callable[[], object]) -> None:
    """Do ``action`` and wait until the page shows the records it changed."""
    with qtbot.waitSignal(page.refreshed):
        action()


def answer_everything_by_keys(qtbot: QtBot, page: DevicePage) -> None:
    view = page.checklist.view
    model = page.checklist.model
    view.setFocus()
    while (row := view.currentIndex().row()) >= 0 and model.answer(row) is None:
        qtbot.keyClick(view, KEYS_FOR.get(model.step(row).test_id, Qt.Key.Key_Return))
    qtbot.waitUntil(lambda: not page.busy_answering)


def latest_outcomes(station: Station, inspection: int) -> dict[str, tuple[str, str]]:
    with station.uow() as uow:
        rows = uow.session.execute(
            sa.select(FunctionalRecord)
            .where(FunctionalRecord.inspection_id == inspection)
            .order_by(FunctionalRecord.id)
        ).scalars()
        return {row.test_id: (row.outcome, row.data["measured_by"]) for row in rows}


def state_of(station: Station, device_id: int) -> str:
    with station.uow() as uow:
        return services.find_device(uow, f"#{device_id}").state


def tab_captions(page: DevicePage) -> list[str]:
    return [page.tabs.tabText(i).replace("&", "") for i in range(page.tabs.count())]


def test_the_page_opens_on_the_checklist_with_the_automatic_steps_filled_in(
    open_page: Callable[..., DevicePage], inspected_iphone: tuple[int, int]
) -> None:
    page = open_page(inspected_iphone[0])

    assert tab_captions(page) == [
        "Identity", "Battery", "Locks", "Functional tests", "Cosmetic grade", "Erasure", "Report", "Label",
    ]  # fmt: skip
    assert page.title.text() == "Apple iPhone 12 (356938035643809)"
    assert page.state.text().strip() == "Identified"
    assert page.tabs.currentWidget() is page.checklist, "an open inspection opens on the checklist"
    model = page.checklist.model
    assert model.rowCount() == len(PLAN.steps)
    for row in range(model.rowCount()):
        answer = model.answer(row)
        if model.step(row).automatic:
            assert answer is not None
            assert (answer.outcome, answer.measured_by) == (TestOutcome.PASS, "automatic")
            assert model.index(row, ChecklistModel.RESULT).data() == "Pass"
        else:
            assert answer is None
    current = page.checklist.view.currentIndex().row()
    assert model.step(current).test_id == "power_on_off", "the first unanswered step is selected"
    assert page.checklist.instructions.text() == PLAN.step("power_on_off").instructions
    assert page.checklist.progress.text().startswith(f"5 of {len(PLAN.steps)} answered")


def test_battery_and_locks_tabs_show_values_with_their_sources(
    open_page: Callable[..., DevicePage], inspected_iphone: tuple[int, int]
) -> None:
    page = open_page(inspected_iphone[0])

    assert page.battery.soh.text() == "91 %"
    assert page.battery.verdict.text().strip() == "Sellable"
    assert page.battery.threshold.text() == "Back Market Pro: sellable from 85 %, worn below 80 %"
    assert page.battery.fields["soh_source"].text() == "the device's own figure"
    assert page.battery.fields["cycles"].text() == "312 (flag at 500)"
    assert page.battery.fields["capacity"].text() == "2561.7 / 2815 mAh"
    assert page.battery.fields["source"].text() == "AppleSmartBattery"
    assert page.locks.verdict.text().strip() == "No lock"
    assert page.locks.source.text().startswith("Read from lockdown")
    _name, state, evidence = page.locks.rows[LockKind.ICLOUD]
    assert (state.text(), evidence.text()) == ("off", "checked")
    assert not page.locks.rows[LockKind.GOOGLE_FRP][1].isEnabled(), "a lock an iPhone cannot have is greyed out"


def test_the_checklist_is_answered_by_keys_and_every_answer_recorded_in_order(
    qtbot: QtBot, open_page: Callable[..., DevicePage], inspected_iphone: tuple[int, int], staffed: Station
) -> None:
    device_id, inspection = inspected_iphone
    page = open_page(device_id)
    view, model = page.checklist.view, page.checklist.model
    view.setFocus()

    # GPS fails first (with a note), then the technician goes back up with the arrow and passes it: the pass counts.
    qtbot.keyClick(view, Qt.Key.Key_Return)  # power_on_off
    assert model.step(view.currentIndex().row()).test_id == "gps", "an answer moves to the next unanswered step"
    qtbot.keyClicks(page.checklist.note, "no fix after 2 min")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: not page.busy_answering)
    assert model.index(PLAN.test_ids.index("gps"), ChecklistModel.RESULT).data() == "Fail: no fix after 2 min"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert model.step(view.currentIndex().row()).test_id == "gps"
    qtbot.keyClick(view, Qt.Key.Key_P)
    answer_everything_by_keys(qtbot, page)

    recorded = latest_outcomes(staffed, inspection)
    for step in PLAN.steps:
        expected = (
            "not applicable" if step.test_id == "touch_id" else "skipped" if step.test_id == "ambient_light" else "pass"
        )
        assert recorded[step.test_id][0] == expected, step.test_id
        assert recorded[step.test_id][1] == ("automatic" if step.automatic else "manual")
    with staffed.uow() as uow:
        gps = uow.session.execute(
            sa.select(FunctionalRecord.outcome, FunctionalRecord.data)
            .where(FunctionalRecord.test_id == "gps")
            .order_by(FunctionalRecord.id)
        ).all()
    assert [(row.outcome, row.data["note"]) for row in gps] == [("fail", "no fix after 2 min"), ("pass", "")]
    assert "every required step answered" in page.checklist.progress.text()


def test_finishing_with_untested_steps_shows_the_services_refusal(
    qtbot: QtBot,
    open_page: Callable[..., DevicePage],
    inspected_iphone: tuple[int, int],
    staffed: Station,
    bridge: Bridge,
) -> None:
    device_id, _inspection = inspected_iphone
    page = open_page(device_id)
    page.checklist.view.setFocus()
    qtbot.keyClick(page.checklist.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.busy_answering)

    reply = wait_reply(
        qtbot,
        bridge,
        "finish",
        lambda: qtbot.keyClick(page.checklist.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier),
    )

    assert not reply.ok
    text = page.checklist.result.text()
    assert text == str(reply.error)
    assert text.startswith("cannot finish the inspection: untested steps: gps, cellular")
    assert "power_on_off" not in text
    assert state_of(staffed, device_id) == "identified", "a refused finish writes nothing"


def test_a_defect_shows_the_grade_and_why_before_and_after_it_is_recorded(
    qtbot: QtBot, open_page: Callable[..., DevicePage], inspected_iphone: tuple[int, int]
) -> None:
    page = open_page(inspected_iphone[0])
    grading = page.grading
    assert [grading.zone.itemData(i) for i in range(grading.zone.count())] == [
        DefectZone.SCREEN, DefectZone.BACK, DefectZone.SIDES, DefectZone.CAMERA_LENS,
    ], "only the zones the rubric gives an iPhone"  # fmt: skip
    assert grading.grade_now.text() == "Excellent (CTIA A)"
    assert grading.reason.text() == (
        "Excellent: no cosmetic defect, but genuine parts and battery not confirmed (Premium needs them)"
    )

    grading.zone.setCurrentIndex(grading.zone.findData(DefectZone.BACK))
    grading.kind.setCurrentIndex(grading.kind.findData(DefectKind.SCRATCH))
    grading.severity.setCurrentIndex(grading.severity.findData(DefectSeverity.LIGHT))
    assert grading.if_added.text().startswith("Very good (CTIA B) — Very good: back scratch (light) caps at Very good")
    grading.severity.setCurrentIndex(grading.severity.findData(DefectSeverity.HEAVY))
    assert grading.if_added.text().startswith("Not sellable"), "the preview follows the pickers live"
    grading.severity.setCurrentIndex(grading.severity.findData(DefectSeverity.LIGHT))

    reloaded(qtbot, page, grading.add_defect.click)

    assert grading.defect_list.item(0).text() == "back: scratch (light)"
    assert grading.grade_now.text() == "Very good (CTIA B)"
    assert grading.reason.text() == "Very good: back scratch (light) caps at Very good"
    assert not grading.grade_button.isEnabled(), "grading waits for the inspection to finish"


def test_a_locked_phone_shows_quarantined_and_the_lock_with_its_evidence(
    open_page: Callable[..., DevicePage], staffed: Station
) -> None:
    locked = LockStatus(
        source="lockdown", icloud=LockCheck(LockState.ON, "ActivationState=Activated, FMiP on"), google_frp=NA,
        samsung=NA, mdm=OFF,
    )  # fmt: skip
    device_id, _ = start_with_driver_readings(staffed, locks=locked)
    page = open_page(device_id)

    assert page.state.text().strip() == "Quarantined"
    assert page.reason.text() == "locked: icloud"
    assert page.locks.verdict.text().strip() == "Locked"
    assert page.locks.rows[LockKind.ICLOUD][2].text() == "ActivationState=Activated, FMiP on"
    assert not page.checklist.finish_button.isEnabled()
    assert page.checklist.progress.text() == "The inspection is closed: answers are read-only."


def test_photos_from_a_camera_folder_are_attached_and_a_non_image_refused(
    qtbot: QtBot,
    open_page: Callable[..., DevicePage],
    inspected_iphone: tuple[int, int],
    tmp_path: Path,
    staffed: Station,
) -> None:
    page = open_page(inspected_iphone[0])
    folder = tmp_path / "DCIM"
    folder.mkdir()
    photo = QImage(640, 480, QImage.Format.Format_RGB32)
    photo.fill(QColor("#3a6ea5"))
    assert photo.save(str(folder / "IMG_0001.JPG"), "JPG")
    (folder / "IMG_0002.jpg").write_bytes(b"not a jpeg at all")
    (folder / "notes.txt").write_text("ignored: not a photo name")
    page.grading.photo_view.setCurrentIndex(page.grading.photo_view.findData("back"))

    reloaded(qtbot, page, lambda: page.grading.import_folder(folder))

    assert page.grading.photos.count() == 1
    assert page.grading.photos.item(0).text() == "back\ntech"
    assert (
        page.grading.photo_message.text()
        == "IMG_0002.jpg: IMG_0002.jpg is not a photo (JPEG, PNG, HEIC or WebP): refused"
    )
    with staffed.uow() as uow:
        (photo,) = services.list_photos(uow, inspected_iphone[0])
    assert (staffed.data_dir / photo.path).is_file()


def test_the_whole_path_from_checklist_to_listed(
    qtbot: QtBot,
    open_page: Callable[..., DevicePage],
    inspected_iphone: tuple[int, int],
    staffed: Station,
    bridge: Bridge,
) -> None:
    device_id, _inspection = inspected_iphone
    eraser = SimulatedEraser(steps=4)
    page = open_page(device_id, eraser=eraser)
    states: list[tuple[int, str]] = []
    certificates: list[tuple[int, str]] = []
    page.state_changed.connect(lambda d, s: states.append((d, s)))
    page.certificate_issued.connect(lambda d, c: certificates.append((d, c)))

    # 1. checklist by keys, one light scratch on the back, finish with Ctrl+Enter
    answer_everything_by_keys(qtbot, page)
    grading = page.grading
    grading.zone.setCurrentIndex(grading.zone.findData(DefectZone.BACK))
    grading.kind.setCurrentIndex(grading.kind.findData(DefectKind.SCRATCH))
    grading.severity.setCurrentIndex(grading.severity.findData(DefectSeverity.LIGHT))
    reloaded(qtbot, page, grading.add_defect.click)
    page.checklist.view.setFocus()
    reloaded(
        qtbot, page, lambda: qtbot.keyClick(page.checklist.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    )
    assert page.checklist.result.text() == (
        "Inspected: no account or management lock; state of health 91.0 % meets the Back Market Pro minimum of 85 %; "
        "every required test of plan iphone 2026.1 passed"
    )
    assert page.state.text().strip() == "Inspected"
    assert not page.checklist.finish_button.isEnabled()

    # 2. grade
    assert grading.grade_button.isEnabled()
    reloaded(qtbot, page, grading.grade_button.click)
    assert page.state.text().strip() == "Graded"
    assert page.message.text() == "Graded Very good (CTIA B): Very good: back scratch (light) caps at Very good"
    assert grading.committed.text().startswith("Recorded: Very good (CTIA B) by tech at ")

    # 3. erase with the simulated eraser: progress, outcome, certificate
    assert page.erasure.method.text() == SIMULATED + "Apple erase all content and settings"
    assert page.erasure.start_button.isEnabled()
    seen: list[int] = []
    # A lambda, not ``seen.append``: PySide does not keep a built-in bound method alive, and calling it later crashes.
    page.erasure.progress.valueChanged.connect(lambda value: seen.append(value))
    reply = wait_reply(qtbot, bridge, "erase", page.erasure.start_button.click)
    assert reply.ok, reply.error
    assert reply.ran_off_gui_thread, "the erasure runs in the pool"
    qtbot.waitUntil(lambda: page.state.text().strip() == "Certified")
    with staffed.uow() as uow:
        certificate_id = uow.session.execute(
            sa.select(CertificateRecord.id).where(CertificateRecord.device_id == device_id)
        ).scalar_one()
        erasure = uow.session.execute(
            sa.select(ErasureRecord.status, ErasureRecord.method).where(ErasureRecord.device_id == device_id)
        ).one()
    assert UUID.match(certificate_id)
    assert page.erasure.certificate.text() == certificate_id
    assert page.erasure.status.text() == f"Erased and certified: {certificate_id}"
    assert page.erasure.progress.value() == 100
    assert seen == sorted(seen), "the progress bar followed the eraser"
    assert seen[-1] == 100
    assert len(seen) > 2
    assert (erasure.status, erasure.method) == ("erased", SIMULATED + "Apple erase all content and settings")
    assert certificates == [(device_id, certificate_id)]

    # 4. approved by an auditor who did none of the work, handed off by the warehouse: listed
    with staffed.uow() as uow:
        services.approve(uow, "audrey", device_id, "checked the report")
    with staffed.uow() as uow:
        services.hand_off(uow, "wendy", device_id)
    reloaded(qtbot, page, page.reload)
    assert page.state.text().strip() == "Listed"
    assert [s for d, s in states if d == device_id] == ["inspected", "graded", "certified", "listed"]


def test_a_failed_erasure_is_recorded_and_not_certified(
    qtbot: QtBot, open_page: Callable[..., DevicePage], staffed: Station, bridge: Bridge
) -> None:
    from tests.audit.bench_flow import inspect

    device_id = register(staffed.uow)
    inspect(staffed.uow, device_id)
    with staffed.uow() as uow:
        services.grade_device(uow, "tech", device_id, genuine_parts=True)
    page = open_page(device_id, eraser=SimulatedEraser(steps=10, fail_at=40))
    assert page.tabs.currentWidget() is page.erasure, "a graded device opens on the erasure"

    wait_reply(qtbot, bridge, "erase", page.erasure.start_button.click)
    qtbot.waitUntil(lambda: page.erasure.outcome.text().startswith("failed"))

    assert page.erasure.status.text() == "Not erased: the device stopped answering at 40% (simulated fault)"
    assert page.erasure.certificate.text() == "—"
    assert page.state.text().strip() == "Graded"
    assert page.erasure.start_button.isEnabled(), "a failed erasure can be run again"


def test_the_report_and_label_are_previewed_and_the_label_printed(
    qtbot: QtBot,
    open_page: Callable[..., DevicePage],
    inspected_iphone: tuple[int, int],
    bridge: Bridge,
    tmp_path: Path,
) -> None:
    target = tmp_path / "printer.zpl"
    page = open_page(inspected_iphone[0], label_printer=f"file:{target}")

    reply = wait_reply(qtbot, bridge, "report", lambda: page.tabs.setCurrentWidget(page.report))
    assert reply.ok, reply.error
    assert page.report.preview.document.status() == QPdfDocument.Status.Ready
    assert page.report.preview.document.pageCount() >= 1
    assert page.report.preview.pdf.startswith(b"%PDF")

    wait_reply(qtbot, bridge, "label", lambda: page.tabs.setCurrentWidget(page.label))
    assert page.label.preview.document.pageCount() == 1
    page.label.save_to(tmp_path / "label.pdf")
    assert (tmp_path / "label.pdf").read_bytes() == page.label.preview.pdf

    printed = wait_reply(qtbot, bridge, "print", page.label.print_button.click)
    assert printed.ok, printed.error
    zpl = target.read_bytes()
    assert zpl.startswith(b"^XA")
    assert b"356938035643809" in zpl
    assert page.label.message.text() == f"label 356938035643809 sent to file:{target}"


def test_without_a_printer_the_print_button_says_why(
    open_page: Callable[..., DevicePage], inspected_iphone: tuple[int, int]
) -> None:
    page = open_page(inspected_iphone[0])
    assert not page.label.print_button.isEnabled()
    assert page.label.print_button.toolTip() == "No label printer set in Settings"


@pytest.mark.parametrize(
    ("family", "method"),
    [
        (DeviceFamily.IPHONE, "Apple erase all content and settings"),
        (DeviceFamily.ANDROID, "Android factory reset (cryptographic erase)"),
        (DeviceFamily.LAPTOP, "overwrite zeros, 1 pass, verify last pass"),
    ],
    ids=["iphone", "android", "laptop"],
)
def test_the_simulated_eraser_reports_progress_and_a_marked_outcome(family: DeviceFamily, method: str) -> None:
    target = EraseTarget(1, family, "a device", "hw", "SER1", 256_000_000_000)
    seen: list[tuple[int, str]] = []
    run = SimulatedEraser(steps=5).start(target, lambda p, t: seen.append((p, t)))
    assert [p for p, _ in seen] == [0, 20, 40, 60, 80, 100]
    assert run.outcome.succeeded
    assert run.outcome.method == SIMULATED + method
    assert run.outcome.tool == "refurb-station simulated eraser"
    assert (run.report is not None) == (family is DeviceFamily.LAPTOP), "only a disk has an erasure tool's report"


def test_screenshot(
    qtbot: QtBot,
    open_page: Callable[..., DevicePage],
    inspected_iphone: tuple[int, int],
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    """The checklist half answered, as a technician sees it, grabbed offscreen (the committed screenshots are made
    under Xvfb by `make screenshots`)."""
    page = open_page(inspected_iphone[0], eraser=SimulatedEraser())
    view = page.checklist.view
    view.setFocus()
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Return, Qt.Key.Key_Return, Qt.Key.Key_F):
        qtbot.keyClick(view, key)
    qtbot.waitUntil(lambda: not page.busy_answering)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    target = tmp_path / "device-page.png"
    image = page.grab()
    assert not image.isNull()
    assert image.save(str(target))


def test_the_usb_meter_samples_of_the_charging_test_are_plotted(
    qtbot: QtBot, open_page: Callable[..., DevicePage], inspected_iphone: tuple[int, int], staffed: Station
) -> None:
    device_id, inspection = inspected_iphone
    samples = "[[0.0, 5.1, 0.0, 0.0], [0.5, 5.05, 0.92, 4.6], [1.0, 5.02, 1.01, 5.1], [1.5, 5.0, 1.03, 5.2]]"
    with staffed.uow() as uow:
        services.record_reading(
            uow,
            "tech",
            inspection,
            FunctionalResult(
                "charging", TestOutcome.PASS, MeasuredBy.INSTRUMENT, "UM25C", (("meter", "UM25C"), ("samples", samples))
            ),
        )
    page = open_page(device_id)
    checklist = page.checklist
    charging = next(row for row in range(checklist.model.rowCount()) if checklist.model.step(row).test_id == "charging")
    other = next(row for row in range(checklist.model.rowCount()) if checklist.model.step(row).test_id == "wifi")
    checklist.view.setCurrentIndex(checklist.model.index(other, 0))
    assert not checklist.samples.isVisible()
    checklist.view.setCurrentIndex(checklist.model.index(charging, 0))
    assert checklist.samples.isVisible()
    assert checklist.samples.samples == ((0.0, 0.0), (0.5, 0.92), (1.0, 1.01), (1.5, 1.03))
    assert "4 samples, up to 1.03 A" in checklist.samples.toolTip()
    assert not checklist.samples.grab().isNull()


@pytest.mark.parametrize(
    ("person", "saved"),
    [
        pytest.param(TECH, True, id="technician-saves"),
        pytest.param(Person("wendy", "warehouse"), False, id="warehouse-refused"),
    ],
)
def test_the_colour_is_typed_on_the_identity_tab(
    qtbot: QtBot,
    open_page: Callable[..., DevicePage],
    staffed: Station,
    bridge: Bridge,
    inspected_iphone: tuple[int, int],
    person: Person,
    saved: bool,
) -> None:
    device_id, _ = inspected_iphone
    page = open_page(device_id)
    page.user = person
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)  # shortcuts go to the active window
    page.checklist.view.setFocus()  # where the page opens
    qtbot.keyClick(page.checklist.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # Identity
    assert page.tabs.currentWidget() is page.identity
    editor = page.identity.colour_edit
    assert editor is not None
    assert page.identity.colour_button is not None
    assert editor.text() == "Blue"  # what the records say
    assert not page.identity.colour_button.isEnabled()  # nothing to save yet

    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "  Sierra   Blue ")
    assert page.identity.colour_button.isEnabled()
    reply = wait_reply(qtbot, bridge, "colour", lambda: qtbot.keyClick(editor, Qt.Key.Key_Return))

    assert reply.ok is saved
    with staffed.uow() as uow:
        colour = uow.session.execute(sa.select(Device.colour).where(Device.id == device_id)).scalar_one()
        events = [
            json.loads(payload)
            for payload in uow.session.execute(
                sa.select(AuditEvent.payload).where(
                    AuditEvent.action == "device.colour", AuditEvent.subject == f"device:{device_id}"
                )
            ).scalars()
        ]
    if saved:
        qtbot.waitUntil(lambda: page.data is not None and page.data.history.colour == "Sierra Blue")
        assert colour == "Sierra Blue"  # spaces tidied by the service
        assert events == [{"from": "Blue", "to": "Sierra Blue"}]  # in the device's audit history
        assert editor.text() == "Sierra Blue"
        assert page.message.text() == "Colour saved."
        assert not page.identity.colour_button.isEnabled()
    else:
        assert colour == "Blue"
        assert events == []
        assert "wendy" in page.message.text() or "permission" in page.message.text().lower(), page.message.text()
        assert editor.text() == "  Sierra   Blue "  # kept, to be corrected or saved by someone allowed to
        assert page.identity.colour_button.isEnabled()

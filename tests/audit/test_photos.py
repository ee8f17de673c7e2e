"""Photos: copied under their hash into the data directory, refused unless they are images, never changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from audit import services
from audit.errors import InvalidInput, NotFound, PermissionDenied
from audit.models import AuditEvent, ImmutableRecordError, Photo
from audit.services.photos import ImageType, image_type
from audit.unit_of_work import UnitOfWork
from tests.audit.bench_flow import make_users, register

UowFactory = Callable[[], UnitOfWork]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(200))
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(32)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32)


@pytest.fixture
def device(uow_factory: UowFactory) -> int:
    make_users(uow_factory)
    return register(uow_factory)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "camera" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (JPEG, ImageType.JPEG),
        (PNG, ImageType.PNG),
        (HEIC, ImageType.HEIC),
        (WEBP, ImageType.WEBP),
        (b"%PDF-1.7\n", None),
        (b"GIF89a", None),
        (b"", None),
        (b"\x00\x00\x00\x18ftypisom", None),  # an MP4 video, not a photo
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
    ],
    ids=["jpeg", "png", "heic", "webp", "pdf", "gif", "empty", "mp4", "wav"],
)
def test_image_type_by_magic_bytes(head: bytes, expected: ImageType | None) -> None:
    assert image_type(head) is expected


@given(st.binary(max_size=32))
def test_image_type_never_crashes(head: bytes) -> None:
    kind = image_type(head)
    assert kind is None or isinstance(kind, ImageType)


def test_attach_copies_the_file_under_its_hash_and_records_it(
    uow_factory: UowFactory, device: int, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    source = write(tmp_path, "IMG_0001.JPG", JPEG)
    with uow_factory() as uow:
        photo_id = services.attach_photo(uow, "tech", device, source, "back", data_dir)

    sha = hashlib.sha256(JPEG).hexdigest()
    stored = data_dir / "photos" / str(device) / f"{sha}.jpg"
    assert stored.read_bytes() == JPEG
    assert [p.name for p in stored.parent.iterdir()] == [stored.name], "no temporary file may be left behind"
    with uow_factory() as uow:
        row = uow.session.get(Photo, photo_id)
        assert row is not None
        assert (row.device_id, row.view, row.sha256, row.path) == (device, "back", sha, f"photos/{device}/{sha}.jpg")
        assert row.inspection_id is None  # registered, never inspected
        event = uow.session.execute(sa.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
        assert (event.action, event.actor, event.subject) == ("photo.attached", "tech", f"device:{device}")
        assert json.loads(event.payload)["sha256"] == sha
        listed = services.list_photos(uow, device)
    assert [(p.photo_id, p.view, p.taken_by) for p in listed] == [(photo_id, "back", "tech")]


def test_a_photo_belongs_to_the_last_inspection(uow_factory: UowFactory, device: int, tmp_path: Path) -> None:
    with uow_factory() as uow:
        inspection = services.start_inspection(uow, "tech", device, station="bench-1")
    with uow_factory() as uow:
        photo_id = services.attach_photo(uow, "tech", device, write(tmp_path, "a.png", PNG), "defect", tmp_path)
    with uow_factory() as uow:
        row = uow.session.get(Photo, photo_id)
        assert row is not None
        assert row.inspection_id == inspection


def test_the_same_picture_twice_is_recorded_once(uow_factory: UowFactory, device: int, tmp_path: Path) -> None:
    first_copy = write(tmp_path, "a.heic", HEIC)
    second_copy = write(tmp_path, "renamed.HEIC", HEIC)
    with uow_factory() as uow:
        first = services.attach_photo(uow, "tech", device, first_copy, "screen_on", tmp_path / "data")
    with uow_factory() as uow:
        again = services.attach_photo(uow, "tech", device, second_copy, "screen_on", tmp_path / "data")
    with uow_factory() as uow:
        other_view = services.attach_photo(uow, "tech", device, second_copy, "defect", tmp_path / "data")
        count = uow.session.execute(sa.select(sa.func.count()).select_from(Photo)).scalar_one()
    assert again == first
    assert other_view != first
    assert count == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"%PDF-1.7\n" + bytes(64), "is not a photo"),
        ("fake.jpg", b"this is text pretending to be a JPEG", "is not a photo"),
        ("empty.png", b"", "is not a photo"),
    ],
    ids=["pdf", "text-named-jpg", "empty"],
)
def test_a_file_that_is_not_an_image_is_refused(
    uow_factory: UowFactory, device: int, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    data_dir = tmp_path / "data"
    with uow_factory() as uow, pytest.raises(InvalidInput, match=message):
        services.attach_photo(uow, "tech", device, write(tmp_path, name, data), "back", data_dir)
    with uow_factory() as uow:
        assert uow.session.execute(sa.select(sa.func.count()).select_from(Photo)).scalar_one() == 0
    assert not (data_dir / "photos").exists() or not any((data_dir / "photos").rglob("*"))


@pytest.mark.parametrize(
    ("actor", "view", "missing_file", "error", "message"),
    [
        ("tech", "selfie", False, InvalidInput, "not a photo view"),
        ("tech", "back", True, InvalidInput, "no photo file"),
        ("audrey", "back", False, PermissionDenied, "may not"),
        ("nobody", "back", False, PermissionDenied, "unknown or inactive user"),
    ],
    ids=["unknown-view", "missing-file", "auditor", "unknown-user"],
)
def test_refusals(
    uow_factory: UowFactory,
    device: int,
    tmp_path: Path,
    actor: str,
    view: str,
    missing_file: bool,
    error: type[Exception],
    message: str,
) -> None:
    source = tmp_path / "nothing.jpg" if missing_file else write(tmp_path, "a.jpg", JPEG)
    with uow_factory() as uow, pytest.raises(error, match=message):
        services.attach_photo(uow, actor, device, source, view, tmp_path / "data")


def test_an_unknown_device_is_not_found(uow_factory: UowFactory, device: int, tmp_path: Path) -> None:
    with uow_factory() as uow, pytest.raises(NotFound):
        services.attach_photo(uow, "tech", device + 100, write(tmp_path, "a.jpg", JPEG), "back", tmp_path)


def test_photos_are_append_only(uow_factory: UowFactory, device: int, tmp_path: Path) -> None:
    with uow_factory() as uow:
        photo_id = services.attach_photo(uow, "tech", device, write(tmp_path, "a.png", PNG), "back", tmp_path)
    with uow_factory() as uow:
        row = uow.session.get(Photo, photo_id)
        assert row is not None
        row.view = "front"
        with pytest.raises(ImmutableRecordError):
            uow.session.flush()
    with uow_factory() as uow:
        row = uow.session.get(Photo, photo_id)
        uow.session.delete(row)
        with pytest.raises(ImmutableRecordError):
            uow.session.flush()
    with uow_factory() as uow:
        assert services.verify_chain(uow).valid


def test_every_intake_view_and_defect_are_accepted() -> None:
    assert services.photo_views() == (
        "screen_on",
        "screen_off",
        "back",
        "left",
        "right",
        "top",
        "bottom",
        "defect",
    )

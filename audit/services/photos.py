"""Photos of a device: copied into the station's data directory under their SHA-256, recorded, never replaced.

The file is stored before the record is written: a file whose record failed is harmless (the next attach of the same
picture reuses it, its name being its hash), while a record without its file would be a hole in the evidence.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from audit.errors import InvalidInput
from audit.models import Inspection, Photo, User
from audit.roles import Action
from audit.rules.rma import PhotoView
from audit.services._common import load_device, record_event, require_actor
from audit.unit_of_work import UnitOfWork

PHOTO_DIR = "photos"
MAX_BYTES = 64 * 1024 * 1024  # a phone's largest HEIC / JPEG is ~15 MB; anything bigger is not a photo
DEFECT_VIEW = "defect"
_CHUNK = 1024 * 1024


def photo_views() -> tuple[str, ...]:
    """The views a photo may show: the seven intake / RMA views, then a close-up of a defect."""
    return (*(view.value for view in PhotoView), DEFECT_VIEW)


class ImageType(enum.StrEnum):
    JPEG = "jpg"
    PNG = "png"
    HEIC = "heic"
    WEBP = "webp"


_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


def image_type(head: bytes) -> ImageType | None:
    """The image format a file's first bytes announce (its magic number), or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return ImageType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ImageType.PNG
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return ImageType.HEIC
    if len(head) >= 12 and head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return ImageType.WEBP
    return None


def _store(source: Path, data_dir: Path, device_id: int) -> tuple[str, str]:
    """Copy ``source`` under its hash; return (sha256, path relative to ``data_dir``)."""
    try:
        size = source.stat().st_size
        with source.open("rb") as handle:
            head = handle.read(16)
            kind = image_type(head)
            if kind is None:
                raise InvalidInput(f"{source.name} is not a photo (JPEG, PNG, HEIC or WebP): refused")
            if size > MAX_BYTES:
                raise InvalidInput(f"{source.name} is {size // 1_000_000} MB: a photo may be at most 64 MB")
            folder = data_dir / PHOTO_DIR / str(device_id)
            folder.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256(head)
            # Into a temporary file beside the target, then renamed: a crash never leaves a half photo under a hash.
            fd, temp_name = tempfile.mkstemp(dir=folder, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(head)
                    while chunk := handle.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                sha256 = digest.hexdigest()
                target = folder / f"{sha256}.{kind.value}"
                if target.exists():
                    os.unlink(temp_name)
                else:
                    os.replace(temp_name, target)
            except BaseException:
                if os.path.exists(temp_name):
                    os.unlink(temp_name)
                raise
    except OSError as exc:
        raise InvalidInput(f"cannot read the photo {source}: {exc.strerror or exc}") from exc
    return sha256, target.relative_to(data_dir).as_posix()


def attach_photo(
    uow: UnitOfWork, actor: str, device_id: int, source_path: Path | str, view: str, data_dir: Path
) -> int:
    """Attach a photo file to a device (and to its last inspection, if any); returns the photo's id.

    The same picture attached twice to the same device and view is recorded once: its id is returned again.
    """
    # Whoever may register a device at intake (technician, warehouse, admin) may photograph it.
    user = require_actor(uow, actor, Action.REGISTER_DEVICE)
    if view not in photo_views():
        raise InvalidInput(f"{view!r} is not a photo view (views: {', '.join(photo_views())})")
    device = load_device(uow, device_id)
    source = Path(source_path)
    if not source.is_file():
        raise InvalidInput(f"no photo file at {source}")
    sha256, relative = _store(source, Path(data_dir), device.id)
    existing = uow.session.execute(
        sa.select(Photo.id).where(Photo.device_id == device.id, Photo.sha256 == sha256, Photo.view == view)
    ).scalar_one_or_none()
    if existing is not None:
        return int(existing)
    inspection_id = uow.session.execute(
        sa.select(Inspection.id).where(Inspection.device_id == device.id).order_by(Inspection.id.desc()).limit(1)
    ).scalar_one_or_none()
    photo = Photo(
        device_id=device.id,
        inspection_id=inspection_id,
        view=view,
        sha256=sha256,
        path=relative,
        taken_by_id=user.id,
    )
    uow.session.add(photo)
    uow.session.flush()
    record_event(
        uow,
        user.name,
        "photo.attached",
        f"device:{device.id}",
        {"photo": photo.id, "inspection": inspection_id, "view": view, "sha256": sha256, "path": relative},
    )
    uow.commit()
    return int(photo.id)


@dataclasses.dataclass(frozen=True, slots=True)
class PhotoInfo:
    photo_id: int
    view: str
    sha256: str
    path: str  # relative to the data directory
    taken_by: str
    added_at: datetime


def list_photos(uow: UnitOfWork, device_id: int) -> list[PhotoInfo]:
    """A device's photos, oldest first."""
    rows = uow.session.execute(
        sa.select(Photo, User.name)
        .join(User, User.id == Photo.taken_by_id)
        .where(Photo.device_id == device_id)
        .order_by(Photo.id)
    ).all()
    return [PhotoInfo(photo.id, photo.view, photo.sha256, photo.path, name, photo.added_at) for photo, name in rows]

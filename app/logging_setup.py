"""The station's log: a rotating file in the data dir (``logs/station.log``), so that a problem at the bench can be
read afterwards without filling the disk."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE = "station.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_FILE


def configure_logging(data_dir: Path, level: int = logging.INFO) -> logging.Handler:
    """Send the station's records to a rotating file; returns the handler so that the caller can remove it."""
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return handler


def remove_logging(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()

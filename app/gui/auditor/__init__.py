"""The quality auditor's desk: search, history, sign-off, the R2v3 erasure QC sample, the audit chain."""

from app.gui.auditor.desk import AuditorDesk
from app.gui.auditor.search_model import DeviceSearchModel

__all__ = ["AuditorDesk", "DeviceSearchModel"]

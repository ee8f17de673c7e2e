"""Trade-in lots: receive the partner's CSV, scan devices into the active lot, reconcile, export the report."""

from app.gui.lots.page import LotsPage
from app.gui.lots.scanner import ScannerFilter

__all__ = ["LotsPage", "ScannerFilter"]

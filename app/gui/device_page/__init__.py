"""The device page: everything about one device, from identity to label, as tabs (see ``page.py``)."""

from app.gui.device_page.eraser import Eraser, EraseTarget, ErasureRun, SimulatedEraser
from app.gui.device_page.page import DevicePage

__all__ = ["DevicePage", "EraseTarget", "Eraser", "ErasureRun", "SimulatedEraser"]

"""How a device state and a role look on screen: a translated name and, for states, a colour."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from audit.lifecycle import DeviceState

GREEN = "#1b7a3a"
BLUE = "#1f5aa8"
ORANGE = "#a85200"
RED = "#b3261e"
GREY = "#5a5f66"

# White text on each colour meets WCAG AA (>= 4.5:1) for the large state badge.
STATE_COLOURS: dict[DeviceState, str] = {
    DeviceState.CONNECTED: BLUE,
    DeviceState.IDENTIFIED: BLUE,
    DeviceState.INSPECTED: BLUE,
    DeviceState.GRADED: BLUE,
    DeviceState.ERASED: BLUE,
    DeviceState.CERTIFIED: BLUE,
    DeviceState.APPROVED: GREEN,
    DeviceState.LISTED: GREEN,
    DeviceState.REPAIR: ORANGE,
    DeviceState.QUARANTINED: RED,
    DeviceState.PARTS: GREY,
}


def state_colour(state: str) -> str:
    try:
        return STATE_COLOURS[DeviceState(state)]
    except ValueError:
        return GREY


def state_name(state: str) -> str:
    names = {
        "connected": QCoreApplication.translate("DeviceState", "Connected"),
        "identified": QCoreApplication.translate("DeviceState", "Identified"),
        "inspected": QCoreApplication.translate("DeviceState", "Inspected"),
        "graded": QCoreApplication.translate("DeviceState", "Graded"),
        "erased": QCoreApplication.translate("DeviceState", "Erased"),
        "certified": QCoreApplication.translate("DeviceState", "Certified"),
        "approved": QCoreApplication.translate("DeviceState", "Approved"),
        "listed": QCoreApplication.translate("DeviceState", "Listed"),
        "quarantined": QCoreApplication.translate("DeviceState", "Quarantined"),
        "repair": QCoreApplication.translate("DeviceState", "Repair"),
        "parts": QCoreApplication.translate("DeviceState", "Parts"),
    }
    return names.get(state, state)


def role_name(role: str) -> str:
    names = {
        "technician": QCoreApplication.translate("Role", "Technician"),
        "warehouse": QCoreApplication.translate("Role", "Warehouse"),
        "auditor": QCoreApplication.translate("Role", "Auditor"),
        "admin": QCoreApplication.translate("Role", "Administrator"),
    }
    return names.get(role, role)


def family_name(family: str) -> str:
    names = {
        "iphone": "iPhone",
        "ipad": "iPad",
        "android": "Android",
        "laptop": QCoreApplication.translate("Family", "Laptop"),
    }
    return names.get(family, family)

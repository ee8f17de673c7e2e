"""The device page's ``Eraser`` for phones on the bench, through the same drivers the coordinator runs.

iPhones and iPads: MCInstall EraseDevice through the iOS driver (NIST Purge, cryptographic erase). Android phones:
Test Harness Mode where the phone offers it, else the guided reboot to recovery, which needs the technician's word
(``confirm``; without it the driver refuses that path rather than assume it). Errors raised before anything was sent
(no device, a lock still on) propagate: nothing is recorded. Laptops are erased by the
agent running on the laptop (`refurb-station agent erase`), not from the bench.
"""

from __future__ import annotations

from collections.abc import Callable

from app.bench.coordinator import BenchCoordinator
from app.gui.device_page.eraser import EraseTarget, ErasureRun, Progress
from audit.readings import DeviceFamily

IOS_TIMEOUT_S = 15 * 60

_METHODS = {
    DeviceFamily.IPHONE: "Apple erase all content and settings",
    DeviceFamily.IPAD: "Apple erase all content and settings",
    DeviceFamily.ANDROID: "Android Test Harness Mode (factory reset), else reboot to recovery and wipe",
}


class EraserUnavailable(RuntimeError):
    """Nothing was done: the device is not reachable through a driver from this station."""


class DriverEraser:
    def __init__(self, coordinator: BenchCoordinator, confirm: Callable[[str], bool] | None = None) -> None:
        self.coordinator = coordinator
        self.confirm = confirm

    def method(self, target: EraseTarget) -> str:
        return _METHODS.get(target.family, "erased by the agent on the laptop (refurb-station agent erase)")

    def start(self, target: EraseTarget, progress: Progress) -> ErasureRun:
        if not target.hardware_id:
            raise EraserUnavailable(f"{target.label} has no USB identity on record: plug it in at the bench")
        if target.family in (DeviceFamily.IPHONE, DeviceFamily.IPAD):
            ios = self.coordinator.ios
            if ios is None:
                raise EraserUnavailable("the iOS driver is not running on this station")
            progress(5, "Erase sent to the device; it restarts when done")
            outcome = ios.erase(target.hardware_id).result(timeout=IOS_TIMEOUT_S)
        elif target.family is DeviceFamily.ANDROID:
            android = self.coordinator.android
            if android is None:
                raise EraserUnavailable("the Android driver (adb server) is not running on this station")
            progress(5, "Factory reset sent to the phone")
            confirm = self.confirm or (lambda _question: False)
            outcome = android.phone(target.hardware_id).erase(confirm=confirm)
        else:
            raise EraserUnavailable("laptops are erased by the agent on the laptop: refurb-station agent erase")
        progress(100, "Erasure finished" if outcome.succeeded else "Erasure failed")
        return ErasureRun(outcome)

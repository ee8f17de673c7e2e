"""What one tile shows, folded from the bench's events (Qt-free, so the folding is tested without a window)."""

from __future__ import annotations

import dataclasses

from app.bench.actions import ActionCode, NextAction, Tone
from app.bench.events import (
    DeviceEvent,
    DeviceSeen,
    Failed,
    NeedsAction,
    Platform,
    ReadingRecorded,
    StepProgress,
    StepStarted,
    Unplugged,
)
from audit.readings import BatteryReading, DeviceIdentity, LockState, LockStatus


@dataclasses.dataclass
class TileStatus:
    key: str
    session: int
    platform: Platform
    connection: str
    order: int
    bay: str | None = None
    model: str = ""
    detail: str = ""
    soh_percent: float | None = None
    cycle_count: int | None = None
    battery_read: bool = False
    battery_verdict: str = ""
    locks_verdict: str = ""
    locks_on: tuple[str, ...] = ()
    progress: int = 0
    step: str = ""
    action: NextAction = dataclasses.field(default_factory=lambda: NextAction(ActionCode.CONNECTING))
    device_id: int | None = None
    state: str | None = None
    gone: bool = False

    @classmethod
    def seen(cls, event: DeviceSeen) -> TileStatus:
        return cls(event.key, event.session, event.platform, event.connection, event.order, event.bay)

    @property
    def sort_key(self) -> tuple[int, int, str, int]:
        """Numbered bays in numeric order ("2" before "10"), then named bays, then devices in no bay by attach order."""
        bay = self.bay or ""
        rank = 0 if bay.isdigit() else 1 if bay else 2
        return (rank, int(bay) if bay.isdigit() else 0, bay, self.order)

    @property
    def tone(self) -> Tone:
        return self.action.tone

    @property
    def working(self) -> bool:
        return self.action.tone is Tone.WORKING

    def apply(self, event: DeviceEvent) -> bool:
        """Fold one event in; False when it belongs to another session (a late event from a stopped supervisor)."""
        if event.session != self.session:
            return False
        if isinstance(event, StepStarted):
            self.step = event.step.value
            self.progress = round(100 * event.index / max(1, event.total))
            self.action = NextAction(ActionCode.READING, event.step.value)
        elif isinstance(event, StepProgress):
            self.progress = event.percent
        elif isinstance(event, ReadingRecorded):
            self.device_id = event.device_id if event.device_id is not None else self.device_id
            self._reading(event)
        elif isinstance(event, NeedsAction):
            self.action = event.action
            self.device_id = event.device_id if event.device_id is not None else self.device_id
            self.state = event.state or self.state
        elif isinstance(event, Failed):
            self.action = NextAction(ActionCode.FAILED, event.error)
        elif isinstance(event, Unplugged):
            self.gone = True
        return True

    def _reading(self, event: ReadingRecorded) -> None:
        reading = event.reading
        if isinstance(reading, DeviceIdentity):
            self.model = f"{reading.make} {reading.model}".strip() if reading.make != "Apple" else reading.model
            parts = [reading.os_name and f"{reading.os_name} {reading.os_version or ''}".strip()]
            if reading.storage_bytes:
                parts.append(f"{reading.storage_gb} GB")
            parts.append(reading.primary_imei or reading.serial or "")
            self.detail = " · ".join(part for part in parts if part)
        elif isinstance(reading, BatteryReading):
            self.battery_read = True
            self.soh_percent = reading.soh_percent
            self.cycle_count = reading.cycle_count
            self.battery_verdict = event.assessment
        elif isinstance(reading, LockStatus):
            self.locks_verdict = event.assessment
            self.locks_on = tuple(kind.value for kind, check in reading.items() if check.state is LockState.ON)

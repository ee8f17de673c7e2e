"""``bays learn`` as a state machine: the technician plugs one device into each port in order, bay 1 first.

The learner is pure: the CLI (or the GUI) feeds it each reading of the tree with :meth:`BayLearner.observe` and shows
the step it returns. A device arriving on a port not yet learned makes that port the next bay; the same device may
be moved from port to port (unplug, plug into the next). Ports with a device at the start are learned too once
that device is unplugged and a device is plugged there again.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable

from drivers.usb.topology import Bay, BayAddress, BayMap, UsbSighting


class StepKind(enum.StrEnum):
    WAITING = "waiting"  # nothing new: still waiting for the next bay's device
    LEARNED = "learned"  # a port became the next bay
    ALREADY_LEARNED = "already learned"  # a device arrived on a port that is already a bay
    AMBIGUOUS = "ambiguous"  # several devices arrived at once: which one is the next bay?
    DONE = "done"


@dataclasses.dataclass(frozen=True, slots=True)
class LearnStep:
    kind: StepKind
    next_bay: int  # the bay the technician should fill next
    bay: Bay | None = None  # the bay concerned (LEARNED, ALREADY_LEARNED)
    message: str = ""


class BayLearner:
    """Learns ``count`` bays (or as many as the technician plugs before :meth:`finish`)."""

    def __init__(self, count: int | None = None, present: Iterable[UsbSighting] = ()) -> None:
        if count is not None and count < 1:
            raise ValueError("learn at least one bay")
        self._count = count
        self._bays: list[Bay] = []
        self._present: set[tuple[int, int]] = {s.key for s in present}
        self._done = False

    @property
    def next_bay(self) -> int:
        return len(self._bays) + 1

    @property
    def done(self) -> bool:
        return self._done

    @property
    def bays(self) -> tuple[Bay, ...]:
        return tuple(self._bays)

    def prompt(self) -> str:
        if self._done:
            return f"learned {len(self._bays)} bay(s)"
        of = f" of {self._count}" if self._count else ""
        return f"plug a device into the port of bay {self.next_bay}{of}"

    def observe(self, sightings: Iterable[UsbSighting]) -> LearnStep:
        """One reading of the USB tree; returns what happened."""
        if self._done:
            return LearnStep(StepKind.DONE, self.next_bay, message=self.prompt())
        now = {s.key: s for s in sightings}
        arrived = [s for k, s in now.items() if k not in self._present]
        self._present = set(now)
        new_ports = sorted({s.address for s in arrived})
        if not new_ports:
            return LearnStep(StepKind.WAITING, self.next_bay, message=self.prompt())
        if len(new_ports) > 1:
            labels = ", ".join(a.label for a in new_ports)
            return LearnStep(StepKind.AMBIGUOUS, self.next_bay, message=f"devices arrived on several ports at once "
                             f"({labels}): unplug them and plug one device at a time")  # fmt: skip
        return self._learn(new_ports[0])

    def _learn(self, address: BayAddress) -> LearnStep:
        existing = next((b for b in self._bays if b.address == address), None)
        if existing is not None:
            return LearnStep(StepKind.ALREADY_LEARNED, self.next_bay, existing,
                             f"port {address.label} is already {existing.name}; {self.prompt()}")  # fmt: skip
        bay = Bay(self.next_bay, address)
        self._bays.append(bay)
        if self._count is not None and len(self._bays) >= self._count:
            self._done = True
        follow = "" if self._done else f"; unplug it and {self.prompt()}"
        return LearnStep(StepKind.LEARNED, self.next_bay, bay, f"{bay.name} is port {address.label}{follow}")

    def finish(self) -> BayMap:
        """Stop learning; the map of the bays learned so far."""
        self._done = True
        return self.result()

    def result(self) -> BayMap:
        return BayMap(tuple(self._bays))

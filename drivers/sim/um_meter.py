"""A simulated RDTech UM24C / UM25C / UM34C meter on a pty: it answers each ``0xF0`` with one 130-byte record.

The current follows a script (one value per request, the last repeated), so a test can play a phone that charges,
one that stops charging, or one that never does. Faults, on top of :class:`PtySerialDevice`'s ``silent`` and
``garble``: ``stop_after`` (answers that many requests, then never again: a meter that hangs mid-test).
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Sequence

from drivers.peripherals.usb_meter import GROUPS, HEADERS, REQUEST, SCALES, TRAILER, MeterModel
from drivers.sim.serial_pty import PtySerialDevice

_BODY = struct.Struct(">HHIHHH" + "I" * (2 * GROUPS) + "HHHIIHIHHHIH")
_HEADER_OF = {model: header for header, model in HEADERS.items()}


def encode_record(
    model: MeterModel,
    voltage_v: float,
    current_a: float,
    *,
    temperature_c: int = 27,
    group: int = 0,
    mah: int = 0,
    data_plus_v: float = 0.0,
    data_minus_v: float = 0.0,
) -> bytes:
    """The record a real meter sends for these values (power = V x A, as the meter computes it)."""
    volt_scale, amp_scale = SCALES[model]
    volts, amps = round(voltage_v / volt_scale), round(current_a / amp_scale)
    power_mw = round(voltage_v * current_a * 1000)
    counters = [0] * (2 * GROUPS)
    counters[2 * group] = mah
    counters[2 * group + 1] = round(mah * voltage_v)
    resistance = round(voltage_v / current_a * 10) if current_a > 0 else 99999
    body = _BODY.pack(
        volts, amps, power_mw, temperature_c, round(temperature_c * 9 / 5 + 32), group, *counters,
        round(data_plus_v * 100), round(data_minus_v * 100), 1, mah, round(mah * voltage_v), 10, 0, 0, 1, 5,
        resistance, 0,
    )  # fmt: skip
    return _HEADER_OF[model] + body + TRAILER


class SimulatedUmMeter(PtySerialDevice):
    """``currents`` (amperes) are played one per request; ``voltage_v`` is steady."""

    def __init__(
        self,
        model: MeterModel = MeterModel.UM25C,
        *,
        voltage_v: float = 5.08,
        currents: Sequence[float] = (0.0,),
        stop_after: int | None = None,
    ) -> None:
        super().__init__()
        if not currents:
            raise ValueError("the meter needs at least one current to show")
        self.model = model
        self.voltage_v = voltage_v
        self.stop_after = stop_after
        self.answered = 0
        self._currents = list(currents)
        self._lock = threading.Lock()

    def set_currents(self, currents: Sequence[float]) -> None:
        with self._lock:
            self._currents = list(currents)

    def respond(self, data: bytes) -> bytes:
        answer = bytearray()
        for byte in data:
            if bytes([byte]) != REQUEST:
                continue  # the real meter ignores bytes it does not know
            if self.stop_after is not None and self.answered >= self.stop_after:
                break
            with self._lock:
                current = self._currents[min(self.answered, len(self._currents) - 1)]
            answer += encode_record(self.model, self.voltage_v, current, mah=self.answered)
            self.answered += 1
        return bytes(answer)

"""RDTech UM24C / UM25C / UM34C USB power meters, and the charging-port test they measure.

Protocol (as documented by the sigrok project, libsigrok ``src/hardware/rdtech-um``; these meters speak it over their
Bluetooth SPP link, seen as a serial port — ``/dev/rfcomm0``, a virtual COM port — at 9600 baud 8N1): the host sends
the one byte ``0xF0``; the meter answers one fixed 130-byte record, big-endian, framed by a 2-byte model header
(UM24C ``09 63``, UM25C ``09 C9``, UM34C ``0D 4C``) and the trailer ``FF F1``.

Record layout used here (offset: field, unit), every offset and scale checked against the record definition of the
open-source rdserialtool (rdserial/um); voltage, current, power and temperatures are the fields sigrok reads, the rest
is kept for the evidence, not judged on:
  0 header | 2 voltage (UM25C 1 mV, others 10 mV) | 4 current (UM25C 0.1 mA, others 1 mA) | 6 power u32 (1 mW)
  10 temperature °C | 12 temperature °F | 14 selected data group (0-9) | 16 ten groups of (mAh u32, mWh u32)
  96 D+ (10 mV) | 98 D- (10 mV) | 100 charging mode | 102 recorded mAh u32 | 106 recorded mWh u32
  110 recording threshold (10 mA) | 112 recording time u32 (s) | 116 recording on | 118 screen timeout (min)
  120 backlight | 122 load resistance u32 (0.1 ohm) | 126 current screen | 128 trailer ``FF F1``
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import struct
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol, Self

import serial

from audit.readings import FunctionalResult, MeasuredBy, TestOutcome

log = logging.getLogger(__name__)

BAUDRATE = 9600
REQUEST = b"\xf0"
RECORD_LENGTH = 130
TRAILER = b"\xff\xf1"
GROUPS = 10
_LAYOUT = struct.Struct(">2sHHIHHH" + "I" * (2 * GROUPS) + "HHHIIHIHHHIH2s")
assert _LAYOUT.size == RECORD_LENGTH


class MeterModel(enum.StrEnum):
    UM24C = "UM24C"
    UM25C = "UM25C"
    UM34C = "UM34C"


HEADERS: dict[bytes, MeterModel] = {b"\x09\x63": MeterModel.UM24C, b"\x09\xc9": MeterModel.UM25C,
                                    b"\x0d\x4c": MeterModel.UM34C}  # fmt: skip
# (volts per count, amperes per count): the UM25C reads ten times finer
SCALES: dict[MeterModel, tuple[float, float]] = {
    MeterModel.UM24C: (0.01, 0.001),
    MeterModel.UM25C: (0.001, 0.0001),
    MeterModel.UM34C: (0.01, 0.001),
}


class MeterError(Exception):
    """Root of the USB meter's errors: the port and the raw bytes (hex) it concerns."""

    def __init__(self, message: str, *, device: str = "", raw: bytes = b"") -> None:
        super().__init__(message)
        self.device = device
        self.raw = raw.hex(" ")


class MeterUnavailable(MeterError):
    """The meter's serial port cannot be opened."""


class MeterNotAnswering(MeterError):
    """The meter did not send a whole record in time (switched off, out of Bluetooth range, hung)."""


class MeterProtocolError(MeterError):
    """The meter answered with something that is not a record (garbled, wrong length, unknown model)."""


@dataclasses.dataclass(frozen=True, slots=True)
class DataGroup:
    mah: int
    mwh: int


@dataclasses.dataclass(frozen=True, slots=True)
class MeterReading:
    model: MeterModel
    voltage_v: float
    current_a: float
    power_w: float
    temperature_c: int
    temperature_f: int
    group: int
    groups: tuple[DataGroup, ...]
    data_plus_v: float
    data_minus_v: float
    charging_mode: int
    record_mah: int
    record_mwh: int
    record_threshold_a: float
    record_seconds: int
    recording: bool
    screen_timeout_min: int
    backlight: int
    resistance_ohm: float
    screen: int

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["model"] = self.model.value
        return out


def parse_record(data: bytes, *, device: str = "") -> MeterReading:
    """One 130-byte record; anything else is a :class:`MeterProtocolError` carrying the raw bytes."""
    if len(data) != RECORD_LENGTH:
        raise MeterProtocolError(f"meter record of {len(data)} bytes, expected {RECORD_LENGTH}", device=device,
                                 raw=data)  # fmt: skip
    model = HEADERS.get(data[:2])
    if model is None:
        raise MeterProtocolError(f"garbled meter record: unknown header {data[:2].hex(' ')}", device=device, raw=data)
    if data[-2:] != TRAILER:
        raise MeterProtocolError(f"garbled meter record: trailer {data[-2:].hex(' ')}, expected ff f1", device=device,
                                 raw=data)  # fmt: skip
    fields = _LAYOUT.unpack(data)
    (_, volts, amps, power, temp_c, temp_f, group), counters = fields[:7], fields[7 : 7 + 2 * GROUPS]
    (d_plus, d_minus, mode, rec_mah, rec_mwh, threshold, seconds, recording, timeout, backlight, resistance, screen,
     _) = fields[7 + 2 * GROUPS :]  # fmt: skip
    if group >= GROUPS:
        raise MeterProtocolError(f"garbled meter record: data group {group} (0-9)", device=device, raw=data)
    volt_scale, amp_scale = SCALES[model]
    return MeterReading(
        model=model,
        voltage_v=round(volts * volt_scale, 4),
        current_a=round(amps * amp_scale, 4),
        power_w=round(power / 1000, 3),
        temperature_c=temp_c,
        temperature_f=temp_f,
        group=group,
        groups=tuple(DataGroup(counters[2 * i], counters[2 * i + 1]) for i in range(GROUPS)),
        data_plus_v=round(d_plus / 100, 2),
        data_minus_v=round(d_minus / 100, 2),
        charging_mode=mode,
        record_mah=rec_mah,
        record_mwh=rec_mwh,
        record_threshold_a=round(threshold / 100, 2),
        record_seconds=seconds,
        recording=bool(recording),
        screen_timeout_min=timeout,
        backlight=backlight,
        resistance_ohm=round(resistance / 10, 1),
        screen=screen,
    )


class UsbMeter:
    """A UM-series meter on a serial port; context-managed. ``read()`` asks for one record."""

    def __init__(self, port: str, *, timeout: float = 1.0, baudrate: int = BAUDRATE) -> None:
        self.port = port
        self._timeout = timeout
        self._baudrate = baudrate
        self._serial: serial.Serial | None = None
        self.model: MeterModel | None = None

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def open(self) -> None:
        try:
            self._serial = serial.Serial(self.port, self._baudrate, timeout=self._timeout, write_timeout=self._timeout)
        except (serial.SerialException, ValueError) as exc:
            raise MeterUnavailable(f"cannot open the USB meter on {self.port}: {exc}", device=self.port) from exc

    def close(self) -> None:
        if self._serial is not None:
            self._serial.close()
            self._serial = None

    def read(self) -> MeterReading:
        if self._serial is None:
            raise MeterUnavailable(f"the USB meter on {self.port} is not open", device=self.port)
        try:
            self._serial.reset_input_buffer()  # a late answer to an earlier request must not be read as this one
            self._serial.write(REQUEST)
            self._serial.flush()
            data = self._serial.read(RECORD_LENGTH)
        except (serial.SerialException, OSError) as exc:
            raise MeterNotAnswering(f"the USB meter on {self.port} failed: {exc}", device=self.port) from exc
        if len(data) < RECORD_LENGTH:
            raise MeterNotAnswering(
                f"the USB meter on {self.port} did not answer: {len(data)} of {RECORD_LENGTH} bytes in "
                f"{self._timeout:g} s (is it on, and in range?)",
                device=self.port,
                raw=data,
            )
        reading = parse_record(data, device=self.port)
        self.model = reading.model
        return reading


class Meter(Protocol):
    port: str

    def read(self) -> MeterReading: ...


class ChargingVerdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"  # the meter failed: nothing is known about the port


@dataclasses.dataclass(frozen=True, slots=True)
class ChargingSample:
    elapsed_s: float
    voltage_v: float
    current_a: float
    power_w: float


@dataclasses.dataclass(frozen=True, slots=True)
class ChargingPortTest:
    """The charging-port test: its verdict and every sample taken (the evidence, plotted in the report and GUI)."""

    verdict: ChargingVerdict
    threshold_a: float
    hold_s: float
    samples: tuple[ChargingSample, ...]
    note: str
    meter: str = ""  # model and port

    @property
    def passed(self) -> bool:
        return self.verdict is ChargingVerdict.PASS

    def samples_json(self) -> str:
        """Compact evidence: ``[[seconds, volts, amperes, watts], ...]``."""
        rows = [[s.elapsed_s, s.voltage_v, s.current_a, s.power_w] for s in self.samples]
        return json.dumps(rows, separators=(",", ":"))

    def to_functional_result(self, test_id: str = "charging") -> FunctionalResult:
        """A failed meter is not a failed phone: INCONCLUSIVE is recorded SKIPPED (the test still has to pass)."""
        outcome = {
            ChargingVerdict.PASS: TestOutcome.PASS,
            ChargingVerdict.FAIL: TestOutcome.FAIL,
            ChargingVerdict.INCONCLUSIVE: TestOutcome.SKIPPED,
        }[self.verdict]
        evidence = (
            ("meter", self.meter),
            ("threshold_a", f"{self.threshold_a:g}"),
            ("hold_s", f"{self.hold_s:g}"),
            ("samples", self.samples_json()),
        )
        return FunctionalResult(test_id, outcome, MeasuredBy.INSTRUMENT, self.note, evidence)


def run_charging_test(
    meter: Meter,
    *,
    threshold_a: float = 0.3,
    hold_s: float = 3.0,
    timeout_s: float = 20.0,
    interval_s: float = 0.5,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    on_sample: Callable[[ChargingSample], None] | None = None,
) -> ChargingPortTest:
    """Sample while the phone charges; pass once the current has stayed at or above ``threshold_a`` for ``hold_s``.

    Fails when ``timeout_s`` goes by without such a stretch; a meter that stops answering or garbles its answer ends
    the test INCONCLUSIVE with the error as its note, and the samples taken so far kept.
    """
    if threshold_a <= 0 or hold_s < 0 or timeout_s <= 0 or interval_s < 0:
        raise ValueError("the charging test needs a positive threshold and timeout")
    start = clock()
    samples: list[ChargingSample] = []
    above_since: float | None = None
    model = ""

    def done(verdict: ChargingVerdict, note: str) -> ChargingPortTest:
        return ChargingPortTest(verdict, threshold_a, hold_s, tuple(samples), note, f"{model} on {meter.port}".strip())

    while True:
        try:
            reading = meter.read()
        except MeterError as exc:
            log.warning("charging test stopped: %s", exc)
            return done(ChargingVerdict.INCONCLUSIVE, f"meter error after {len(samples)} sample(s): {exc}")
        model = reading.model.value
        sample = ChargingSample(round(clock() - start, 3), reading.voltage_v, reading.current_a, reading.power_w)
        samples.append(sample)
        if on_sample is not None:
            on_sample(sample)
        if sample.current_a >= threshold_a:
            above_since = sample.elapsed_s if above_since is None else above_since
            if sample.elapsed_s - above_since >= hold_s:
                return done(ChargingVerdict.PASS, f"charged at >= {threshold_a:g} A for {hold_s:g} s "
                            f"(min {min(s.current_a for s in samples if s.elapsed_s >= above_since):g} A)")  # fmt: skip
        else:
            above_since = None
        if sample.elapsed_s >= timeout_s:
            peak = max(s.current_a for s in samples)
            return done(ChargingVerdict.FAIL, f"current did not stay at >= {threshold_a:g} A for {hold_s:g} s "
                        f"within {timeout_s:g} s (peak {peak:g} A): check the port and cable")  # fmt: skip
        sleep(interval_s)

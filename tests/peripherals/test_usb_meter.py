"""The UM24C/25C/34C meter: the record parser (table + hypothesis), the real pyserial against the pty simulator,
and the charging-port test including a meter that stops answering mid-test and a garbled record."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.readings import MeasuredBy, TestOutcome
from drivers.peripherals.usb_meter import (
    RECORD_LENGTH,
    ChargingVerdict,
    MeterModel,
    MeterNotAnswering,
    MeterProtocolError,
    MeterUnavailable,
    UsbMeter,
    parse_record,
    run_charging_test,
)
from drivers.sim.um_meter import SimulatedUmMeter, encode_record

TIMEOUT = 0.3  # how long the driver waits for a record; only the silent-meter tests wait it out


class FakeClock:
    """Sampling time without sleeping: ``sleep`` moves the clock on (the serial exchange itself is real)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def meter_pair() -> Iterator[tuple[SimulatedUmMeter, UsbMeter]]:
    with SimulatedUmMeter(MeterModel.UM25C, currents=[0.0]) as sim, UsbMeter(sim.port, timeout=TIMEOUT) as meter:
        yield sim, meter


@pytest.mark.parametrize(
    ("model", "header", "volts", "amps"),
    [
        (MeterModel.UM24C, "09 63", 5.12, 1.234),
        (MeterModel.UM25C, "09 c9", 5.123, 1.2345),
        (MeterModel.UM34C, "0d 4c", 20.01, 3.001),
    ],
    ids=["um24c", "um25c", "um34c"],
)
def test_each_model_record_is_read_at_its_resolution(model: MeterModel, header: str, volts: float, amps: float) -> None:
    record = encode_record(model, volts, amps, temperature_c=31, group=2, mah=1500, data_plus_v=2.7, data_minus_v=2.69)
    assert len(record) == RECORD_LENGTH
    assert record[:2].hex(" ") == header
    assert record[-2:] == b"\xff\xf1"
    reading = parse_record(record)
    assert (reading.model, reading.voltage_v, reading.current_a) == (model, volts, amps)
    assert reading.power_w == round(volts * amps, 3)
    assert (reading.temperature_c, reading.temperature_f) == (31, 88)
    assert reading.groups[2].mah == 1500
    assert reading.group == 2
    assert (reading.data_plus_v, reading.data_minus_v) == (2.7, 2.69)


def test_the_um25c_reads_the_same_counts_ten_times_finer() -> None:
    body = encode_record(MeterModel.UM24C, 5.0, 1.0)[2:]  # 500 counts of 10 mV, 1000 counts of 1 mA
    assert parse_record(b"\x09\x63" + body).voltage_v == 5.0
    assert parse_record(b"\x09\xc9" + body).voltage_v == 0.5
    assert parse_record(b"\x09\xc9" + body).current_a == 0.1


GOOD = encode_record(MeterModel.UM24C, 5.0, 0.5)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "0 bytes"),
        (GOOD[:-1], "129 bytes"),
        (GOOD + b"\x00", "131 bytes"),
        (b"\x12\x34" + GOOD[2:], "unknown header 12 34"),
        (GOOD[:-2] + b"\x80\x68", "trailer 80 68"),
        (bytes(reversed(GOOD)), "unknown header f1 ff"),
        (GOOD[:14] + b"\x00\x0a" + GOOD[16:], "data group 10"),
    ],
    ids=["empty", "short", "long", "header", "trailer", "reversed", "group"],
)
def test_malformed_records_are_clear_errors_with_the_raw_bytes(data: bytes, message: str) -> None:
    with pytest.raises(MeterProtocolError, match=message) as caught:
        parse_record(data, device="/dev/rfcomm0")
    assert caught.value.device == "/dev/rfcomm0"
    assert caught.value.raw == data.hex(" ")


@given(
    st.sampled_from(list(MeterModel)),
    st.integers(0, 65535),
    st.integers(0, 65535),
    st.integers(0, 9),
)
def test_any_encoded_record_parses_back(model: MeterModel, volt_counts: int, amp_counts: int, group: int) -> None:
    volts = volt_counts * (0.001 if model is MeterModel.UM25C else 0.01)
    amps = amp_counts * (0.0001 if model is MeterModel.UM25C else 0.001)
    reading = parse_record(encode_record(model, volts, amps, group=group))
    assert reading.voltage_v == pytest.approx(volts, abs=1e-6)
    assert reading.current_a == pytest.approx(amps, abs=1e-6)
    assert reading.group == group


@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_parser(data: bytes) -> None:
    try:
        reading = parse_record(data)
    except MeterProtocolError:
        return
    assert len(data) == RECORD_LENGTH
    assert reading.group < 10


@pytest.mark.parametrize("model", list(MeterModel), ids=lambda m: m.value)
def test_the_real_pyserial_reads_each_simulated_meter(model: MeterModel) -> None:
    with SimulatedUmMeter(model, voltage_v=5.08, currents=[1.2]) as sim, UsbMeter(sim.port, timeout=TIMEOUT) as meter:
        reading = meter.read()
        assert (reading.model, reading.voltage_v, reading.current_a) == (model, 5.08, 1.2)
        assert meter.model is model
        assert bytes(sim.received) == b"\xf0"  # the one request byte, nothing else


def test_a_charging_phone_passes_once_the_current_held(meter_pair: tuple[SimulatedUmMeter, UsbMeter]) -> None:
    sim, meter = meter_pair
    sim.set_currents([0.05, 0.9, 1.1, 1.0, 0.95, 1.05, 1.0])
    clock = FakeClock()
    result = run_charging_test(meter, threshold_a=0.5, hold_s=2.0, interval_s=0.5, timeout_s=10, clock=clock,
                               sleep=clock.sleep)  # fmt: skip
    assert result.passed
    assert result.verdict is ChargingVerdict.PASS
    assert [s.current_a for s in result.samples] == [0.05, 0.9, 1.1, 1.0, 0.95, 1.05]
    assert [s.elapsed_s for s in result.samples] == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5]
    functional = result.to_functional_result()
    assert (functional.test_id, functional.outcome, functional.measured_by) == (
        "charging",
        TestOutcome.PASS,
        MeasuredBy.INSTRUMENT,
    )
    evidence = dict(functional.evidence)
    assert json.loads(evidence["samples"])[1] == [0.5, 5.08, 0.9, 4.572]
    assert evidence["meter"] == f"UM25C on {sim.port}"


def test_a_dip_restarts_the_hold_and_a_port_that_never_holds_fails(
    meter_pair: tuple[SimulatedUmMeter, UsbMeter],
) -> None:
    sim, meter = meter_pair
    sim.set_currents([0.8, 0.8, 0.1] * 10)  # a loose port: charges a second, drops, again
    clock = FakeClock()
    result = run_charging_test(meter, threshold_a=0.5, hold_s=1.5, interval_s=0.5, timeout_s=6, clock=clock,
                               sleep=clock.sleep)  # fmt: skip
    assert result.verdict is ChargingVerdict.FAIL
    assert "did not stay at >= 0.5 A for 1.5 s within 6 s (peak 0.8 A)" in result.note
    assert len(result.samples) == 13
    assert result.to_functional_result().outcome is TestOutcome.FAIL


def test_a_meter_that_stops_answering_mid_test_ends_it_inconclusive(
    meter_pair: tuple[SimulatedUmMeter, UsbMeter],
) -> None:
    sim, meter = meter_pair
    sim.set_currents([1.0])
    sim.stop_after = 3
    clock = FakeClock()
    result = run_charging_test(meter, threshold_a=0.5, hold_s=5.0, interval_s=0.5, timeout_s=20, clock=clock,
                               sleep=clock.sleep)  # fmt: skip
    assert result.verdict is ChargingVerdict.INCONCLUSIVE
    assert not result.passed
    assert len(result.samples) == 3  # the evidence taken before it stopped is kept
    assert result.note.startswith("meter error after 3 sample(s): the USB meter on")
    assert "did not answer" in result.note
    functional = result.to_functional_result()
    assert functional.outcome is TestOutcome.SKIPPED  # not passed, and not blamed on the phone's port


def test_a_garbled_record_ends_the_test_and_the_meter_reads_again_after(
    meter_pair: tuple[SimulatedUmMeter, UsbMeter],
) -> None:
    sim, meter = meter_pair
    sim.set_currents([1.0])
    sim.garble = True
    clock = FakeClock()
    result = run_charging_test(meter, threshold_a=0.5, hold_s=1, interval_s=0.5, clock=clock, sleep=clock.sleep)
    assert result.verdict is ChargingVerdict.INCONCLUSIVE
    assert "garbled meter record" in result.note
    assert result.samples == ()
    sim.garble = False
    assert meter.read().current_a == 1.0  # nothing left behind in the port


def test_a_silent_meter_does_not_disturb_another_one() -> None:
    with (
        SimulatedUmMeter(MeterModel.UM24C, currents=[0.7]) as silent_sim,
        SimulatedUmMeter(MeterModel.UM34C, currents=[1.5]) as other_sim,
        UsbMeter(silent_sim.port, timeout=TIMEOUT) as silent,
        UsbMeter(other_sim.port, timeout=TIMEOUT) as other,
    ):
        silent_sim.silent = True
        with pytest.raises(MeterNotAnswering, match=r"0 of 130 bytes in 0\.3 s") as caught:
            silent.read()
        assert caught.value.device == silent_sim.port
        assert other.read().current_a == 1.5
        silent_sim.silent = False
        assert silent.read().current_a == 0.7  # it answers again once it wakes up


def test_a_missing_port_is_a_clear_error() -> None:
    with pytest.raises(MeterUnavailable, match="cannot open the USB meter on /nonexistent/rfcomm9"):
        UsbMeter("/nonexistent/rfcomm9").open()


def test_reading_a_closed_meter_is_a_clear_error() -> None:
    with pytest.raises(MeterUnavailable, match="not open"):
        UsbMeter("/dev/null").read()


@pytest.mark.parametrize(
    "options",
    [{"threshold_a": 0}, {"timeout_s": 0}, {"hold_s": -1}],
    ids=["threshold", "timeout", "hold"],
)
def test_nonsense_test_settings_are_refused(options: dict[str, float]) -> None:
    settings = {"threshold_a": 0.5, "hold_s": 1.0, "timeout_s": 5.0} | options
    with pytest.raises(ValueError, match="positive"):
        run_charging_test(
            UsbMeter("/dev/null"),
            threshold_a=settings["threshold_a"],
            hold_s=settings["hold_s"],
            timeout_s=settings["timeout_s"],
        )

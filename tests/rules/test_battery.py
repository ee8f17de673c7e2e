import pytest

from audit.readings import BatteryReading, CapacityUnit, DeviceFamily
from audit.rules.battery import BatteryVerdict, assess_battery, cycle_flag_threshold
from audit.rules.channels import load_channel

PRO = load_channel("backmarket_pro")
PUBLIC = load_channel("backmarket")


def _soh(value: float | None, cycles: int | None = None) -> BatteryReading:
    return BatteryReading(source="test", state_of_health=value, cycle_count=cycles)


@pytest.mark.parametrize(
    ("reading", "verdict"),
    [
        pytest.param(_soh(100.0), BatteryVerdict.SELLABLE, id="new"),
        pytest.param(_soh(85.0), BatteryVerdict.SELLABLE, id="85.0-sellable"),
        pytest.param(_soh(84.9), BatteryVerdict.REPLACE, id="84.9-replace"),
        pytest.param(_soh(80.0), BatteryVerdict.REPLACE, id="80.0-replace"),
        pytest.param(_soh(79.9), BatteryVerdict.WORN, id="79.9-worn"),
        pytest.param(_soh(0.0), BatteryVerdict.WORN, id="dead"),
        pytest.param(_soh(None), BatteryVerdict.UNKNOWN, id="unknown-never-100"),
        pytest.param(_soh(104.0), BatteryVerdict.SELLABLE, id="fresh-cell-above-100"),
        pytest.param(_soh(110.0), BatteryVerdict.SELLABLE, id="110-still-plausible"),
        pytest.param(_soh(110.1), BatteryVerdict.UNKNOWN, id="implausible"),
        pytest.param(
            BatteryReading("test", design_capacity=3000, full_charge_capacity=2550, unit=CapacityUnit.MAH),
            BatteryVerdict.SELLABLE,
            id="capacities-85.0",
        ),
        pytest.param(
            BatteryReading("test", design_capacity=3000, full_charge_capacity=2547, unit=CapacityUnit.MAH),
            BatteryVerdict.REPLACE,
            id="capacities-84.9",
        ),
        pytest.param(
            BatteryReading("test", design_capacity=50.0, full_charge_capacity=39.95, unit=CapacityUnit.WH),
            BatteryVerdict.WORN,
            id="capacities-79.9",
        ),
        pytest.param(
            BatteryReading("test", design_capacity=0, full_charge_capacity=2000, unit=CapacityUnit.MAH),
            BatteryVerdict.UNKNOWN,
            id="zero-design-capacity",
        ),
        pytest.param(
            BatteryReading("test", design_capacity=3000, full_charge_capacity=3600, unit=CapacityUnit.MAH),
            BatteryVerdict.UNKNOWN,
            id="capacities-implausible",
        ),
    ],
)
def test_soh_boundaries_on_back_market_pro(reading: BatteryReading, verdict: BatteryVerdict) -> None:
    assessment = assess_battery(reading, DeviceFamily.IPHONE, PRO)
    assert assessment.verdict is verdict
    assert assessment.soh_percent == reading.soh_percent
    assert assessment.reasons


@pytest.mark.parametrize(
    ("soh", "verdict"),
    [
        pytest.param(84.9, BatteryVerdict.SELLABLE, id="84.9-sellable"),
        pytest.param(80.0, BatteryVerdict.SELLABLE, id="80.0-sellable"),
        pytest.param(79.9, BatteryVerdict.WORN, id="79.9-worn"),
    ],
)
def test_public_back_market_sells_from_80(soh: float, verdict: BatteryVerdict) -> None:
    assert assess_battery(_soh(soh), DeviceFamily.ANDROID, PUBLIC).verdict is verdict


def test_unknown_soh_says_so() -> None:
    assessment = assess_battery(_soh(None), DeviceFamily.IPHONE, PRO)
    assert assessment.soh_percent is None
    assert "unknown" in assessment.reasons[0]


def test_implausible_soh_is_kept_and_explained() -> None:
    assessment = assess_battery(_soh(187.0), DeviceFamily.LAPTOP, PRO)
    assert assessment.soh_percent == 187.0
    assert "implausible" in assessment.reasons[0]


@pytest.mark.parametrize(
    ("family", "cycles", "flagged"),
    [
        pytest.param(DeviceFamily.IPHONE, 499, False, id="iphone-499"),
        pytest.param(DeviceFamily.IPHONE, 500, True, id="iphone-500"),
        pytest.param(DeviceFamily.ANDROID, 499, False, id="android-499"),
        pytest.param(DeviceFamily.ANDROID, 500, True, id="android-500"),
        pytest.param(DeviceFamily.IPAD, 500, True, id="ipad-500"),
        pytest.param(DeviceFamily.LAPTOP, 500, False, id="laptop-500"),
        pytest.param(DeviceFamily.LAPTOP, 999, False, id="laptop-999"),
        pytest.param(DeviceFamily.LAPTOP, 1000, True, id="laptop-1000"),
        pytest.param(DeviceFamily.IPHONE, None, None, id="unknown-count"),
    ],
)
def test_cycle_flags(family: DeviceFamily, cycles: int | None, flagged: bool | None) -> None:
    assessment = assess_battery(_soh(95.0, cycles), family, PRO)
    assert assessment.cycle_flagged is flagged
    # A high count warns; it never changes the verdict on its own.
    assert assessment.verdict is BatteryVerdict.SELLABLE
    assert any("cycle" in reason for reason in assessment.reasons) is (flagged is not False)


@pytest.mark.parametrize(
    ("rated", "cycles", "flagged"),
    [
        pytest.param(300, 299, False, id="rated-300-at-299"),
        pytest.param(300, 300, True, id="rated-300-at-300"),
        pytest.param(None, 999, False, id="default-rating"),
    ],
)
def test_laptop_maker_rating_beats_the_default(rated: int | None, cycles: int, flagged: bool) -> None:
    assessment = assess_battery(_soh(90.0, cycles), DeviceFamily.LAPTOP, PRO, rated_cycles=rated)
    assert assessment.cycle_flagged is flagged


def test_maker_rating_only_applies_to_laptops() -> None:
    assert cycle_flag_threshold(DeviceFamily.IPHONE, PRO, rated_cycles=1000) == 500

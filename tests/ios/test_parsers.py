"""The pure parsers: lockdown values -> DeviceIdentity, IORegistry -> BatteryReading, lock values -> LockStatus."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.readings import CapacityUnit, DeviceFamily, LockState
from drivers.ios.errors import BadAnswer
from drivers.ios.models import load_catalogue
from drivers.ios.parsers import (
    FMIP_LIMITATION,
    battery_from_registry,
    identity_from_values,
    locks_from_values,
    normalize_imei,
)

VALID_IMEI = "356938035643809"
VALUES: dict[str, Any] = {
    "ProductType": "iPhone14,5",
    "DeviceClass": "iPhone",
    "SerialNumber": "F2LXK0ABCDEF",
    "UniqueDeviceID": "00008110-001A2B3C4D5E6F70",
    "ModelNumber": "MLPF3",
    "RegionInfo": "ZD/A",
    "ProductVersion": "17.5.1",
    "InternationalMobileEquipmentIdentity": VALID_IMEI,
}


@pytest.mark.parametrize(
    ("product_type", "name", "family"),
    [
        ("iPhone10,1", "iPhone 8", DeviceFamily.IPHONE),
        ("iPhone10,6", "iPhone X", DeviceFamily.IPHONE),
        ("iPhone12,8", "iPhone SE (2nd gen)", DeviceFamily.IPHONE),
        ("iPhone14,5", "iPhone 13", DeviceFamily.IPHONE),
        ("iPhone15,2", "iPhone 14 Pro", DeviceFamily.IPHONE),
        ("iPhone16,2", "iPhone 15 Pro Max", DeviceFamily.IPHONE),
        ("iPhone17,3", "iPhone 16", DeviceFamily.IPHONE),
        ("iPhone17,5", "iPhone 16e", DeviceFamily.IPHONE),
        ("iPhone18,3", "iPhone 17", DeviceFamily.IPHONE),
        ("iPad13,18", "iPad (10th gen)", DeviceFamily.IPAD),
        ("iPad14,1", "iPad mini (6th gen)", DeviceFamily.IPAD),
    ],
    ids=lambda value: str(value),
)
def test_catalogue_names_the_models(product_type: str, name: str, family: DeviceFamily) -> None:
    model = load_catalogue().lookup(product_type)
    assert model is not None
    assert (model.name, model.family) == (name, family)


@pytest.mark.parametrize(
    ("disk", "expected"),
    [
        (127_989_493_760, 128_000_000_000),
        (63_966_400_512, 64_000_000_000),
        (511_731_695_616, 512_000_000_000),
        (1_000_204_886_016, 1_024_000_000_000),
        (3_000_000_000_000, 3_000_000_000_000),  # not near a marketing size: kept, never rounded to a made-up one
        (0, None),
        (-5, None),
        ("128", None),
        (True, None),
    ],
    ids=["128", "64", "512", "1TB", "odd", "zero", "negative", "text", "bool"],
)
def test_marketing_storage(disk: object, expected: int | None) -> None:
    assert load_catalogue().marketing_storage_bytes(disk) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (VALID_IMEI, VALID_IMEI),
        ("35 693803 564380 9", VALID_IMEI),
        ("356938035643808", None),  # Luhn fails
        ("35693803564380", None),
        ("", None),
        (356938035643809, None),
    ],
    ids=["plain", "spaced", "luhn", "short", "empty", "number"],
)
def test_normalize_imei(raw: object, expected: str | None) -> None:
    assert normalize_imei(raw) == expected


def test_identity_from_full_values() -> None:
    identity = identity_from_values(VALUES, disk_usage={"TotalDiskCapacity": 127_989_493_760})
    assert identity.family is DeviceFamily.IPHONE
    assert (identity.make, identity.model, identity.model_number) == ("Apple", "iPhone 13", "MLPF3ZD/A")
    assert identity.serial == "F2LXK0ABCDEF"
    assert identity.imeis == (VALID_IMEI,)
    assert (identity.os_name, identity.os_version) == ("iOS", "17.5.1")
    assert identity.storage_gb == 128
    assert identity.hardware_id == "00008110-001A2B3C4D5E6F70"
    assert identity.colour is None  # the device did not report DeviceEnclosureColor: unknown, not guessed


@pytest.mark.parametrize(
    ("product_type", "code", "colour"),
    [
        ("iPhone14,5", "1", "Midnight"),
        ("iPhone14,5", "9", "Blue"),
        ("iPhone14,5", 18, "Green"),  # a number rather than text: the same code
        ("iPhone13,3", "9", "Pacific Blue"),  # the same code names another colour on another model
        ("iPhone9,3", "5", "Jet Black"),
        ("iPhone10,1", "8", "Space Gray"),
        ("iPhone16,1", "5", "Natural Titanium"),
        ("iPhone8,1", "#E4C1B9", "Rose Gold"),  # hex codes before iPhone 7, any case
        ("iPad13,18", "1", "Silver"),
        ("iPhone14,5", "42", None),  # a code nobody recorded for this model
        ("iPhone14,5", "", None),
        ("iPhone14,5", True, None),
        ("iPhone14,5", None, None),
        ("iPhone19,4", "1", None),  # a model with no recorded colours
        ("iPhone99,1", "1", None),  # a model not in the catalogue
    ],
    ids=lambda value: str(value),
)
def test_colour_from_the_enclosure_code(product_type: str, code: object, colour: str | None) -> None:
    values = {**VALUES, "ProductType": product_type, "DeviceColor": "1", "DeviceEnclosureColor": code}
    values = {key: value for key, value in values.items() if value is not None}
    assert identity_from_values(values).colour == colour


def test_colour_table_is_well_formed() -> None:
    catalogue = load_catalogue()
    coloured = [model for model in catalogue.models.values() if model.colours]
    assert len(coloured) >= 90  # iPhone 6s to iPhone 17 and most iPads
    for model in coloured:
        codes = [code for code, _ in model.colours]
        assert len(codes) == len(set(codes)), model.product_type
        for code, name in model.colours:
            assert code, model.product_type
            assert code == code.strip().lower(), model.product_type
            assert name, model.product_type
            assert name == name.strip(), model.product_type
            assert code.isdigit() or (code.startswith("#") and len(code) == 7), (model.product_type, code)


@given(st.one_of(st.text(max_size=12), st.integers(), st.none(), st.booleans(), st.binary(max_size=8)))
def test_colour_never_crashes_or_invents(code: object) -> None:
    model = load_catalogue().lookup("iPhone14,5")
    assert model is not None
    colour = model.colour(code)
    assert colour is None or colour in dict(model.colours).values()


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"ProductType": "iPhone99,1"}, lambda i: i.model == "iPhone99,1" and i.family is DeviceFamily.IPHONE),
        ({"ProductType": "iPad13,18", "DeviceClass": "iPad"}, lambda i: i.os_name == "iPadOS"),
        ({"InternationalMobileEquipmentIdentity": "123"}, lambda i: i.imeis == ()),
        ({"InternationalMobileEquipmentIdentity2": VALID_IMEI}, lambda i: i.imeis == (VALID_IMEI,)),
        ({"RegionInfo": None}, lambda i: i.model_number == "MLPF3"),
        ({"ProductVersion": 17}, lambda i: i.os_version is None),
    ],
    ids=["unknown-type", "ipad", "bad-imei-dropped", "dual-same-imei", "no-region", "bad-version"],
)
def test_identity_variants(changes: dict[str, Any], check: Any) -> None:
    values = {**VALUES, **changes}
    values = {key: value for key, value in values.items() if value is not None}
    assert check(identity_from_values(values))


@pytest.mark.parametrize(
    "values",
    [
        "garbage",
        {"ProductType": "AppleTV6,2", "DeviceClass": "AppleTV", "SerialNumber": "X"},
        {"ProductType": "iPhone14,5"},  # no serial, no IMEI
    ],
    ids=["not-a-dict", "not-a-phone", "no-serial-or-imei"],
)
def test_identity_refuses_what_identifies_nothing(values: object) -> None:
    with pytest.raises(BadAnswer):
        identity_from_values(values)


@pytest.mark.parametrize(
    ("registry", "design", "full", "cycles", "soh"),
    [
        (
            {"DesignCapacity": 3227, "NominalChargeCapacity": 2905, "AppleRawMaxCapacity": 2990, "CycleCount": 412},
            3227.0,
            2905.0,
            412,
            90.0,
        ),
        ({"DesignCapacity": 1960, "AppleRawMaxCapacity": 1650, "CycleCount": 845}, 1960.0, 1650.0, 845, 84.2),
        (
            {"BatteryData": {"DesignCapacity": 3000, "CycleCount": 7}, "NominalChargeCapacity": 2700},
            3000.0,
            2700.0,
            7,
            90.0,
        ),
        ({"MaxCapacity": 100, "CurrentCapacity": 80}, None, None, None, None),
        ({"DesignCapacity": True, "NominalChargeCapacity": "2900", "CycleCount": -1}, None, None, None, None),
        ({"DesignCapacity": 0, "NominalChargeCapacity": 2900}, None, 2900.0, None, None),
    ],
    ids=["modern", "armpmu-charger", "battery-data", "percent-only", "wrong-types", "zero-design"],
)
def test_battery_from_registry(
    registry: dict[str, Any], design: float | None, full: float | None, cycles: int | None, soh: float | None
) -> None:
    reading = battery_from_registry(registry, "IORegistry test")
    assert reading is not None
    assert (reading.design_capacity, reading.full_charge_capacity, reading.cycle_count) == (design, full, cycles)
    assert reading.soh_percent == soh
    assert reading.unit == (CapacityUnit.MAH if design or full else None)
    assert reading.state_of_health is None  # the registry states no health figure: it is derived, never assumed
    assert ("MaxCapacity", "100") in reading.raw or "MaxCapacity" not in registry


@pytest.mark.parametrize("registry", [None, {}, [], "text"], ids=["none", "empty", "list", "text"])
def test_no_battery_registry(registry: object) -> None:
    assert battery_from_registry(registry, "x") is None


_plist_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(max_size=8), st.binary(max_size=8)
)
_keys = st.sampled_from(
    ["DesignCapacity", "NominalChargeCapacity", "AppleRawMaxCapacity", "CycleCount", "MaxCapacity", "BatteryData", "X"]
)


@given(st.dictionaries(_keys, st.one_of(_plist_scalars, st.dictionaries(_keys, _plist_scalars, max_size=4))))
def test_battery_parser_never_invents_health(registry: dict[str, Any]) -> None:
    reading = battery_from_registry(registry, "fuzz")
    if reading is None:
        assert not registry
        return
    soh = reading.soh_percent
    if soh is not None:
        assert reading.design_capacity
        assert reading.full_charge_capacity is not None
    assert reading.cycle_count is None or reading.cycle_count >= 0


@given(st.dictionaries(st.sampled_from([*sorted(VALUES), "DeviceEnclosureColor"]), _plist_scalars))
def test_identity_parser_answers_or_refuses(values: dict[str, Any]) -> None:
    try:
        identity = identity_from_values(values)
    except BadAnswer:
        return
    assert identity.serial or identity.imeis


@pytest.mark.parametrize(
    ("activation", "fmip", "state", "evidence"),
    [
        ("Activated", True, LockState.ON, "IsAssociated = true"),
        ("Unactivated", True, LockState.ON, "IsAssociated = true"),
        ("Activated", False, LockState.OFF, "on an activated device"),
        ("Unactivated", False, LockState.UNKNOWN, FMIP_LIMITATION),
        (None, False, LockState.UNKNOWN, "ActivationState = unknown"),
        ("Activated", None, LockState.UNKNOWN, "did not report"),
        ("Activated", "yes", LockState.UNKNOWN, "unexpected value"),
    ],
    ids=["on", "on-setup-assistant", "off", "setup-assistant-false", "no-activation-state", "missing", "garbage"],
)
def test_icloud_verdicts(activation: str | None, fmip: object, state: LockState, evidence: str) -> None:
    locks = locks_from_values(activation_state=activation, fmip_associated=fmip, chaperone={}, cloud_configuration={})
    assert locks.icloud.state is state
    assert evidence in locks.icloud.evidence
    if state is LockState.UNKNOWN:
        assert locks.icloud.evidence.startswith("check required")
    assert locks.google_frp.state is LockState.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("chaperone", "cloud", "state"),
    [
        ({"DeviceIsChaperoned": True}, {}, LockState.ON),
        ({"DeviceIsChaperoned": False}, {"IsMDMUnremovable": True, "OrganizationName": "ACME"}, LockState.ON),
        ({"DeviceIsChaperoned": False}, {"ConfigurationURL": "https://mdm.example/enroll"}, LockState.ON),
        ({"DeviceIsChaperoned": False}, {}, LockState.OFF),
        ({"DeviceIsChaperoned": False}, None, LockState.UNKNOWN),
        (None, {}, LockState.UNKNOWN),
    ],
    ids=["supervised", "unremovable-mdm", "enrolment-url", "clear", "cloud-unread", "chaperone-unread"],
)
def test_mdm_verdicts(chaperone: object, cloud: object, state: LockState) -> None:
    locks = locks_from_values(
        activation_state="Activated", fmip_associated=False, chaperone=chaperone, cloud_configuration=cloud
    )
    assert locks.mdm.state is state

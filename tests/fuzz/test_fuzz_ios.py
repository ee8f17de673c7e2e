"""Bad-input sweep of the iOS parsers: lockdown values, IORegistry battery entries, fmip / chaperone / MCInstall.

Property: a reading with unknowns, or :class:`IosError` (BadAnswer) for values that cannot identify a device; never
another exception, never a battery health the registry does not give.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from audit.readings import DeviceIdentity, LockState
from drivers.ios.errors import IosError
from drivers.ios.parsers import battery_from_registry, identity_from_values, locks_from_values, normalize_imei
from drivers.sim.ios_device import SimIphone, modern_battery, old_battery, sparse_battery
from tests.fuzz._support import fuzz_settings, mutated_structure, odd_values, run_parser

FUZZ = fuzz_settings(80)
DEVICES = [SimIphone.make(index) for index in range(8)]
VALUES = [device.all_values() for device in DEVICES]
DISK_USAGE = [device.domain("com.apple.disk_usage") for device in DEVICES]
REGISTRIES = [modern_battery(), old_battery(), sparse_battery()]
_CAPACITY_KEYS = ("DesignCapacity", "NominalChargeCapacity", "AppleRawMaxCapacity")
_SUPERSCRIPT_IMEI = "³⁵⁶⁷⁸⁹⁰¹²³⁴⁵⁶⁷⁵"  # str.isdigit() says yes, int() says no


def _deep(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"DesignCapacity": 3000}
    for _ in range(depth):
        node = {"BatteryData": node}
    return node


def lockdown_values() -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(VALUES).flatmap(mutated_structure), odd_values)


@FUZZ
@given(
    values=lockdown_values(), disk_usage=st.one_of(st.sampled_from(DISK_USAGE).flatmap(mutated_structure), odd_values)
)
@example(values={**VALUES[0], "InternationalMobileEquipmentIdentity": _SUPERSCRIPT_IMEI}, disk_usage=None)
@example(values={**VALUES[0], "ProductType": ["iPhone14,5"]}, disk_usage={"TotalDiskCapacity": 10**400})
def test_identity(values: Any, disk_usage: Any) -> None:
    identity, _ = run_parser(lambda: identity_from_values(values, disk_usage=disk_usage), (IosError,))
    if identity is not None:
        assert isinstance(identity, DeviceIdentity)
        assert all(len(imei) == 15 and imei.isascii() and imei.isdigit() for imei in identity.imeis)
        assert identity.storage_bytes is None or identity.storage_bytes > 0


@FUZZ
@given(st.one_of(st.sampled_from(REGISTRIES).flatmap(mutated_structure), odd_values))
@example({"MaxCapacity": 100, "CurrentCapacity": 100})
@example({"DesignCapacity": 10**400, "NominalChargeCapacity": 10**400})
def test_battery_registry(registry: Any) -> None:
    _check_registry(registry)


# Too deep or too big for hypothesis to print as an @example: plain regression cases.
@pytest.mark.parametrize(
    "registry",
    [_deep(5000), {"DesignCapacity": 3000, "Serial": 10**5000}, {"DesignCapacity": 10**5000}],
    ids=["nested-5000-deep", "5000-digit-value", "5000-digit-capacity"],
)
def test_battery_registry_regressions(registry: dict[str, Any]) -> None:
    _check_registry(registry)


def _check_registry(registry: Any) -> None:
    reading, _ = run_parser(lambda: battery_from_registry(registry, "IOPMPowerSource"), ())
    if reading is None:
        return
    assert reading.state_of_health is None  # iOS states no health figure of its own here
    soh = reading.soh_percent
    assert soh is None or math.isfinite(soh)
    data = registry.get("BatteryData")
    has_design = "DesignCapacity" in registry or (isinstance(data, dict) and "DesignCapacity" in data)
    has_full = "NominalChargeCapacity" in registry or "AppleRawMaxCapacity" in registry
    if not (has_design and has_full):
        assert soh is None, reading


@FUZZ
@given(
    activation_state=st.one_of(st.sampled_from(["Activated", "Unactivated", "FactoryActivated"]), odd_values),
    fmip=st.one_of(st.none(), st.booleans(), odd_values),
    chaperone=st.one_of(st.sampled_from([{"DeviceIsChaperoned": True}, {"DeviceIsChaperoned": False}]), odd_values),
    cloud=st.one_of(st.just({}), st.just({"IsSupervised": True, "OrganizationName": "ACME"}), odd_values),
)
@example(activation_state="Activated", fmip=1, chaperone=None, cloud=None)
def test_locks(activation_state: Any, fmip: Any, chaperone: Any, cloud: Any) -> None:
    status, _ = run_parser(
        lambda: locks_from_values(
            activation_state=activation_state, fmip_associated=fmip, chaperone=chaperone, cloud_configuration=cloud
        ),
        (),
    )
    # Only a real boolean decides: 1, "true" or a list are not "Find My is on/off".
    if fmip is not True and fmip is not False:
        assert status.icloud.state is LockState.UNKNOWN
    if status.icloud.state is LockState.OFF:
        assert fmip is False
        assert activation_state == "Activated"


@FUZZ
@given(st.one_of(odd_values, st.text(alphabet="0123456789 -٣¹", max_size=20)))
@example(_SUPERSCRIPT_IMEI)
def test_normalize_imei(value: Any) -> None:
    imei, _ = run_parser(lambda: normalize_imei(value), ())
    assert imei is None or (len(imei) == 15 and imei.isascii() and imei.isdigit())

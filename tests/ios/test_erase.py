"""Erase through MCInstall or Mobilebackup2 (BackupAgent2 over DeviceLink), with the real pymobiledevice3 client.

The outcome's tool string records which route carried the command; only a refusal moves on to the next route.
"""

from __future__ import annotations

import pytest

from audit.readings import ErasureStatus, NistLevel, VerificationResult
from drivers.ios.erase import EraseRoute
from drivers.sim.ios import Fault, FaultKind, SimIphone
from drivers.sim.ios_lockdown import MB_ERROR_FIND_MY, MB_ERROR_FIND_MY_TEXT
from tests.ios.conftest import BenchFactory, SimFactory

WAIT = 20.0  # an upper bound for something that should happen, never a measured figure
MC, MB2 = EraseRoute.MCINSTALL, EraseRoute.MOBILEBACKUP2


@pytest.mark.parametrize(
    ("overrides", "routes", "tool"),
    [
        ({}, (MC, MB2), "pymobiledevice3 (MCInstall EraseDevice)"),
        (
            {"mcinstall_erase": False},
            (MC, MB2),
            "pymobiledevice3 (MCInstall EraseDevice, then Mobilebackup2 EraseDevice)",
        ),
        ({}, (MB2,), "pymobiledevice3 (Mobilebackup2 EraseDevice)"),
        ({"screen_locked": True}, (MB2,), "pymobiledevice3 (Mobilebackup2 EraseDevice)"),  # the escrow bag opens it
    ],
    ids=["mcinstall", "mcinstall-refused-then-mobilebackup2", "mobilebackup2", "mobilebackup2-while-locked"],
)
def test_erase_routes(
    make_sim: SimFactory,
    make_bench: BenchFactory,
    overrides: dict[str, object],
    routes: tuple[EraseRoute, ...],
    tool: str,
) -> None:
    device = SimIphone.make(0, **overrides)
    make_sim(device)
    outcome = make_bench().erase(device.udid, routes).result(WAIT)
    assert outcome.tool == tool
    assert outcome.status is ErasureStatus.ERASED
    assert outcome.verification_result is VerificationResult.PASSED
    assert outcome.method == "Apple erase all content and settings"
    assert outcome.nist_level is NistLevel.PURGE
    assert outcome.errors == ()
    assert device.erased == 1
    assert device.activation_state == "Unactivated"
    assert not device.trusted_hosts


def test_find_my_on_refuses_the_mobilebackup2_erase(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    device = SimIphone.make(1, fmip_associated=True)
    sim = make_sim(device)
    bench = make_bench()
    outcome = bench.erase(device.udid, (MB2,)).result(WAIT)
    assert outcome.status is ErasureStatus.FAILED
    assert outcome.verification_result is VerificationResult.NOT_VERIFIED
    assert outcome.tool == "pymobiledevice3 (Mobilebackup2 EraseDevice)"
    (error,) = outcome.errors
    assert str(MB_ERROR_FIND_MY) in error
    assert MB_ERROR_FIND_MY_TEXT in error
    assert device.erased == 0
    assert device.udid in sim.attached()
    assert bench.inspect(device.udid).result(WAIT).complete  # still paired, still readable: nothing happened


def test_every_route_refused(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    device = SimIphone.make(2, fmip_associated=True, mcinstall_erase=False)
    make_sim(device)
    outcome = make_bench().erase(device.udid).result(WAIT)
    assert outcome.status is ErasureStatus.FAILED
    assert outcome.tool == "pymobiledevice3 (MCInstall EraseDevice, then Mobilebackup2 EraseDevice)"
    mcinstall, backup = outcome.errors
    assert mcinstall.startswith("MCInstall EraseDevice:")
    assert backup.startswith("Mobilebackup2 EraseDevice:")
    assert MB_ERROR_FIND_MY_TEXT in backup
    assert device.erased == 0


def test_an_unanswered_erase_is_not_sent_again_another_way(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    """No answer may mean the device started erasing: the next route is only for an explicit refusal."""
    device = SimIphone.make(3, faults=[Fault("EraseDevice", FaultKind.SILENT)])
    make_sim(device)
    outcome = make_bench(step_timeout=0.5).erase(device.udid, (MB2, MC)).result(WAIT)
    assert outcome.status is ErasureStatus.FAILED
    assert outcome.tool == "pymobiledevice3 (Mobilebackup2 EraseDevice)"
    assert "did not answer" in outcome.errors[0]
    assert device.erased == 0


def test_garbage_in_the_device_link_is_a_failed_erase(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    device = SimIphone.make(4, faults=[Fault("Hello", FaultKind.GARBAGE)])
    make_sim(device)
    outcome = make_bench(step_timeout=1.0).erase(device.udid, (MB2,)).result(WAIT)
    assert outcome.status is ErasureStatus.FAILED
    (error,) = outcome.errors
    assert "not a valid plist" in error
    assert device.erased == 0


def test_no_route_is_refused_outright(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    device = SimIphone.make(5)
    make_sim(device)
    with pytest.raises(ValueError, match="no erase route"):
        make_bench().erase(device.udid, ()).result(WAIT)

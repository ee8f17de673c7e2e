import dataclasses
from typing import Any

import pytest

from audit.readings import DeviceFamily, LockCheck, LockKind, LockState, LockStatus
from audit.rules.locks import LockVerdict, assess_locks, relevant_locks

OFF = LockCheck(LockState.OFF, "read from device")
ON = LockCheck(LockState.ON, "activation lock on")
UNKNOWN = LockCheck(LockState.UNKNOWN, "")
NA = LockCheck(LockState.NOT_APPLICABLE, "")


def _status(default: LockCheck, **overrides: Any) -> LockStatus:
    status = LockStatus("test", icloud=default, google_frp=default, samsung=default, mdm=default)
    return dataclasses.replace(status, **overrides)


_FAMILY_KINDS = [
    (DeviceFamily.IPHONE, LockKind.ICLOUD),
    (DeviceFamily.IPHONE, LockKind.MDM),
    (DeviceFamily.IPAD, LockKind.ICLOUD),
    (DeviceFamily.IPAD, LockKind.MDM),
    (DeviceFamily.ANDROID, LockKind.GOOGLE_FRP),
    (DeviceFamily.ANDROID, LockKind.SAMSUNG),
    (DeviceFamily.ANDROID, LockKind.MDM),
    (DeviceFamily.LAPTOP, LockKind.ICLOUD),
    (DeviceFamily.LAPTOP, LockKind.MDM),
]
_IDS = [f"{family}-{kind}" for family, kind in _FAMILY_KINDS]


@pytest.mark.parametrize(("family", "kind"), _FAMILY_KINDS, ids=_IDS)
def test_a_lock_on_locks_the_device(family: DeviceFamily, kind: LockKind) -> None:
    assessment = assess_locks(_status(NA, **{kind.value: ON}), family)
    assert assessment.verdict is LockVerdict.LOCKED
    assert assessment.blocking == (kind,)
    assert "on" in assessment.reasons[0]
    assert "activation lock on" in assessment.reasons[0]  # evidence is kept


@pytest.mark.parametrize(("family", "kind"), _FAMILY_KINDS, ids=_IDS)
def test_a_relevant_lock_left_unknown_needs_a_check(family: DeviceFamily, kind: LockKind) -> None:
    assessment = assess_locks(_status(OFF, **{kind.value: UNKNOWN}), family)
    assert assessment.verdict is LockVerdict.UNKNOWN
    assert assessment.unchecked == (kind,)
    assert assessment.blocking == ()
    assert "check required" in assessment.reasons[0]


@pytest.mark.parametrize("family", list(DeviceFamily), ids=str)
def test_off_and_not_applicable_are_clear(family: DeviceFamily) -> None:
    for default in (OFF, NA):
        assessment = assess_locks(_status(default), family)
        assert assessment.verdict is LockVerdict.CLEAR
        assert assessment.blocking == assessment.unchecked == ()


@pytest.mark.parametrize(
    ("family", "status", "verdict"),
    [
        pytest.param(
            DeviceFamily.IPHONE,
            LockStatus("ios", icloud=OFF, mdm=OFF),  # Google and Samsung left at "not checked"
            LockVerdict.CLEAR,
            id="irrelevant-unknown-ignored",
        ),
        pytest.param(
            DeviceFamily.ANDROID,
            LockStatus("adb", google_frp=OFF, samsung=NA, mdm=OFF),
            LockVerdict.CLEAR,
            id="android-not-samsung",
        ),
        pytest.param(
            DeviceFamily.ANDROID,
            LockStatus("adb", google_frp=OFF, mdm=OFF),
            LockVerdict.UNKNOWN,
            id="android-samsung-unchecked",
        ),
        pytest.param(
            DeviceFamily.IPHONE,
            LockStatus("ios", icloud=ON, mdm=UNKNOWN),
            LockVerdict.LOCKED,
            id="on-beats-unknown",
        ),
        pytest.param(
            DeviceFamily.IPHONE,
            LockStatus("ios", icloud=OFF, google_frp=ON, mdm=OFF),
            LockVerdict.LOCKED,
            id="on-even-where-unexpected",
        ),
        pytest.param(DeviceFamily.LAPTOP, LockStatus("dmi"), LockVerdict.UNKNOWN, id="nothing-checked"),
    ],
)
def test_mixed_states(family: DeviceFamily, status: LockStatus, verdict: LockVerdict) -> None:
    assert assess_locks(status, family).verdict is verdict


def test_several_locks_are_all_reported() -> None:
    assessment = assess_locks(_status(NA, google_frp=ON, samsung=ON, mdm=UNKNOWN), DeviceFamily.ANDROID)
    assert assessment.blocking == (LockKind.GOOGLE_FRP, LockKind.SAMSUNG)
    assert assessment.unchecked == (LockKind.MDM,)
    assert len(assessment.reasons) == 3


def test_only_clear_lets_valuation_go_on() -> None:
    assert [verdict.blocks_valuation for verdict in LockVerdict] == [False, True, True]


@pytest.mark.parametrize("family", list(DeviceFamily), ids=str)
def test_mdm_is_relevant_everywhere(family: DeviceFamily) -> None:
    assert LockKind.MDM in relevant_locks(family)

from collections.abc import Sequence

import pytest

from audit.readings import DeviceFamily, FunctionalResult, MeasuredBy, TestOutcome
from audit.rules.errors import RuleDataError
from audit.rules.functional import (
    FunctionalVerdict,
    TestPlan,
    assess_functional,
    load_test_plan,
    parse_test_plan,
)

PASS, FAIL, SKIPPED, NA = TestOutcome.PASS, TestOutcome.FAIL, TestOutcome.SKIPPED, TestOutcome.NOT_APPLICABLE

_REQUIRED_EVERYWHERE = {
    "power_on_off",
    "charging",
    "battery",
    "wifi",
    "bluetooth",
    "display",
    "liquid_indicators",
}
_REQUIRED_BY_FAMILY = {
    DeviceFamily.IPHONE: {"gps", "cellular", "carrier_unlock", "microphones", "loudspeaker", "earpiece",
                          "camera_rear", "camera_front", "flash", "face_id", "touch_id", "buttons",
                          "vibration", "touchscreen", "proximity_sensor", "no_jailbreak"},
    DeviceFamily.IPAD: {"microphones", "loudspeaker", "camera_rear", "camera_front", "buttons", "touchscreen",
                        "no_jailbreak"},
    DeviceFamily.ANDROID: {"gps", "cellular", "carrier_unlock", "microphones", "loudspeaker", "earpiece",
                           "camera_rear", "camera_front", "flash", "fingerprint", "buttons", "vibration",
                           "touchscreen", "proximity_sensor", "no_root"},
    DeviceFamily.LAPTOP: {"keyboard", "keyboard_backlight", "trackpad", "webcam", "ports", "speakers",
                          "microphone", "hinge", "storage_health"},
}  # fmt: skip


@pytest.mark.parametrize("family", list(DeviceFamily), ids=str)
def test_every_family_has_a_plan_with_the_back_market_checks(family: DeviceFamily) -> None:
    plan = load_test_plan(family)
    assert plan.family is family
    assert plan.version
    ids = plan.test_ids
    assert len(ids) == len(set(ids)), "step ids must be unique"
    required = {step.test_id for step in plan.steps if step.required}
    assert required >= _REQUIRED_EVERYWHERE | _REQUIRED_BY_FAMILY[family]
    for step in plan.steps:
        assert step.title.strip()
        assert len(step.instructions) > 40, f"{step.test_id} needs real instructions"
    automatic = {step.test_id for step in plan.steps if step.automatic}
    assert {"battery", "wifi", "bluetooth"} <= automatic
    assert "touchscreen" not in automatic
    assert "display" not in automatic


def _all(plan: TestPlan, outcome: TestOutcome = PASS) -> list[FunctionalResult]:
    return [FunctionalResult(step.test_id, outcome, MeasuredBy.MANUAL) for step in plan.steps]


def _result(test_id: str, outcome: TestOutcome) -> FunctionalResult:
    return FunctionalResult(test_id, outcome, MeasuredBy.MANUAL, note="tech note" if outcome is FAIL else "")


IPHONE = load_test_plan(DeviceFamily.IPHONE)


@pytest.mark.parametrize(
    ("extra", "verdict", "failed", "missing"),
    [
        pytest.param([], FunctionalVerdict.FUNCTIONAL, (), (), id="all-pass"),
        pytest.param([_result("wifi", FAIL)], FunctionalVerdict.NOT_FUNCTIONAL, ("wifi",), (), id="fail"),
        pytest.param([_result("wifi", SKIPPED)], FunctionalVerdict.INCOMPLETE, (), ("wifi",), id="skipped"),
        pytest.param([_result("face_id", NA)], FunctionalVerdict.FUNCTIONAL, (), (), id="not-applicable-ok"),
        pytest.param(
            [_result("wifi", FAIL), _result("wifi", PASS)],
            FunctionalVerdict.FUNCTIONAL,
            (),
            (),
            id="retest-passes",
        ),
        pytest.param(
            [_result("wifi", PASS), _result("wifi", FAIL)],
            FunctionalVerdict.NOT_FUNCTIONAL,
            ("wifi",),
            (),
            id="retest-fails",
        ),
        pytest.param(
            [_result("gps", SKIPPED), _result("wifi", FAIL)],
            FunctionalVerdict.NOT_FUNCTIONAL,
            ("wifi",),
            ("gps",),
            id="fail-beats-missing",
        ),
        pytest.param(
            [_result("ambient_light", FAIL)], FunctionalVerdict.FUNCTIONAL, (), (), id="optional-fail-informs"
        ),
    ],
)
def test_verdicts(
    extra: Sequence[FunctionalResult],
    verdict: FunctionalVerdict,
    failed: tuple[str, ...],
    missing: tuple[str, ...],
) -> None:
    assessment = assess_functional(IPHONE, [*_all(IPHONE), *extra])
    assert assessment.verdict is verdict
    assert assessment.failed == failed
    assert assessment.missing == missing
    assert assessment.reasons


def test_failure_reason_keeps_the_technicians_note() -> None:
    assessment = assess_functional(IPHONE, [*_all(IPHONE), _result("earpiece", FAIL)])
    assert "Earpiece failed: tech note" in assessment.reasons


def test_missing_required_step_is_incomplete() -> None:
    results = [r for r in _all(IPHONE) if r.test_id != "camera_front"]
    assessment = assess_functional(IPHONE, results)
    assert assessment.verdict is FunctionalVerdict.INCOMPLETE
    assert assessment.missing == ("camera_front",)


def test_missing_optional_step_is_fine() -> None:
    results = [r for r in _all(IPHONE) if r.test_id != "ambient_light"]
    assert assess_functional(IPHONE, results).verdict is FunctionalVerdict.FUNCTIONAL


def test_nothing_tested_lists_every_required_step() -> None:
    assessment = assess_functional(IPHONE, [])
    assert assessment.verdict is FunctionalVerdict.INCOMPLETE
    assert set(assessment.missing) == {step.test_id for step in IPHONE.steps if step.required}


def test_unknown_test_ids_are_ignored_but_reported() -> None:
    assessment = assess_functional(IPHONE, [*_all(IPHONE), _result("keyboard", FAIL)])
    assert assessment.verdict is FunctionalVerdict.FUNCTIONAL
    assert any("keyboard" in reason and "ignored" in reason for reason in assessment.reasons)


def test_features_drop_steps_the_device_lacks() -> None:
    results = [r for r in _all(IPHONE) if r.test_id != "touch_id"]
    assert assess_functional(IPHONE, results).verdict is FunctionalVerdict.INCOMPLETE
    assert assess_functional(IPHONE, results, features={"face_id"}).verdict is FunctionalVerdict.FUNCTIONAL


def _step(test_id: str, **changes: object) -> dict[str, object]:
    step: dict[str, object] = {
        "id": test_id,
        "title": "A step",
        "instructions": "Do the thing.",
        "automatic": False,
        "required": True,
    }
    step.update(changes)
    return step


def _plan(*steps: dict[str, object], family: str = "iphone") -> dict[str, object]:
    return {"family": family, "version": "1", "steps": list(steps)}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        pytest.param(_plan(_step("a"), family="ipad"), "declares family 'ipad', expected 'iphone'", id="wrong-family"),
        pytest.param(_plan(), "at least one step", id="empty"),
        pytest.param(_plan(_step("wifi"), _step("wifi")), "test id 'wifi' appears twice", id="duplicate-id"),
        pytest.param(_plan(_step("Wi-Fi")), "test id 'Wi-Fi' must be lowercase", id="bad-id"),
        pytest.param(_plan(_step("wifi", required="yes")), r"steps\[0\].required must be true or false", id="bool"),
        pytest.param(_plan(_step("wifi", instructions="")), "instructions must be a non-empty string", id="blank"),
        pytest.param(_plan(_step("wifi", colour="red")), r"unknown key\(s\) 'colour'", id="unknown-key"),
        pytest.param(["not", "an", "object"], "must be a JSON object", id="not-object"),
    ],
)
def test_bad_plans_are_rejected(document: object, message: str) -> None:
    with pytest.raises(RuleDataError, match=message):
        parse_test_plan(document, DeviceFamily.IPHONE, "test.json")


def test_a_good_custom_plan_parses() -> None:
    plan = parse_test_plan(_plan(_step("wifi", applies_to=["cellular"])), DeviceFamily.IPHONE, "test.json")
    assert plan.step("wifi").applies_to == ("cellular",)
    assert plan.step("wifi").applies({"cellular"})
    assert not plan.step("wifi").applies(set())
    assert plan.step("wifi").applies(None)

"""Functional test plans (data, per family) and the "100 % functional" verdict from test results."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from audit.readings import DeviceFamily, FunctionalResult, TestOutcome
from audit.rules._data import DataObject, read_json
from audit.rules.errors import RuleDataError

_TEST_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class TestStep:
    __test__ = False  # not a pytest class

    test_id: str
    title: str
    instructions: str
    automatic: bool  # a driver can read the outcome; otherwise a technician looks, listens or presses
    required: bool  # part of Back Market's "100 % functional"; optional steps inform but never decide
    # Feature tags the device must have for the step to apply ("face_id", "cellular"...); empty: every device.
    applies_to: tuple[str, ...] = ()

    def applies(self, features: Collection[str] | None) -> bool:
        """Whether the step applies to a device with ``features``; None means the features are not known."""
        if features is None or not self.applies_to:
            return True
        return any(tag in features for tag in self.applies_to)


@dataclass(frozen=True, slots=True)
class TestPlan:
    __test__ = False

    family: DeviceFamily
    version: str
    steps: tuple[TestStep, ...]

    def step(self, test_id: str) -> TestStep:
        for step in self.steps:
            if step.test_id == test_id:
                return step
        raise KeyError(test_id)

    @property
    def test_ids(self) -> tuple[str, ...]:
        return tuple(step.test_id for step in self.steps)


def _parse_step(data: DataObject) -> TestStep:
    test_id = data.text("id")
    if not _TEST_ID.match(test_id):
        raise RuleDataError(f"{data.where}: test id {test_id!r} must be lowercase letters, digits and underscores")
    step = TestStep(
        test_id=test_id,
        title=data.text("title"),
        instructions=data.text("instructions"),
        automatic=data.flag("automatic"),
        required=data.flag("required"),
        applies_to=data.texts("applies_to") if data.has("applies_to") else (),
    )
    data.finish()
    return step


def parse_test_plan(raw: object, family: DeviceFamily, where: str) -> TestPlan:
    document = DataObject(raw, where)
    declared = document.text("family")
    if declared != family.value:
        raise RuleDataError(f"{where}: declares family {declared!r}, expected {family.value!r}")
    steps = tuple(
        _parse_step(DataObject(item, f"{where}.steps[{index}]")) for index, item in enumerate(document.items("steps"))
    )
    if not steps:
        raise RuleDataError(f"{where}: a test plan needs at least one step")
    seen: set[str] = set()
    for step in steps:
        if step.test_id in seen:
            raise RuleDataError(f"{where}: test id {step.test_id!r} appears twice")
        seen.add(step.test_id)
    plan = TestPlan(family=family, version=document.text("version"), steps=steps)
    document.finish()
    return plan


@functools.cache
def load_test_plan(family: DeviceFamily) -> TestPlan:
    path = f"testplans/{family.value}.json"
    return parse_test_plan(read_json(path), family, path)


class FunctionalVerdict(enum.StrEnum):
    FUNCTIONAL = "functional"
    NOT_FUNCTIONAL = "not_functional"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class FunctionalAssessment:
    verdict: FunctionalVerdict
    failed: tuple[str, ...]  # required test ids whose latest outcome is FAIL
    missing: tuple[str, ...]  # required test ids never run or latest SKIPPED
    reasons: tuple[str, ...]


def assess_functional(
    plan: TestPlan,
    results: Sequence[FunctionalResult],
    *,
    features: Collection[str] | None = None,
) -> FunctionalAssessment:
    """Judge ``results`` (oldest first) against ``plan``: the latest result per test id counts.

    ``features``, when given, drops the steps that do not apply to the device (no Face ID on a Touch ID
    iPhone); without it every required step must be run or recorded NOT_APPLICABLE.
    """
    latest: dict[str, FunctionalResult] = {}
    for newer in results:
        latest[newer.test_id] = newer  # a re-test later in the sequence supersedes the earlier result
    known = set(plan.test_ids)
    reasons: list[str] = []
    failed: list[str] = []
    missing: list[str] = []
    for step in plan.steps:
        result = latest.get(step.test_id)
        if result is not None and result.outcome is TestOutcome.FAIL:
            # An optional step that fails is still worth a line in the report, but does not decide.
            if step.required:
                failed.append(step.test_id)
                reasons.append(f"{step.title} failed{f': {result.note}' if result.note else ''}")
            else:
                reasons.append(f"{step.title} failed (optional check)")
            continue
        if not step.required or not step.applies(features):
            continue
        if result is None:
            missing.append(step.test_id)
            reasons.append(f"{step.title} not tested")
        elif result.outcome is TestOutcome.SKIPPED:
            missing.append(step.test_id)
            reasons.append(f"{step.title} skipped")
    unknown = sorted(set(latest) - known)
    if unknown:
        reasons.append(f"ignored results for tests not in the {plan.family.value} plan: {', '.join(unknown)}")
    if failed:
        verdict = FunctionalVerdict.NOT_FUNCTIONAL
    elif missing:
        verdict = FunctionalVerdict.INCOMPLETE
    else:
        verdict = FunctionalVerdict.FUNCTIONAL
        reasons.insert(0, f"every required test of plan {plan.family.value} {plan.version} passed")
    return FunctionalAssessment(verdict=verdict, failed=tuple(failed), missing=tuple(missing), reasons=tuple(reasons))

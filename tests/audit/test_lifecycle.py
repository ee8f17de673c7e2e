"""The lifecycle table: the path DESIGN.md draws, its exits, and what must be refused."""

from __future__ import annotations

import itertools

import pytest

from audit.lifecycle import TRANSITIONS, DeviceState, IllegalTransition, can_transition, require_transition

S = DeviceState
HAPPY_PATH = [S.CONNECTED, S.IDENTIFIED, S.INSPECTED, S.GRADED, S.ERASED, S.CERTIFIED, S.APPROVED, S.LISTED]


def test_every_state_has_a_row() -> None:
    assert set(TRANSITIONS) == set(DeviceState)


@pytest.mark.parametrize(("current", "target"), list(itertools.pairwise(HAPPY_PATH)))
def test_the_happy_path_is_allowed(current: DeviceState, target: DeviceState) -> None:
    assert can_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.IDENTIFIED, S.GRADED),  # grading before the inspection
        (S.QUARANTINED, S.GRADED),  # grading a locked device
        (S.QUARANTINED, S.APPROVED),
        (S.GRADED, S.CERTIFIED),  # a certificate without an erasure
        (S.ERASED, S.APPROVED),  # approval without a certificate
        (S.CERTIFIED, S.LISTED),  # listing an unapproved device
        (S.INSPECTED, S.LISTED),
        (S.PARTS, S.LISTED),
        (S.REPAIR, S.GRADED),
        (S.CONNECTED, S.INSPECTED),
        (S.LISTED, S.APPROVED),
    ],
)
def test_shortcuts_are_refused(current: DeviceState, target: DeviceState) -> None:
    with pytest.raises(IllegalTransition, match=f"{current.value} cannot become {target.value}"):
        require_transition(current, target)


@pytest.mark.parametrize("state", [s for s in DeviceState if s is not S.CONNECTED])
def test_every_state_can_return_to_the_bench(state: DeviceState) -> None:
    """A device always has a way back to a new pass (after repair, release, rejection...)."""
    assert can_transition(state, S.IDENTIFIED)


@pytest.mark.parametrize("state", [S.IDENTIFIED, S.INSPECTED, S.GRADED, S.ERASED, S.CERTIFIED, S.APPROVED, S.LISTED])
def test_a_lock_found_anywhere_quarantines(state: DeviceState) -> None:
    assert can_transition(state, S.QUARANTINED)

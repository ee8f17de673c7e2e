"""The fixed details the bench puts in a next action ("Reading %1…", "battery %2%: %1"...) are owned by
app.bench.actions and all listed in its catalogue, so that the window can translate every one of them."""

from __future__ import annotations

import pytest

from app.bench import actions
from app.bench.actions import ActionCode, NextAction
from app.bench.events import Platform, Step, StepStarted
from app.bench.status import TileStatus


def test_every_step_name_the_tiles_show_is_in_the_catalogue() -> None:
    assert {step.value for step in Step} == set(actions.STEP_NAMES)
    assert set(actions.STEP_NAMES) <= set(actions.DETAILS)


@pytest.mark.parametrize(
    ("action", "detail"),
    [
        pytest.param(actions.for_quarantine(""), actions.SEE_HISTORY, id="quarantined-without-reason"),
        pytest.param(NextAction(ActionCode.LOCKS_UNKNOWN, actions.READ_FAILED), actions.READ_FAILED, id="locks"),
        pytest.param(NextAction(ActionCode.READY_BATTERY, actions.WORN, 71), actions.WORN, id="worn"),
        pytest.param(
            NextAction(ActionCode.READY_BATTERY, actions.REPLACE_BEFORE_SALE, 82),
            actions.REPLACE_BEFORE_SALE,
            id="replace",
        ),
        pytest.param(NextAction(ActionCode.ADB_STATE, actions.NOT_READY), actions.NOT_READY, id="adb-not-ready"),
    ],
)
def test_fixed_details_come_from_the_catalogue(action: NextAction, detail: str) -> None:
    assert action.detail == detail
    assert action.detail in actions.DETAILS
    assert detail in action.text


def test_a_reading_step_shows_its_catalogued_name() -> None:
    status = TileStatus("k", 1, Platform.IOS, "udid", 0)
    status.apply(StepStarted("k", 1, Step.BATTERY, 1, 3))
    assert status.action.detail in actions.STEP_NAMES

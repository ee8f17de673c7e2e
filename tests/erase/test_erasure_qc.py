"""R2v3 5 % re-verification sample: size, independence, determinism."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.rules.erasure_qc import select_for_reverification


@pytest.mark.parametrize(
    ("population", "required"),
    [(0, 0), (1, 1), (19, 1), (20, 1), (21, 2), (100, 5), (101, 6), (500, 25)],
    ids=lambda v: str(v),
)
def test_quota_is_five_percent_rounded_up(population: int, required: int) -> None:
    erasures = [(i, "ana" if i % 2 else "ben") for i in range(population)]
    sample = select_for_reverification(erasures, "zoe", seed="2025-11")
    assert (sample.required, len(sample.chosen), sample.shortfall) == (required, required, 0)


def test_never_the_auditors_own_work_and_the_shortfall_is_said() -> None:
    erasures = [(i, "ana") for i in range(38)] + [(100, "ben"), (101, "Ben")]
    sample = select_for_reverification(erasures, "ana", seed="s")
    assert sample.required == 2
    assert set(sample.chosen) == {100, 101}
    assert sample.excluded_own == 38
    only_own = select_for_reverification([(i, "ana") for i in range(40)], "ANA", seed="s")
    assert (only_own.chosen, only_own.shortfall, only_own.complete) == ((), 2, False)


def test_deterministic_whatever_the_order_and_the_seed_matters() -> None:
    erasures = [(f"E{i}", "ana") for i in range(200)]
    first = select_for_reverification(erasures, "zoe", seed="week-47")
    again = select_for_reverification(list(reversed(erasures)), "zoe", seed="week-47")
    other = select_for_reverification(erasures, "zoe", seed="week-48")
    assert first.chosen == again.chosen
    assert first.chosen != other.chosen


@pytest.mark.parametrize("fraction", [0.0, 0.01, 1.5], ids=["zero", "below-r2v3", "above-one"])
def test_fraction_bounds(fraction: float) -> None:
    with pytest.raises(ValueError, match=r"fraction|R2v3"):
        select_for_reverification([(1, "a")], "b", seed="s", fraction=fraction)


def test_duplicate_ids_rejected() -> None:
    with pytest.raises(ValueError, match="once"):
        select_for_reverification([(1, "a"), (1, "b")], "c", seed="s")


@given(st.lists(st.sampled_from(["ana", "ben", "zoe"]), max_size=300), st.text(max_size=5))
def test_properties(wipers: list[str], seed: str) -> None:
    erasures = list(enumerate(wipers))
    sample = select_for_reverification(erasures, "zoe", seed=seed)
    by_id = dict(erasures)
    assert all(by_id[i] != "zoe" for i in sample.chosen)
    assert len(sample.chosen) + sample.shortfall == sample.required
    assert sample.required >= 0.05 * len(erasures)

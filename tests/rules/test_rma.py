import dataclasses
from datetime import date
from typing import Any

import pytest

from audit.rules.channels import load_channel
from audit.rules.errors import RuleInputError
from audit.rules.rma import PhotoView, RmaExclusion, RmaRequest, assess_rma

PRO = load_channel()
ALL_PHOTOS = frozenset(PhotoView)


def _request(**changes: Any) -> RmaRequest:
    base = RmaRequest(
        sold_on=date(2026, 1, 31),
        requested_on=date(2026, 6, 1),
        identifier="490154203237518",
        photos=ALL_PHOTOS,
        accounts_disconnected_proof=True,
    )
    return dataclasses.replace(base, **changes)


def test_seven_photo_views() -> None:
    assert [view.value for view in PhotoView] == [
        "screen_on", "screen_off", "back", "left", "right", "top", "bottom"
    ]  # fmt: skip


def test_complete_request_in_warranty_is_accepted() -> None:
    decision = assess_rma(_request(), PRO)
    assert decision.accepted
    assert not decision.incomplete
    assert decision.missing_photos == ()
    assert decision.warranty_ends == date(2027, 1, 31)
    assert decision.reasons == ("accepted: within the warranty until 2027-01-31, no exclusion found",)


@pytest.mark.parametrize(
    ("sold_on", "requested_on", "ends", "accepted"),
    [
        pytest.param(date(2026, 1, 31), date(2027, 1, 31), date(2027, 1, 31), True, id="last-day-covered"),
        pytest.param(date(2026, 1, 31), date(2027, 2, 1), date(2027, 1, 31), False, id="day-after"),
        pytest.param(date(2024, 2, 29), date(2025, 2, 28), date(2025, 2, 28), True, id="leap-sale-last-day"),
        pytest.param(date(2024, 2, 29), date(2025, 3, 1), date(2025, 2, 28), False, id="leap-sale-day-after"),
        pytest.param(date(2026, 3, 15), date(2026, 3, 15), date(2027, 3, 15), True, id="same-day"),
    ],
)
def test_twelve_month_boundaries(sold_on: date, requested_on: date, ends: date, accepted: bool) -> None:
    decision = assess_rma(_request(sold_on=sold_on, requested_on=requested_on), PRO)
    assert decision.warranty_ends == ends
    assert decision.accepted is accepted
    assert not decision.incomplete
    assert any("out of warranty" in reason for reason in decision.reasons) is (not accepted)


@pytest.mark.parametrize("view", list(PhotoView), ids=str)
def test_each_missing_photo_makes_the_request_incomplete(view: PhotoView) -> None:
    decision = assess_rma(_request(photos=ALL_PHOTOS - {view}), PRO)
    assert not decision.accepted
    assert decision.incomplete
    assert decision.missing_photos == (view,)
    assert any(view.value.replace("_", " ") in reason for reason in decision.reasons)


def test_no_photos_lists_all_seven_in_order() -> None:
    assert assess_rma(_request(photos=frozenset()), PRO).missing_photos == tuple(PhotoView)


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        pytest.param(None, "IMEI or serial number is missing", id="none"),
        pytest.param("  ", "IMEI or serial number is missing", id="blank"),
        pytest.param("490154203237519", "fails the Luhn check", id="bad-imei"),
    ],
)
def test_identifier_is_required(identifier: str | None, message: str) -> None:
    decision = assess_rma(_request(identifier=identifier), PRO)
    assert decision.incomplete
    assert not decision.accepted
    assert any(message in reason for reason in decision.reasons)


def test_a_serial_is_enough() -> None:
    assert assess_rma(_request(identifier="C02XL0GYJGH5"), PRO).accepted


def test_proof_of_disconnected_accounts_is_required() -> None:
    decision = assess_rma(_request(accounts_disconnected_proof=False), PRO)
    assert decision.incomplete
    assert not decision.accepted
    assert any("accounts are disconnected" in reason for reason in decision.reasons)


@pytest.mark.parametrize(
    ("exclusion", "words"),
    [
        pytest.param(RmaExclusion.OXIDISED, "oxidised", id="oxidised"),
        pytest.param(RmaExclusion.BROKEN, "broken", id="broken"),
        pytest.param(RmaExclusion.OPENED_BY_THIRD_PARTY, "third party", id="opened"),
        pytest.param(RmaExclusion.ABNORMAL_USE, "beyond normal use", id="abnormal-use"),
    ],
)
def test_each_exclusion_refuses_the_warranty(exclusion: RmaExclusion, words: str) -> None:
    decision = assess_rma(_request(findings=frozenset({exclusion})), PRO)
    assert not decision.accepted
    assert not decision.incomplete
    assert any("excluded from the warranty" in reason and words in reason for reason in decision.reasons)


def test_every_problem_is_reported_at_once() -> None:
    decision = assess_rma(
        _request(
            requested_on=date(2027, 6, 1),
            identifier=None,
            photos=frozenset({PhotoView.BACK}),
            accounts_disconnected_proof=False,
            findings=frozenset(RmaExclusion),
        ),
        PRO,
    )
    assert not decision.accepted
    assert decision.incomplete
    assert len(decision.reasons) == 1 + 1 + 1 + 1 + len(RmaExclusion)


def test_warranty_length_comes_from_the_channel() -> None:
    longer = dataclasses.replace(PRO, warranty_months=24)
    decision = assess_rma(_request(requested_on=date(2027, 6, 1)), longer)
    assert decision.warranty_ends == date(2028, 1, 31)
    assert decision.accepted


def test_a_return_before_the_sale_is_impossible() -> None:
    with pytest.raises(RuleInputError, match="cannot precede the sale"):
        assess_rma(_request(requested_on=date(2026, 1, 30)), PRO)

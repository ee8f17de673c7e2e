"""Returns under warranty (RMA): is the request complete, is it within the warranty, is it excluded?

Back Market's rules: a 12-month warranty from the sale; no cover when the device is oxidised, broken, opened
by a third party the seller did not authorise, or used beyond normal use; intake needs the IMEI or serial,
seven photos (screen on and off, back, four sides) and proof that the customer's accounts are disconnected.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from audit.rules.calendar import add_months
from audit.rules.channels import SalesChannel
from audit.rules.errors import RuleInputError
from audit.rules.identifiers import IdentifierError, classify_identifier


class PhotoView(enum.StrEnum):
    SCREEN_ON = "screen_on"
    SCREEN_OFF = "screen_off"
    BACK = "back"
    LEFT = "left"
    RIGHT = "right"
    TOP = "top"
    BOTTOM = "bottom"


class RmaExclusion(enum.StrEnum):
    OXIDISED = "oxidised"
    BROKEN = "broken"  # physical damage: shock, fall, crack
    OPENED_BY_THIRD_PARTY = "opened_by_third_party"  # components handled by someone the seller did not authorise
    ABNORMAL_USE = "abnormal_use"


_EXCLUSION_TEXT = {
    RmaExclusion.OXIDISED: "the device is oxidised (liquid damage)",
    RmaExclusion.BROKEN: "the device is broken (physical damage)",
    RmaExclusion.OPENED_BY_THIRD_PARTY: "the device was opened by a third party the seller did not authorise",
    RmaExclusion.ABNORMAL_USE: "the device was used beyond normal use",
}


@dataclass(frozen=True, slots=True)
class RmaRequest:
    sold_on: date
    requested_on: date
    identifier: str | None  # IMEI or serial as given by the customer
    photos: frozenset[PhotoView]
    accounts_disconnected_proof: bool
    findings: frozenset[RmaExclusion] = field(default_factory=frozenset)  # what intake inspection found


@dataclass(frozen=True, slots=True)
class RmaDecision:
    accepted: bool
    incomplete: bool  # the customer must send something more before the request can be accepted
    reasons: tuple[str, ...]
    missing_photos: tuple[PhotoView, ...]
    warranty_ends: date  # last day covered


def warranty_end(sold_on: date, channel: SalesChannel) -> date:
    return add_months(sold_on, channel.warranty_months)


def assess_rma(request: RmaRequest, channel: SalesChannel) -> RmaDecision:
    if request.requested_on < request.sold_on:
        raise RuleInputError(
            f"a return requested on {request.requested_on} cannot precede the sale on {request.sold_on}"
        )
    ends = warranty_end(request.sold_on, channel)
    reasons: list[str] = []
    # A period in months ends on the same day of the last month, which is still covered.
    in_warranty = request.requested_on <= ends
    if not in_warranty:
        reasons.append(f"out of warranty: the {channel.warranty_months}-month warranty ended on {ends}")
    incomplete = False
    if request.identifier is None or not request.identifier.strip():
        incomplete = True
        reasons.append("the IMEI or serial number is missing")
    else:
        try:
            classify_identifier(request.identifier)
        except IdentifierError as exc:
            incomplete = True
            reasons.append(f"the identifier is not valid: {exc}")
    missing = tuple(view for view in PhotoView if view not in request.photos)
    if missing:
        incomplete = True
        reasons.append(f"missing photo(s): {', '.join(view.value.replace('_', ' ') for view in missing)}")
    if not request.accounts_disconnected_proof:
        incomplete = True
        reasons.append("no proof that the iCloud / Google / Samsung accounts are disconnected")
    excluded = [exclusion for exclusion in RmaExclusion if exclusion in request.findings]
    reasons.extend(f"excluded from the warranty: {_EXCLUSION_TEXT[exclusion]}" for exclusion in excluded)
    accepted = in_warranty and not incomplete and not excluded
    if accepted:
        reasons.append(f"accepted: within the warranty until {ends}, no exclusion found")
    return RmaDecision(
        accepted=accepted,
        incomplete=incomplete,
        reasons=tuple(reasons),
        missing_photos=missing,
        warranty_ends=ends,
    )

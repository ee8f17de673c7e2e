"""Trade-in reconciliation: the partner's declared device and quote against what the audit found.

Back Market Pro's rules: a quote is valid one month (after that, a new quote); locked devices cannot be
valued; laptops (and monitors) without their charger or cable are incomplete and the quote is adjusted.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, Protocol, TypeVar

from audit.readings import DeviceFamily
from audit.rules.battery import BatteryVerdict
from audit.rules.calendar import add_months
from audit.rules.channels import SalesChannel
from audit.rules.errors import RuleDataError, RuleInputError
from audit.rules.functional import FunctionalVerdict
from audit.rules.grading import CosmeticGrade
from audit.rules.locks import LockVerdict

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


class ReconciliationStatus(enum.StrEnum):
    MATCH = "match"  # the audit confirms the declaration: the quote stands
    ADJUSTED = "adjusted"  # less than declared: counter-offer at the adjusted price
    REQUOTE = "requote"  # a different device or category: the quote does not apply
    REFUSED = "refused"  # cannot be valued (locked): return to the partner
    EXPIRED = "expired"  # the quote was out of date on the audit day: new quote
    AUDIT_INCOMPLETE = "audit_incomplete"  # locks or functional tests not finished: finish the audit first


@dataclass(frozen=True, slots=True)
class DeclaredDevice:
    model: str
    storage_gb: int | None
    grade: str  # the partner's declared condition, a CosmeticGrade value
    quoted_price: Decimal
    currency: str
    imei_or_serial: str | None
    has_charger: bool | None

    def __post_init__(self) -> None:
        if self.grade not in {grade.value for grade in CosmeticGrade}:
            known = ", ".join(grade.value for grade in CosmeticGrade)
            raise RuleInputError(f"declared grade {self.grade!r} is not a grade (known: {known})")
        if not self.quoted_price.is_finite() or self.quoted_price < 0:
            raise RuleInputError(f"quoted price {self.quoted_price} must be a finite amount >= 0")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise RuleInputError(f"currency {self.currency!r} must be an ISO 4217 code such as 'EUR'")

    @property
    def declared_grade(self) -> CosmeticGrade:
        return CosmeticGrade(self.grade)


@dataclass(frozen=True, slots=True)
class AuditedDevice:
    model: str
    storage_gb: int | None
    grade: CosmeticGrade | None  # None: not sellable as is
    lock_verdict: LockVerdict
    battery_verdict: BatteryVerdict
    functional_verdict: FunctionalVerdict
    family: DeviceFamily
    has_charger: bool | None


@dataclass(frozen=True, slots=True)
class Reconciliation:
    status: ReconciliationStatus
    quoted_price: Decimal
    adjusted_price: Decimal | None  # None unless MATCH or ADJUSTED
    reasons: tuple[str, ...]


def quote_expires_on(quoted_on: date, channel: SalesChannel) -> date:
    """Last day on which the quote is still valid."""
    return add_months(quoted_on, channel.quote_validity_months)


def _same_model(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f} %"


def _adjustments(declared: DeclaredDevice, audited: AuditedDevice, channel: SalesChannel) -> list[tuple[Decimal, str]]:
    policy = channel.tradein
    if policy is None:
        raise RuleDataError(f"channel {channel.name!r} has no trade-in policy")
    found: list[tuple[Decimal, str]] = []
    if audited.grade is not None:
        steps = audited.grade.rank - declared.declared_grade.rank
        if steps > 0:
            off = policy.grade_step_percent * steps
            found.append(
                (
                    off,
                    f"graded {audited.grade.label}, declared {declared.declared_grade.label}: "
                    f"{steps} grade step(s) lower, -{_percent(off)}",
                )
            )
    battery_off = policy.battery_percent_for(audited.battery_verdict.value)
    if battery_off > 0:
        found.append((battery_off, f"battery {audited.battery_verdict.value}: -{_percent(battery_off)}"))
    if audited.family.value in policy.charger_required_families and audited.has_charger is False:
        if declared.has_charger is False:
            pass  # declared without a charger: the quote already priced that in
        else:
            off = policy.missing_charger_percent
            found.append(
                (
                    off,
                    f"charger missing: a {audited.family.value} without its charger is incomplete, -{_percent(off)}",
                )
            )
    if declared.storage_gb is not None and audited.storage_gb is not None and audited.storage_gb < declared.storage_gb:
        off = policy.storage_lower_percent
        found.append((off, f"storage {audited.storage_gb} GB, declared {declared.storage_gb} GB: -{_percent(off)}"))
    return found


def _notes(declared: DeclaredDevice, audited: AuditedDevice, channel: SalesChannel) -> list[str]:
    """Findings worth a line on the counter-offer that do not move the price."""
    notes: list[str] = []
    policy = channel.tradein
    if policy is not None and audited.family.value in policy.charger_required_families and audited.has_charger is None:
        notes.append("charger presence not recorded")
    if declared.storage_gb is not None and audited.storage_gb is None:
        notes.append("storage not read by the audit")
    return notes


def reconcile(
    declared: DeclaredDevice,
    audited: AuditedDevice,
    *,
    quoted_on: date,
    audited_on: date,
    channel: SalesChannel,
) -> Reconciliation:
    if audited_on < quoted_on:
        raise RuleInputError(f"a device audited on {audited_on} cannot precede its quote of {quoted_on}")
    # Every finding is listed whatever the status, so that the partner sees the whole picture at once.
    reasons: list[str] = []
    statuses: set[ReconciliationStatus] = set()
    if audited.lock_verdict is LockVerdict.LOCKED:
        statuses.add(ReconciliationStatus.REFUSED)
        reasons.append("locked by an account or MDM: the device cannot be valued until the owner removes the lock")
    elif audited.lock_verdict is LockVerdict.UNKNOWN:
        statuses.add(ReconciliationStatus.AUDIT_INCOMPLETE)
        reasons.append("locks not fully checked: finish the lock check before valuing")
    expires = quote_expires_on(quoted_on, channel)
    if audited_on > expires:
        statuses.add(ReconciliationStatus.EXPIRED)
        reasons.append(f"quote of {quoted_on} expired on {expires}: a new quote is needed")
    if audited.functional_verdict is FunctionalVerdict.INCOMPLETE:
        statuses.add(ReconciliationStatus.AUDIT_INCOMPLETE)
        reasons.append("functional tests incomplete: finish them before valuing")
    elif audited.functional_verdict is FunctionalVerdict.NOT_FUNCTIONAL:
        statuses.add(ReconciliationStatus.REQUOTE)
        reasons.append("not functional: declared grades are for functional devices, re-quote as not functional")
    if not _same_model(declared.model, audited.model):
        statuses.add(ReconciliationStatus.REQUOTE)
        reasons.append(f"model mismatch: declared {declared.model!r}, audited {audited.model!r}")
    if audited.grade is None:
        statuses.add(ReconciliationStatus.REQUOTE)
        reasons.append("not sellable as is (heavy damage or cracked screen): re-quote as damaged")
    adjustments = _adjustments(declared, audited, channel)
    reasons.extend(text for _off, text in adjustments)
    reasons.extend(_notes(declared, audited, channel))
    for status in (
        ReconciliationStatus.REFUSED,
        ReconciliationStatus.EXPIRED,
        ReconciliationStatus.AUDIT_INCOMPLETE,
        ReconciliationStatus.REQUOTE,
    ):
        if status in statuses:
            return Reconciliation(status, declared.quoted_price, None, tuple(reasons))
    if not adjustments:
        price = declared.quoted_price.quantize(_CENT, rounding=ROUND_HALF_UP)
        reasons.insert(0, "the audit matches the declaration")
        return Reconciliation(ReconciliationStatus.MATCH, declared.quoted_price, price, tuple(reasons))
    total_off = min(sum((off for off, _text in adjustments), Decimal(0)), _HUNDRED)
    price = (declared.quoted_price * (_HUNDRED - total_off) / _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP)
    reasons.append(f"total adjustment -{_percent(total_off)}: {price} {declared.currency}")
    return Reconciliation(ReconciliationStatus.ADJUSTED, declared.quoted_price, max(price, Decimal(0)), tuple(reasons))


VALUED_STATUSES = frozenset({ReconciliationStatus.MATCH.value, ReconciliationStatus.ADJUSTED.value})


class PricedLine(Protocol):
    @property
    def quoted_price(self) -> Decimal: ...

    @property
    def adjusted_price(self) -> Decimal | None: ...

    @property
    def status(self) -> str: ...  # "pending" until audited, then a ReconciliationStatus value

    @property
    def currency(self) -> str: ...


Line = TypeVar("Line", bound=PricedLine)


class LotTotals(Generic[Line]):
    """The totals of a lot, the same for every view of it (the lots page, the lot report)."""

    __slots__ = ()
    lines: tuple[Line, ...]

    @property
    def currency(self) -> str:
        currencies = {line.currency for line in self.lines}
        return currencies.pop() if len(currencies) == 1 else "EUR"

    @property
    def quoted_total(self) -> Decimal:
        return sum((line.quoted_price for line in self.lines), Decimal("0.00"))

    @property
    def counter_offer_total(self) -> Decimal:
        """What the station offers: the (adjusted) price of every line it could value; nothing for the others."""
        return sum(
            (
                line.adjusted_price
                for line in self.lines
                if line.status in VALUED_STATUSES and line.adjusted_price is not None
            ),
            Decimal("0.00"),
        )

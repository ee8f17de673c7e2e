"""From an approved device to a marketplace listing: SKU, Back Market grade, warranty, price, quantity.

Pure: plain values in, a :class:`ListingDraft` (or a :class:`ListingRefused` with the reason) out. The price list and
the product map are CSV files a person keeps; their parsers name the file, the line and what was wrong.

SKU convention (stable: a SKU identifies one *kind* of device on the marketplace, never one device, and it must not
change between releases or the marketplace sees a new listing): ``MODEL-STORAGE-COLOUR-GRADE``, upper case, every run
of characters that are not letters or digits replaced by one dash, storage in decimal gigabytes as the maker counts
them (``round(bytes / 1e9)`` then ``GB``), ``NA`` for an unknown part. Example: ``IPHONE-12-128GB-BLUE-PREMIUM``.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import io
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from audit.readings import BatteryReading, DeviceFamily, storage_gb
from audit.rules.battery import BatteryVerdict, assess_battery
from audit.rules.channels import SalesChannel
from audit.rules.errors import RuleDataError
from audit.rules.grading import CosmeticGrade

__all__ = [
    "EBAY_CONDITION",
    "MARKET_CURRENCY",
    "MIN_WARRANTY_MONTHS",
    "BackMarketGrade",
    "DeviceFacts",
    "ListingDraft",
    "ListingRefused",
    "PriceEntry",
    "PriceList",
    "ProductMap",
    "aggregate_quantities",
    "catalog_row",
    "draft_listing",
    "load_price_list",
    "load_product_map",
    "parse_price_list",
    "parse_product_map",
    "sku_for",
    "storage_gb",
]

MIN_WARRANTY_MONTHS = 12  # Back Market refuses less (``warranty_delay``: "12 months minimum")

# The markets this station lists on, as Back Market's Accept-Language codes, and each one's currency.
MARKET_CURRENCY: Mapping[str, str] = MappingProxyType(
    {"fr-fr": "EUR", "de-de": "EUR", "es-es": "EUR", "it-it": "EUR", "en-gb": "GBP", "en-us": "USD"}
)


class BackMarketGrade(enum.StrEnum):
    """Back Market's ``grade`` (AestheticGradeValue); STALLONE is theirs only and never produced here."""

    PREMIUM = "PREMIUM"
    EXCELLENT = "EXCELLENT"
    VERY_GOOD = "VERY_GOOD"
    GOOD = "GOOD"
    FAIR = "FAIR"

    @classmethod
    def of(cls, grade: CosmeticGrade) -> BackMarketGrade:
        return cls[grade.name]

    @property
    def state(self) -> int:
        """The deprecated ``state`` number (ListingStateValue) some integrations still read."""
        return _STATE[self]


_STATE: Mapping[BackMarketGrade, int] = MappingProxyType(
    {
        BackMarketGrade.PREMIUM: 9,
        BackMarketGrade.EXCELLENT: 0,
        BackMarketGrade.VERY_GOOD: 1,
        BackMarketGrade.GOOD: 2,
        BackMarketGrade.FAIR: 3,
    }
)

# eBay refurbished condition ids for the CSV export. eBay has four refurbished tiers for five grades: Premium (flawless,
# genuine parts and battery) is the only one that can claim 2000 "Certified - Refurbished" -- and only for a seller
# admitted to eBay's certified programme; Fair shares 2030 "Good - Refurbished" (eBay has no lower refurbished tier).
EBAY_CONDITION: Mapping[BackMarketGrade, int] = MappingProxyType(
    {
        BackMarketGrade.PREMIUM: 2000,
        BackMarketGrade.EXCELLENT: 2010,
        BackMarketGrade.VERY_GOOD: 2020,
        BackMarketGrade.GOOD: 2030,
        BackMarketGrade.FAIR: 2030,
    }
)


_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")


def _sku_part(text: str | None) -> str:
    cleaned = _NOT_ALNUM.sub("-", (text or "").upper()).strip("-")
    return cleaned or "NA"


def sku_for(model: str, storage_bytes: int | None, colour: str | None, grade: str | None) -> str:
    """The SKU of a kind of device (see the module's docstring for the convention)."""
    gb = storage_gb(storage_bytes)
    return "-".join(
        (_sku_part(model), f"{gb}GB" if gb else "NA", _sku_part(colour), _sku_part(grade.upper() if grade else None))
    )


# --- the price list ---------------------------------------------------------------------------------------------


def _key(model: str) -> str:
    return " ".join(model.casefold().split())


@dataclass(frozen=True, slots=True)
class PriceEntry:
    price: Decimal
    min_price: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class PriceList:
    """Prices per (model, storage in GB, grade); ``min_price`` is the floor Back Market's BackPricer may go down to."""

    entries: Mapping[tuple[str, int, CosmeticGrade], PriceEntry]
    source: str = "price list"

    def lookup(self, model: str, gb: int | None, grade: CosmeticGrade) -> PriceEntry | None:
        if gb is None:
            return None
        return self.entries.get((_key(model), gb, grade))


_PRICE_COLUMNS = ("model", "storage_gb", "grade", "price", "min_price", "currency")


def _rows(text: str, where: str, columns: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = tuple(name.strip() for name in reader.fieldnames or ())
        if header != columns:
            found = ",".join(header) or "nothing"
            raise RuleDataError(f"{where}: the header must be {','.join(columns)}, found {found}")
        for row in reader:
            line = reader.line_num
            if None in row or any(value is None for value in row.values()):
                raise RuleDataError(f"{where} line {line}: expected {len(columns)} columns")
            values = {name.strip(): (value or "").strip() for name, value in row.items()}
            if not any(values.values()):
                continue
            yield line, values
    except csv.Error as exc:
        raise RuleDataError(f"{where} line {reader.line_num}: not valid CSV ({exc})") from None


def _money(value: str, where: str, name: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise RuleDataError(f"{where}: {name} {value!r} is not a number") from None
    if not amount.is_finite() or amount <= 0:
        raise RuleDataError(f"{where}: {name} must be a positive amount, got {value!r}")
    if amount != amount.quantize(Decimal("0.01")):
        raise RuleDataError(f"{where}: {name} {value!r} has more than two decimals")
    return amount.quantize(Decimal("0.01"))


def _positive_int(value: str, where: str, name: str) -> int:
    if not re.fullmatch(r"[0-9]+", value) or int(value) == 0:
        raise RuleDataError(f"{where}: {name} must be a positive whole number, got {value!r}")
    return int(value)


def _grade(value: str, where: str) -> CosmeticGrade:
    wanted = value.strip().upper().replace(" ", "_")
    for grade in CosmeticGrade:
        if grade.name == wanted:
            return grade
    known = ", ".join(g.name for g in CosmeticGrade)
    raise RuleDataError(f"{where}: unknown grade {value!r} (known: {known})")


def parse_price_list(text: str, where: str = "price list") -> PriceList:
    """Parse ``model,storage_gb,grade,price,min_price,currency`` (one header line, comma-separated)."""
    entries: dict[tuple[str, int, CosmeticGrade], PriceEntry] = {}
    for line, row in _rows(text, where, _PRICE_COLUMNS):
        at = f"{where} line {line}"
        if not row["model"]:
            raise RuleDataError(f"{at}: the model is empty")
        key = (_key(row["model"]), _positive_int(row["storage_gb"], at, "storage_gb"), _grade(row["grade"], at))
        price = _money(row["price"], at, "price")
        floor = _money(row["min_price"], at, "min_price")
        if floor > price:
            raise RuleDataError(f"{at}: min_price {floor} is above the price {price}")
        currency = row["currency"].upper()
        if currency not in set(MARKET_CURRENCY.values()):
            raise RuleDataError(f"{at}: currency {row['currency']!r} is not one of the markets' currencies")
        if key in entries:
            raise RuleDataError(f"{at}: {row['model']} {key[1]} GB {key[2].label} is priced twice")
        entries[key] = PriceEntry(price, floor, currency)
    return PriceList(MappingProxyType(entries), where)


@dataclass(frozen=True, slots=True)
class ProductMap:
    """Back Market's product id (UUID) per (model, storage in GB, colour): a new SKU must name its product."""

    products: Mapping[tuple[str, int, str], str]
    source: str = "product map"

    def lookup(self, model: str, gb: int | None, colour: str | None) -> str | None:
        if gb is None or not colour:
            return None
        return self.products.get((_key(model), gb, _key(colour)))


_PRODUCT_COLUMNS = ("model", "storage_gb", "colour", "product_id")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def parse_product_map(text: str, where: str = "product map") -> ProductMap:
    """Parse ``model,storage_gb,colour,product_id`` (Back Market's product UUID)."""
    products: dict[tuple[str, int, str], str] = {}
    for line, row in _rows(text, where, _PRODUCT_COLUMNS):
        at = f"{where} line {line}"
        if not row["model"] or not row["colour"]:
            raise RuleDataError(f"{at}: the model and the colour cannot be empty")
        product_id = row["product_id"].lower()
        if not _UUID.match(product_id):
            raise RuleDataError(f"{at}: product_id {row['product_id']!r} is not a UUID")
        key = (_key(row["model"]), _positive_int(row["storage_gb"], at, "storage_gb"), _key(row["colour"]))
        if key in products:
            raise RuleDataError(f"{at}: {row['model']} {key[1]} GB {row['colour']} is mapped twice")
        products[key] = product_id
    return ProductMap(MappingProxyType(products), where)


def _read(path: Path | None, packaged: str) -> tuple[str, str]:
    if path is not None:
        try:
            return path.read_text(encoding="utf-8-sig"), str(path)
        except OSError as exc:
            raise RuleDataError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return resources.files("resources").joinpath(packaged).read_text(encoding="utf-8"), f"resources/{packaged}"
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise RuleDataError(f"data file resources/{packaged} is missing") from exc


PRICE_LIST_ENV = "REFURB_PRICE_LIST"
PRODUCT_MAP_ENV = "REFURB_PRODUCT_MAP"


def _configured(path: Path | None, variable: str) -> Path | None:
    if path is not None:
        return path
    configured = os.environ.get(variable)
    return Path(configured) if configured else None


def load_price_list(path: Path | None = None) -> PriceList:
    """The station's price list: ``path``, else ``$REFURB_PRICE_LIST``, else the packaged example (demo prices)."""
    return parse_price_list(*_read(_configured(path, PRICE_LIST_ENV), "pricelist.example.csv"))


def load_product_map(path: Path | None = None) -> ProductMap:
    """The station's product map: ``path``, else ``$REFURB_PRODUCT_MAP``, else the packaged example."""
    return parse_product_map(*_read(_configured(path, PRODUCT_MAP_ENV), "backmarket_products.example.csv"))


# --- the mapping ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceFacts:
    """What the mapping needs to know about one device, read from the records by the caller."""

    label: str
    family: DeviceFamily
    model: str
    storage_bytes: int | None
    colour: str | None
    state: str
    lock_verdict: str | None  # the last lock reading's verdict, None when never checked
    battery: BatteryReading | None
    grade: CosmeticGrade | None
    channel: SalesChannel


@dataclass(frozen=True, slots=True)
class ListingDraft:
    """One device's contribution to a listing: the catalog line with quantity 1."""

    sku: str
    title: str
    product_id: str
    grade: BackMarketGrade
    price: Decimal
    min_price: Decimal
    currency: str
    market: str
    warranty_months: int
    quantity: int = 1
    comment: str = ""

    @property
    def state(self) -> int:
        return self.grade.state

    @property
    def ebay_condition(self) -> int:
        return EBAY_CONDITION[self.grade]


@dataclass(frozen=True, slots=True)
class ListingRefused:
    reason: str
    reasons: tuple[str, ...] = field(default=())


def draft_listing(
    facts: DeviceFacts, prices: PriceList, products: ProductMap, *, market: str = "fr-fr"
) -> ListingDraft | ListingRefused:
    """The listing an approved device makes, or why it cannot be listed (every reason, first one in ``reason``)."""
    reasons: list[str] = []
    if market not in MARKET_CURRENCY:
        reasons.append(f"unknown market {market!r} (known: {', '.join(MARKET_CURRENCY)})")
    if facts.state != "approved":
        reasons.append(f"it is {facts.state}, not approved")
    if facts.lock_verdict != "clear":
        reasons.append(f"locks {facts.lock_verdict or 'not checked'}")
    if facts.battery is None:
        reasons.append("battery never read")
    else:
        battery = assess_battery(facts.battery, facts.family, facts.channel)
        if battery.verdict is not BatteryVerdict.SELLABLE:
            reasons.append(f"battery {battery.verdict.value} for {facts.channel.label}")
    if facts.grade is None:
        reasons.append("no sellable cosmetic grade")
    warranty = max(facts.channel.warranty_months, MIN_WARRANTY_MONTHS)
    gb = storage_gb(facts.storage_bytes)
    price = product_id = None
    if facts.grade is not None:
        price = prices.lookup(facts.model, gb, facts.grade)
        if price is None:
            reasons.append(f"no price for {facts.model} {gb or '?'} GB {facts.grade.label} in {prices.source}")
        elif market in MARKET_CURRENCY and price.currency != MARKET_CURRENCY[market]:
            reasons.append(f"the price is in {price.currency} but {market} sells in {MARKET_CURRENCY[market]}")
        product_id = products.lookup(facts.model, gb, facts.colour)
        if product_id is None:
            reasons.append(
                f"no Back Market product for {facts.model} {gb or '?'} GB {facts.colour or '?'} in {products.source}"
            )
    if reasons or facts.grade is None or price is None or product_id is None:
        return ListingRefused(f"cannot list {facts.label}: {reasons[0]}", tuple(reasons))
    grade = BackMarketGrade.of(facts.grade)
    parts = [facts.model, f"{gb} GB" if gb else None, facts.colour, facts.grade.label]
    return ListingDraft(
        sku=sku_for(facts.model, facts.storage_bytes, facts.colour, facts.grade.value),
        title=" - ".join(part for part in parts if part),
        product_id=product_id,
        grade=grade,
        price=price.price,
        min_price=price.min_price,
        currency=price.currency,
        market=market,
        warranty_months=warranty,
    )


def aggregate_quantities(drafts: Iterable[ListingDraft]) -> list[ListingDraft]:
    """One line per (market, SKU) with the devices counted; the first draft's price wins (one price list per SKU)."""
    lines: dict[tuple[str, str], ListingDraft] = {}
    for draft in drafts:
        key = (draft.market, draft.sku.casefold())  # Back Market's SKUs are case-insensitive
        seen = lines.get(key)
        if seen is None:
            lines[key] = draft
        else:
            lines[key] = dataclasses.replace(seen, quantity=seen.quantity + draft.quantity)
    return list(lines.values())


def catalog_row(draft: ListingDraft) -> dict[str, str]:
    """The listing as Back Market catalog CSV columns (``POST /ws/listings``); quantity is the absolute stock."""
    return {
        "sku": draft.sku,
        "product_id": draft.product_id,
        "quantity": str(draft.quantity),
        "price": f"{draft.price:.2f}",
        "min_price": f"{draft.min_price:.2f}",
        "currency": draft.currency,
        "grade": draft.grade.value,
        "state": str(draft.state),
        "warranty_delay": str(draft.warranty_months),
        "comment": draft.comment,
    }

"""The partner's trade-in CSV: declared devices, one per line, as partners actually send them.

Partners export from Excel in English or French: ``,`` or ``;`` (or tab) between fields, a UTF-8 BOM or
Windows-1252, decimal commas ("299,90"), thousands separators ("1 299,00", "1.299,00"), currency signs in the
price, French headers and condition names. A pure function: bytes or text in, declared lines and every problem
(with its line number) out. A file with any problem is rejected whole by the service: nothing is half-imported.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from audit.rules.grading import CosmeticGrade
from audit.rules.identifiers import IdentifierError, classify_identifier

MAX_LINES = 5_000  # a lot is at most a few hundred devices; more means the wrong file
MAX_MODEL = 128
_FIELD_LIMIT = 10_000


@dataclasses.dataclass(frozen=True, slots=True)
class CsvLine:
    """One declared device. ``source_line`` is the line of the file it came from (1 = the header)."""

    source_line: int
    model: str
    storage_gb: int | None
    grade: str  # a CosmeticGrade value
    quoted_price: Decimal
    currency: str
    identifier: str | None  # normalised IMEI, MEID or serial
    has_charger: bool | None


@dataclasses.dataclass(frozen=True, slots=True)
class CsvProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclasses.dataclass(frozen=True, slots=True)
class LotCsv:
    lines: tuple[CsvLine, ...]
    problems: tuple[CsvProblem, ...]
    delimiter: str
    encoding: str

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.lines)


def _fold(text: str) -> str:
    """Lower case, accents removed, runs of spaces/underscores/dashes as one space: for headers and values."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\s_\-./()]+", " ", plain).split())


# Header aliases after _fold, English and French.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "model": ("model", "modele", "device", "product", "produit", "appareil", "model name", "nom du modele"),
    "storage": ("storage", "storage gb", "capacity", "capacite", "stockage", "memoire", "storage go", "capacite go"),
    "grade": ("condition", "grade", "etat", "declared grade", "declared condition", "etat declare", "cosmetic grade"),
    "price": ("price", "prix", "quoted price", "quote", "prix propose", "prix unitaire", "unit price", "montant"),
    "currency": ("currency", "devise", "monnaie"),
    "identifier": (
        "imei",
        "serial",
        "imei serial",
        "serial imei",
        "imei or serial",
        "identifier",
        "sn",
        "serial number",
        "numero de serie",
        "imei numero de serie",
        "imei ou numero de serie",
        "imei ou serie",
    ),
    "charger": ("charger", "chargeur", "with charger", "avec chargeur", "charger included", "chargeur inclus"),
}
_REQUIRED = ("model", "grade", "price")

_GRADES: dict[str, CosmeticGrade] = {
    "premium": CosmeticGrade.PREMIUM,
    "excellent": CosmeticGrade.EXCELLENT,
    "parfait etat": CosmeticGrade.EXCELLENT,
    "very good": CosmeticGrade.VERY_GOOD,
    "very_good": CosmeticGrade.VERY_GOOD,
    "tres bon": CosmeticGrade.VERY_GOOD,
    "tres bon etat": CosmeticGrade.VERY_GOOD,
    "good": CosmeticGrade.GOOD,
    "bon": CosmeticGrade.GOOD,
    "bon etat": CosmeticGrade.GOOD,
    "fair": CosmeticGrade.FAIR,
    "correct": CosmeticGrade.FAIR,
    "etat correct": CosmeticGrade.FAIR,
    "passable": CosmeticGrade.FAIR,
}
_YES = frozenset({"yes", "y", "true", "1", "oui", "o", "with", "avec", "included", "inclus", "x"})
_NO = frozenset({"no", "n", "false", "0", "non", "without", "sans", "missing", "manquant", "absent"})
_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}
_STORAGE = re.compile(r"^(\d{1,5})(?:[.,]0+)?\s*(gb|go|g|tb|to|t)?$")
_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _decode(data: bytes | str) -> tuple[str, str]:
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), "text"
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        # Excel on a French Windows saves "CSV (séparateur : point-virgule)" in Windows-1252.
        return data.decode("cp1252", errors="replace"), "cp1252"


def _sniff_delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_price(text: str) -> tuple[Decimal, str | None]:
    """An amount and the currency its sign names, from "299.90", "299,90 €", "1 299,00", "1.299,00", "EUR 12"...

    Raises ValueError for anything else, including "1,299" and "1.299", which mean different amounts to an
    English and a French reader.
    """
    compact = text.strip()
    currency: str | None = None
    for symbol, code in _SYMBOLS.items():
        if symbol in compact:
            currency = code
            compact = compact.replace(symbol, "")
    match = re.fullmatch(r"\s*(?:([A-Za-z]{3})\s*)?(.*?)(?:\s*([A-Za-z]{3}))?\s*", compact, flags=re.DOTALL)
    if match is not None and (match.group(1) or match.group(3)):
        if match.group(1) and match.group(3):
            raise ValueError(f"price {text!r} names two currencies")
        code = (match.group(1) or match.group(3)).upper()
        if currency and currency != code:
            raise ValueError(f"price {text!r} names two currencies")
        currency = code
        compact = match.group(2)
        if not compact.strip():
            raise ValueError(f"{text!r} is not an amount")
    # Spaces (including the no-break and narrow no-break spaces French software writes) group thousands.
    compact = re.sub(r"[\s\u00a0\u202f']", "", compact)
    if not compact:
        raise ValueError("no price")
    if not re.fullmatch(r"\d[\d.,]*", compact):
        raise ValueError(f"{text!r} is not an amount")
    dots, commas = compact.count("."), compact.count(",")
    if dots and commas:
        decimal_mark = "." if compact.rfind(".") > compact.rfind(",") else ","
        grouping = "," if decimal_mark == "." else "."
        whole, _, fraction = compact.rpartition(decimal_mark)
        if grouping in fraction or compact.count(decimal_mark) != 1:
            raise ValueError(f"{text!r} is not an amount")
        groups = whole.split(grouping)
        if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            raise ValueError(f"{text!r} has misplaced thousands separators")
        compact = "".join(groups) + "." + fraction
    elif dots + commas == 1:
        mark = "." if dots else ","
        whole, _, fraction = compact.partition(mark)
        if len(fraction) == 3:
            raise ValueError(f"{text!r} is ambiguous (thousands or decimals?): write 1299 or 1299.00")
        compact = whole + "." + fraction
    elif dots + commas > 1:
        mark = "." if dots else ","
        groups = compact.split(mark)
        if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            raise ValueError(f"{text!r} is not an amount")
        compact = "".join(groups)
    if compact.endswith(".") or compact.startswith("."):
        raise ValueError(f"{text!r} is not an amount")
    try:
        amount = Decimal(compact)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{text!r} has more than two decimals")
    if amount >= Decimal("1e9"):
        raise ValueError(f"{text!r} is not a plausible price")
    return amount.quantize(Decimal("0.01")), currency


def parse_storage(text: str) -> int | None:
    """Declared storage in GB: "128", "128 GB", "128Go", "1 TB"/"1To" (1000 GB, as the audit rounds it); "" -> None."""
    folded = _fold(text).replace(" ", "")
    if not folded:
        return None
    match = _STORAGE.match(folded)
    if match is None:
        raise ValueError(f"storage {text!r} is not a size such as 128 or 128 GB")
    value = int(match.group(1))
    if match.group(2) in ("tb", "to", "t"):
        value *= 1000
    if value <= 0:
        raise ValueError(f"storage {text!r} must be more than 0")
    return value


def parse_grade(text: str) -> CosmeticGrade:
    folded = _fold(text)
    grade = _GRADES.get(folded) or _GRADES.get(folded.replace(" ", "_"))
    if grade is None:
        known = ", ".join(g.label for g in CosmeticGrade.best_first())
        raise ValueError(f"condition {text!r} is not a grade (known: {known}, or the French names)")
    return grade


def parse_charger(text: str) -> bool | None:
    folded = _fold(text)
    if not folded:
        return None
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise ValueError(f"charger {text!r}: write yes or no (oui / non)")


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    mapping: dict[str, int] = {}
    problems: list[str] = []
    for position, name in enumerate(header):
        folded = _fold(name)
        for column, aliases in _COLUMNS.items():
            if folded in aliases:
                if column in mapping:
                    problems.append(f"two columns mean {column}: {header[mapping[column]]!r} and {name!r}")
                else:
                    mapping[column] = position
    missing = [column for column in _REQUIRED if column not in mapping]
    if missing:
        problems.append(
            "missing column(s) " + ", ".join(missing) + f" in the header {header!r} "
            "(expected e.g. model;storage;condition;price;currency;imei;charger)"
        )
    return mapping, problems


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """Rows with the line each starts on (a quoted field may span lines); a broken one ends the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, exc
            return
        yield start, row
        start = reader.line_num + 1


def parse_lot_csv(data: bytes | str) -> LotCsv:
    """Every declared line of the partner's file and every problem found, each with its line number."""
    text, encoding = _decode(data)
    text = text.replace("\x00", "")
    delimiter = _sniff_delimiter(text)
    lines: list[CsvLine] = []
    problems: list[CsvProblem] = []
    seen: dict[str, int] = {}
    header: list[str] | None = None
    mapping: dict[str, int] = {}
    old_limit = csv.field_size_limit()
    csv.field_size_limit(_FIELD_LIMIT)
    try:
        for number, row in _records(text, delimiter):
            if isinstance(row, csv.Error):
                problems.append(CsvProblem(number, f"unreadable CSV: {row}"))
                break
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                mapping, header_problems = _header_map(header)
                problems.extend(CsvProblem(number, message) for message in header_problems)
                if header_problems:
                    break
                continue
            if len(lines) + len(problems) >= MAX_LINES:
                problems.append(CsvProblem(number, f"more than {MAX_LINES} lines: is this the right file?"))
                break
            line, line_problems = _parse_row(number, row, header, mapping, seen)
            problems.extend(line_problems)
            if line is not None:
                lines.append(line)
    finally:
        csv.field_size_limit(old_limit)
    if header is None:
        problems.append(CsvProblem(1, "the file is empty: no header and no declared device"))
    elif not lines and not problems:
        problems.append(CsvProblem(1, "the file has a header but no declared device"))
    return LotCsv(tuple(lines), tuple(problems), delimiter, encoding)


def _parse_row(
    number: int, row: list[str], header: list[str], mapping: dict[str, int], seen: dict[str, int]
) -> tuple[CsvLine | None, list[CsvProblem]]:
    problems: list[str] = []
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        # The classic: "299,90" unquoted in a comma-separated file splits the price in two.
        problems.append(
            f"{len(row)} fields but the header has {len(header)} (a decimal comma in a comma-separated file? "
            "quote the price or use ; between fields)"
        )

    def cell(column: str) -> str:
        position = mapping.get(column)
        return row[position].strip() if position is not None and position < len(row) else ""

    model = " ".join(cell("model").split())
    if not model:
        problems.append("no model")
    elif len(model) > MAX_MODEL:
        problems.append(f"model is {len(model)} characters (at most {MAX_MODEL})")
    grade: CosmeticGrade | None = None
    if not cell("grade"):
        problems.append("no condition")
    else:
        try:
            grade = parse_grade(cell("grade"))
        except ValueError as exc:
            problems.append(str(exc))
    storage: int | None = None
    try:
        storage = parse_storage(cell("storage"))
    except ValueError as exc:
        problems.append(str(exc))
    price: Decimal | None = None
    sign_currency: str | None = None
    if not cell("price"):
        problems.append("no price")
    else:
        try:
            price, sign_currency = parse_price(cell("price"))
        except ValueError as exc:
            problems.append(f"price: {exc}")
    currency = cell("currency").upper() or sign_currency or "EUR"
    if not _ISO_CURRENCY.match(currency):
        problems.append(f"currency {cell('currency')!r} is not a code such as EUR")
    elif sign_currency and sign_currency != currency:
        problems.append(f"price in {sign_currency} but currency column says {currency}")
    identifier: str | None = None
    if cell("identifier"):
        try:
            identifier = classify_identifier(cell("identifier"))[1]
        except IdentifierError as exc:
            problems.append(str(exc))
        else:
            if identifier in seen:
                problems.append(f"{identifier} is already declared on line {seen[identifier]}")
            else:
                seen[identifier] = number
    charger: bool | None = None
    try:
        charger = parse_charger(cell("charger"))
    except ValueError as exc:
        problems.append(str(exc))
    if problems or grade is None or price is None:
        return None, [CsvProblem(number, message) for message in problems]
    return CsvLine(number, model, storage, grade.value, price, currency, identifier, charger), []

"""Reading the packaged JSON data, with errors that say which file, which key and what was wrong."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from typing import Any

from audit.rules.errors import RuleDataError

_PACKAGE = "resources"


def read_json(relative_path: str) -> Any:
    """Parse one JSON file of the ``resources`` package; fractional numbers become ``Decimal`` (money)."""
    try:
        text = resources.files(_PACKAGE).joinpath(relative_path).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise RuleDataError(f"data file resources/{relative_path} is missing") from exc
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise RuleDataError(f"data file resources/{relative_path} is not valid JSON: {exc}") from exc


class DataObject:
    """A JSON object being read field by field; every error names ``where`` and the key.

    Unread keys are reported by :meth:`finish`, so that a misspelt key is an error, not a silent default.
    """

    def __init__(self, raw: object, where: str) -> None:
        if not isinstance(raw, Mapping):
            raise RuleDataError(f"{where} must be a JSON object, got {raw!r}")
        self._raw: Mapping[str, Any] = raw
        self._read: set[str] = set()
        self.where = where

    def _get(self, key: str) -> Any:
        if key not in self._raw:
            raise RuleDataError(f"{self.where}: missing key {key!r}")
        self._read.add(key)
        return self._raw[key]

    def has(self, key: str) -> bool:
        return key in self._raw

    def keys(self) -> tuple[str, ...]:
        return tuple(self._raw)

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise RuleDataError(f"{self.where}.{key} must be a non-empty string, got {value!r}")
        return value

    def optional_text(self, key: str) -> str | None:
        if not self.has(key) or self._raw[key] is None:
            self._read.add(key)
            return None
        return self.text(key)

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise RuleDataError(f"{self.where}.{key} must be true or false, got {value!r}")
        return value

    def integer(self, key: str, *, minimum: int = 0) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise RuleDataError(f"{self.where}.{key} must be a whole number >= {minimum}, got {value!r}")
        return value

    def number(self, key: str, *, minimum: float = 0.0, maximum: float | None = None) -> float:
        return float(self.decimal(key, minimum=Decimal(str(minimum)), maximum=maximum))

    def decimal(self, key: str, *, minimum: Decimal = Decimal(0), maximum: float | Decimal | None = None) -> Decimal:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise RuleDataError(f"{self.where}.{key} must be a number, got {value!r}")
        # str() first: a float read by plain json.loads must not carry its binary noise into money.
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise RuleDataError(f"{self.where}.{key} must be a finite number, got {value!r}")
        if number < minimum or (maximum is not None and number > Decimal(str(maximum))):
            bounds = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
            raise RuleDataError(f"{self.where}.{key} must be {bounds}, got {value}")
        return number

    def obj(self, key: str) -> DataObject:
        return DataObject(self._get(key), f"{self.where}.{key}")

    def items(self, key: str) -> tuple[object, ...]:
        value = self._get(key)
        if not isinstance(value, list):
            raise RuleDataError(f"{self.where}.{key} must be a JSON list, got {value!r}")
        return tuple(value)

    def texts(self, key: str) -> tuple[str, ...]:
        values = self.items(key)
        for value in values:
            if not isinstance(value, str) or not value.strip():
                raise RuleDataError(f"{self.where}.{key} must hold non-empty strings, got {value!r}")
        return tuple(str(value) for value in values)

    def raw(self, key: str) -> Any:
        return self._get(key)

    def finish(self) -> None:
        unknown = sorted(set(self._raw) - self._read)
        if unknown:
            raise RuleDataError(f"{self.where}: unknown key(s) {', '.join(map(repr, unknown))}")

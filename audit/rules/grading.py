"""Cosmetic grade (Back Market scale, CTIA letters alongside) from recorded defects, by a rubric kept as data.

Each defect caps the grade at the best one its zone, kind and severity still allow; the decision is the
worst cap. Back Market's scale is written in viewing distances, which ``DefectSeverity`` mirrors: Excellent
tolerates body micro-scratches (invisible at 20 cm), Very good / Good light marks (invisible at 50 cm), Fair
visible marks and light screen scratches; a heavy defect or a cracked screen is not sellable as is.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from audit.readings import CosmeticDefect, DefectKind, DefectSeverity, DefectZone, DeviceFamily
from audit.rules._data import DataObject, read_json
from audit.rules.errors import RuleDataError, RuleInputError

__all__ = [
    "CosmeticGrade",
    "CtiaGrade",
    "GradeDecision",
    "Rubric",
    "RuleDataError",
    "RuleInputError",
    "decide_grade",
    "load_rubric",
    "parse_rubric",
    "worse_grade",
]


class CosmeticGrade(enum.StrEnum):
    PREMIUM = "premium"
    EXCELLENT = "excellent"
    VERY_GOOD = "very_good"
    GOOD = "good"
    FAIR = "fair"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """0 for the best grade; compare ranks, never the string values (they sort alphabetically)."""
        return _ORDER.index(self)

    @classmethod
    def best_first(cls) -> tuple[CosmeticGrade, ...]:
        return _ORDER

    def is_better_than(self, other: CosmeticGrade) -> bool:
        return self.rank < other.rank


_ORDER: tuple[CosmeticGrade, ...] = tuple(CosmeticGrade)
_LABELS: Mapping[CosmeticGrade, str] = MappingProxyType(
    {
        CosmeticGrade.PREMIUM: "Premium",
        CosmeticGrade.EXCELLENT: "Excellent",
        CosmeticGrade.VERY_GOOD: "Very good",
        CosmeticGrade.GOOD: "Good",
        CosmeticGrade.FAIR: "Fair",
    }
)


def worse_grade(a: CosmeticGrade | None, b: CosmeticGrade | None) -> CosmeticGrade | None:
    """The worse of two grades, None (not sellable) being worse than any grade."""
    if a is None or b is None:
        return None
    return a if a.rank >= b.rank else b


class CtiaGrade(enum.StrEnum):
    A = "A"  # like new
    B = "B"  # light wear
    C = "C"  # moderate wear
    D = "D"  # heavy damage, cover lens cracks


_E = TypeVar("_E", bound=enum.Enum)
_NOT_SELLABLE = "not_sellable"  # how the rubric file spells "no grade"
_SEVERITIES: tuple[DefectSeverity, ...] = tuple(DefectSeverity)
_Cap = CosmeticGrade | None


@dataclass(frozen=True, slots=True)
class Rubric:
    version: str
    zones: Mapping[DeviceFamily, frozenset[DefectZone]]
    severity_caps: Mapping[DefectZone, Mapping[DefectSeverity, _Cap]]
    # (zone or None for every zone, kind) -> caps that tighten the zone's severity caps
    kind_caps: Mapping[tuple[DefectZone | None, DefectKind], Mapping[DefectSeverity, _Cap]]
    ctia: Mapping[CosmeticGrade | None, CtiaGrade]

    def zones_for(self, family: DeviceFamily) -> frozenset[DefectZone]:
        return self.zones[family]

    def cap_for(self, defect: CosmeticDefect) -> CosmeticGrade | None:
        cap: _Cap = self.severity_caps[defect.zone][defect.severity]
        for key in ((None, defect.kind), (defect.zone, defect.kind)):
            tighter = self.kind_caps.get(key, {})
            if defect.severity in tighter:
                cap = worse_grade(cap, tighter[defect.severity])
        return cap

    def ctia_for(self, grade: CosmeticGrade | None) -> CtiaGrade:
        return self.ctia[grade]


def _parse_cap(data: DataObject, key: str) -> _Cap:
    value = data.text(key)
    if value == _NOT_SELLABLE:
        return None
    try:
        grade = CosmeticGrade(value)
    except ValueError:
        raise RuleDataError(f"{data.where}.{key}: {value!r} is not a grade nor {_NOT_SELLABLE!r}") from None
    if grade is CosmeticGrade.PREMIUM:
        # Premium means flawless: a defect can never leave it standing.
        raise RuleDataError(f"{data.where}.{key}: a defect cannot cap at premium")
    return grade


def _parse_caps(data: DataObject, *, complete: bool) -> Mapping[DefectSeverity, _Cap]:
    caps: dict[DefectSeverity, _Cap] = {}
    for severity in _SEVERITIES:
        if complete or data.has(severity.value):
            caps[severity] = _parse_cap(data, severity.value)
    data.finish()
    if caps.get(DefectSeverity.HEAVY) is not None:
        raise RuleDataError(f"{data.where}.heavy must be {_NOT_SELLABLE!r}: a heavy defect is not sellable as is")
    return MappingProxyType(caps)


def _enum_value(kind: type[_E], value: str, where: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(str(member.value) for member in kind)
        raise RuleDataError(f"{where}: {value!r} is not a {kind.__name__} (known: {known})") from None


def parse_rubric(raw: object, where: str = "grading/rubric.json") -> Rubric:
    document = DataObject(raw, where)
    zones_data = document.obj("zones")
    zones = {
        family: frozenset(
            _enum_value(DefectZone, zone, f"{zones_data.where}.{family.value}")
            for zone in zones_data.texts(family.value)
        )
        for family in DeviceFamily
    }
    zones_data.finish()
    severity_data = document.obj("severity_caps")
    severity_caps = {
        zone: _parse_caps(severity_data.obj(zone.value), complete=True) for zone in frozenset().union(*zones.values())
    }
    severity_data.finish()
    kind_caps: dict[tuple[DefectZone | None, DefectKind], Mapping[DefectSeverity, _Cap]] = {}
    for index, item in enumerate(document.items("kind_caps")):
        rule = DataObject(item, f"{where}.kind_caps[{index}]")
        zone_text = rule.text("zone")
        zone = None if zone_text == "*" else _enum_value(DefectZone, zone_text, rule.where)
        kind = _enum_value(DefectKind, rule.text("kind"), rule.where)
        if (zone, kind) in kind_caps:
            raise RuleDataError(f"{rule.where}: a second rule for zone {zone_text!r} and kind {kind.value!r}")
        kind_caps[(zone, kind)] = _parse_caps(rule.obj("caps"), complete=False)
        rule.finish()
    ctia_data = document.obj("ctia")
    ctia: dict[CosmeticGrade | None, CtiaGrade] = {
        grade: _enum_value(CtiaGrade, ctia_data.text(grade.value), ctia_data.where) for grade in CosmeticGrade
    }
    ctia[None] = _enum_value(CtiaGrade, ctia_data.text(_NOT_SELLABLE), ctia_data.where)
    ctia_data.finish()
    rubric = Rubric(
        version=document.text("version"),
        zones=MappingProxyType(zones),
        severity_caps=MappingProxyType(severity_caps),
        kind_caps=MappingProxyType(kind_caps),
        ctia=MappingProxyType(ctia),
    )
    document.finish()
    return rubric


@functools.cache
def load_rubric() -> Rubric:
    path = "grading/rubric.json"
    return parse_rubric(read_json(path), path)


@dataclass(frozen=True, slots=True)
class GradeDecision:
    grade: CosmeticGrade | None  # None: not sellable as is (repair or parts)
    ctia: CtiaGrade
    sellable: bool
    deciding: tuple[CosmeticDefect, ...]  # the defects whose cap is the decision, in a canonical order
    reason: str
    rubric_version: str


def _sort_key(defect: CosmeticDefect) -> tuple[int, int, int, str]:
    return (
        list(DefectZone).index(defect.zone),
        list(DefectKind).index(defect.kind),
        _SEVERITIES.index(defect.severity),
        defect.note,
    )


def _describe(defects: Iterable[CosmeticDefect]) -> str:
    names = [f"{d.zone.value.replace('_', ' ')} {d.kind.value.replace('_', ' ')} ({d.severity.value})" for d in defects]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _flawless(genuine_parts: bool | None) -> tuple[CosmeticGrade, str]:
    if genuine_parts is True:
        return CosmeticGrade.PREMIUM, "Premium: no cosmetic defect, genuine parts and battery"
    why = "some parts are not genuine" if genuine_parts is False else "genuine parts and battery not confirmed"
    return CosmeticGrade.EXCELLENT, f"Excellent: no cosmetic defect, but {why} (Premium needs them)"


def decide_grade(
    defects: Sequence[CosmeticDefect],
    family: DeviceFamily,
    rubric: Rubric,
    *,
    genuine_parts: bool | None = None,
) -> GradeDecision:
    allowed = rubric.zones_for(family)
    for defect in defects:
        if defect.zone not in allowed:
            zones = ", ".join(sorted(zone.value for zone in allowed))
            raise RuleInputError(
                f"a {family.value} has no {defect.zone.value!r} zone (zones: {zones}); re-record the defect"
            )
    ordered = sorted(defects, key=_sort_key)
    if not ordered:
        grade, reason = _flawless(genuine_parts)
        return GradeDecision(grade, rubric.ctia_for(grade), True, (), reason, rubric.version)
    caps = [(defect, rubric.cap_for(defect)) for defect in ordered]
    decision: CosmeticGrade | None = CosmeticGrade.EXCELLENT  # any defect rules out Premium
    for _defect, cap in caps:
        decision = worse_grade(decision, cap)
    deciding = tuple(defect for defect, cap in caps if cap == decision)
    verb = "caps" if len(deciding) == 1 else "cap"
    if decision is None:
        be = "is" if len(deciding) == 1 else "are"
        reason = f"Not sellable: {_describe(deciding)} {be} not sellable as is; route to repair or parts"
    else:
        reason = f"{decision.label}: {_describe(deciding)} {verb} at {decision.label}"
    return GradeDecision(decision, rubric.ctia_for(decision), decision is not None, deciding, reason, rubric.version)

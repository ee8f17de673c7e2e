import copy
import json
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.readings import CosmeticDefect, DefectKind, DefectSeverity, DefectZone, DeviceFamily
from audit.rules.errors import RuleDataError, RuleInputError
from audit.rules.grading import (
    CosmeticGrade,
    CtiaGrade,
    decide_grade,
    load_rubric,
    parse_rubric,
    worse_grade,
)

RUBRIC = load_rubric()
Z, K, S = DefectZone, DefectKind, DefectSeverity
G = CosmeticGrade
NOT_SELLABLE = None


def _d(zone: DefectZone, kind: DefectKind, severity: DefectSeverity) -> CosmeticDefect:
    return CosmeticDefect(zone, kind, severity)


def test_grade_labels_and_order() -> None:
    assert [grade.label for grade in G.best_first()] == ["Premium", "Excellent", "Very good", "Good", "Fair"]
    assert [grade.value for grade in G.best_first()] == ["premium", "excellent", "very_good", "good", "fair"]
    assert [grade.rank for grade in G.best_first()] == [0, 1, 2, 3, 4]
    assert G.EXCELLENT.is_better_than(G.FAIR)
    assert not G.GOOD.is_better_than(G.GOOD)
    assert worse_grade(G.GOOD, G.VERY_GOOD) is G.GOOD
    assert worse_grade(G.PREMIUM, None) is None


_PHONE_TABLE = [
    # zone, kind, severity -> best grade allowed (distances: micro < 20 cm < light < 50 cm < visible)
    (Z.SCREEN, K.SCRATCH, S.MICRO, G.GOOD),
    (Z.SCREEN, K.SCRATCH, S.LIGHT, G.FAIR),
    (Z.SCREEN, K.SCRATCH, S.VISIBLE, NOT_SELLABLE),
    (Z.SCREEN, K.SCRATCH, S.HEAVY, NOT_SELLABLE),
    (Z.BACK, K.SCRATCH, S.MICRO, G.EXCELLENT),
    (Z.BACK, K.SCRATCH, S.LIGHT, G.VERY_GOOD),
    (Z.BACK, K.SCRATCH, S.VISIBLE, G.FAIR),
    (Z.BACK, K.SCRATCH, S.HEAVY, NOT_SELLABLE),
    (Z.SIDES, K.SCUFF, S.MICRO, G.EXCELLENT),
    (Z.SIDES, K.SCUFF, S.LIGHT, G.VERY_GOOD),
    (Z.SIDES, K.SCUFF, S.VISIBLE, G.FAIR),
    (Z.SIDES, K.SCUFF, S.HEAVY, NOT_SELLABLE),
    (Z.CAMERA_LENS, K.SCRATCH, S.MICRO, G.VERY_GOOD),
    (Z.CAMERA_LENS, K.SCRATCH, S.LIGHT, G.FAIR),
    (Z.CAMERA_LENS, K.SCRATCH, S.VISIBLE, NOT_SELLABLE),
    (Z.CAMERA_LENS, K.SCRATCH, S.HEAVY, NOT_SELLABLE),
    # kinds that matter more than their visibility
    (Z.SCREEN, K.CRACK, S.MICRO, NOT_SELLABLE),
    (Z.BACK, K.CRACK, S.MICRO, NOT_SELLABLE),
    (Z.SCREEN, K.DEAD_PIXEL, S.MICRO, G.FAIR),
    (Z.SCREEN, K.DEAD_PIXEL, S.LIGHT, NOT_SELLABLE),
    (Z.SCREEN, K.BURN_IN, S.MICRO, G.FAIR),
    (Z.SCREEN, K.BURN_IN, S.LIGHT, G.FAIR),
    (Z.SCREEN, K.BURN_IN, S.VISIBLE, NOT_SELLABLE),
    (Z.SIDES, K.DENT, S.MICRO, G.VERY_GOOD),
    (Z.SIDES, K.DENT, S.LIGHT, G.GOOD),
    (Z.SIDES, K.DENT, S.VISIBLE, G.FAIR),
    (Z.BACK, K.CHIP, S.LIGHT, G.GOOD),
    (Z.BACK, K.DISCOLOURATION, S.LIGHT, G.GOOD),
    (Z.SIDES, K.MISSING_PART, S.MICRO, NOT_SELLABLE),
]


@pytest.mark.parametrize("family", [DeviceFamily.IPHONE, DeviceFamily.ANDROID, DeviceFamily.IPAD], ids=str)
@pytest.mark.parametrize(
    ("zone", "kind", "severity", "expected"),
    _PHONE_TABLE,
    ids=[f"{zone}-{kind}-{severity}" for zone, kind, severity, _ in _PHONE_TABLE],
)
def test_one_defect_caps_the_grade(
    family: DeviceFamily,
    zone: DefectZone,
    kind: DefectKind,
    severity: DefectSeverity,
    expected: CosmeticGrade | None,
) -> None:
    defect = _d(zone, kind, severity)
    decision = decide_grade([defect], family, RUBRIC, genuine_parts=True)
    assert decision.grade is expected
    assert decision.sellable is (expected is not None)
    assert decision.deciding == (defect,)
    assert decision.rubric_version == RUBRIC.version
    assert f"{zone.value.replace('_', ' ')} {kind.value.replace('_', ' ')} ({severity.value})" in decision.reason


_LAPTOP_TABLE = [
    (Z.LID, K.SCRATCH, S.MICRO, G.EXCELLENT),
    (Z.LID, K.SCRATCH, S.LIGHT, G.VERY_GOOD),
    (Z.BASE, K.SCRATCH, S.VISIBLE, G.FAIR),
    (Z.KEYBOARD, K.WORN_KEYS, S.LIGHT, G.VERY_GOOD),
    (Z.KEYBOARD, K.WORN_KEYS, S.VISIBLE, G.GOOD),
    (Z.KEYBOARD, K.MISSING_PART, S.MICRO, NOT_SELLABLE),
    (Z.TRACKPAD, K.SCRATCH, S.VISIBLE, G.FAIR),
    (Z.SCREEN, K.SCRATCH, S.LIGHT, G.FAIR),
    (Z.LID, K.DENT, S.HEAVY, NOT_SELLABLE),
]


@pytest.mark.parametrize(
    ("zone", "kind", "severity", "expected"),
    _LAPTOP_TABLE,
    ids=[f"{zone}-{kind}-{severity}" for zone, kind, severity, _ in _LAPTOP_TABLE],
)
def test_laptop_zones(
    zone: DefectZone, kind: DefectKind, severity: DefectSeverity, expected: CosmeticGrade | None
) -> None:
    assert decide_grade([_d(zone, kind, severity)], DeviceFamily.LAPTOP, RUBRIC).grade is expected


@pytest.mark.parametrize(
    ("genuine", "grade", "ctia", "reason"),
    [
        pytest.param(True, G.PREMIUM, CtiaGrade.A, "Premium: no cosmetic defect", id="genuine"),
        pytest.param(None, G.EXCELLENT, CtiaGrade.A, "not confirmed", id="unknown-parts"),
        pytest.param(False, G.EXCELLENT, CtiaGrade.A, "not genuine", id="non-genuine"),
    ],
)
def test_no_defect(genuine: bool | None, grade: CosmeticGrade, ctia: CtiaGrade, reason: str) -> None:
    decision = decide_grade([], DeviceFamily.IPHONE, RUBRIC, genuine_parts=genuine)
    assert decision.grade is grade
    assert decision.ctia is ctia
    assert decision.sellable
    assert decision.deciding == ()
    assert reason in decision.reason


def test_any_defect_rules_out_premium() -> None:
    decision = decide_grade([_d(Z.BACK, K.SCRATCH, S.MICRO)], DeviceFamily.IPHONE, RUBRIC, genuine_parts=True)
    assert decision.grade is G.EXCELLENT


def test_worst_cap_wins_and_names_its_defect() -> None:
    light_back = _d(Z.BACK, K.SCRATCH, S.LIGHT)
    dented_side = _d(Z.SIDES, K.DENT, S.LIGHT)
    decision = decide_grade([light_back, dented_side], DeviceFamily.IPHONE, RUBRIC)
    assert decision.grade is G.GOOD
    assert decision.deciding == (dented_side,)
    assert decision.reason == "Good: sides dent (light) caps at Good"
    assert decision.ctia is CtiaGrade.B


def test_every_deciding_defect_is_named() -> None:
    defects = [
        _d(Z.SIDES, K.DENT, S.VISIBLE),
        _d(Z.SCREEN, K.SCRATCH, S.LIGHT),
        _d(Z.BACK, K.SCRATCH, S.MICRO),
    ]
    decision = decide_grade(defects, DeviceFamily.IPHONE, RUBRIC)
    assert decision.grade is G.FAIR
    assert decision.ctia is CtiaGrade.C
    assert decision.reason == "Fair: screen scratch (light) and sides dent (visible) cap at Fair"


@pytest.mark.parametrize(
    "defect",
    [
        pytest.param(_d(Z.BACK, K.SCRATCH, S.HEAVY), id="heavy"),
        pytest.param(_d(Z.SCREEN, K.CRACK, S.MICRO), id="cracked-screen"),
    ],
)
def test_heavy_or_cracked_is_not_sellable(defect: CosmeticDefect) -> None:
    decision = decide_grade([_d(Z.BACK, K.SCRATCH, S.MICRO), defect], DeviceFamily.IPHONE, RUBRIC)
    assert decision.grade is None
    assert not decision.sellable
    assert decision.ctia is CtiaGrade.D
    assert decision.deciding == (defect,)
    assert decision.reason.startswith("Not sellable:")
    assert "repair or parts" in decision.reason


@pytest.mark.parametrize(
    ("family", "zone"),
    [
        pytest.param(DeviceFamily.IPHONE, Z.KEYBOARD, id="iphone-keyboard"),
        pytest.param(DeviceFamily.ANDROID, Z.LID, id="android-lid"),
        pytest.param(DeviceFamily.IPAD, Z.TRACKPAD, id="ipad-trackpad"),
        pytest.param(DeviceFamily.IPHONE, Z.BASE, id="iphone-base"),
        pytest.param(DeviceFamily.LAPTOP, Z.BACK, id="laptop-back"),
        pytest.param(DeviceFamily.LAPTOP, Z.CAMERA_LENS, id="laptop-lens"),
    ],
)
def test_zone_must_exist_on_the_family(family: DeviceFamily, zone: DefectZone) -> None:
    with pytest.raises(RuleInputError, match=f"a {family.value} has no '{zone.value}' zone"):
        decide_grade([_d(zone, K.SCRATCH, S.MICRO)], family, RUBRIC)


_defects = st.builds(
    CosmeticDefect,
    zone=st.sampled_from(sorted(RUBRIC.zones_for(DeviceFamily.IPHONE))),
    kind=st.sampled_from(list(DefectKind)),
    severity=st.sampled_from(list(DefectSeverity)),
)


def _rank(grade: CosmeticGrade | None) -> int:
    return len(CosmeticGrade) if grade is None else grade.rank


@settings(database=None, max_examples=300)
@given(st.lists(_defects, max_size=6), _defects, st.sampled_from([True, False, None]))
def test_adding_a_defect_never_improves_the_grade(
    defects: list[CosmeticDefect], extra: CosmeticDefect, genuine: bool | None
) -> None:
    before = decide_grade(defects, DeviceFamily.IPHONE, RUBRIC, genuine_parts=genuine)
    after = decide_grade([*defects, extra], DeviceFamily.IPHONE, RUBRIC, genuine_parts=genuine)
    assert _rank(after.grade) >= _rank(before.grade)
    assert after.ctia >= before.ctia  # letters sort A..D, best first


@settings(database=None, max_examples=300)
@given(st.lists(_defects, max_size=6), st.randoms(use_true_random=False))
def test_order_of_defects_does_not_matter(defects: list[CosmeticDefect], random: Any) -> None:
    shuffled = list(defects)
    random.shuffle(shuffled)
    assert decide_grade(shuffled, DeviceFamily.IPHONE, RUBRIC) == decide_grade(defects, DeviceFamily.IPHONE, RUBRIC)


def _rubric_document() -> dict[str, Any]:
    text = resources.files("resources").joinpath("grading/rubric.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _edited(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    data = copy.deepcopy(_rubric_document())
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        pytest.param(("severity_caps", "back", "micro"), "premium", "cannot cap at premium", id="premium-cap"),
        pytest.param(("severity_caps", "back", "heavy"), "fair", "heavy must be 'not_sellable'", id="heavy-sellable"),
        pytest.param(("severity_caps", "back", "light"), "okay", "'okay' is not a grade", id="unknown-grade"),
        pytest.param(("severity_caps", "lid"), KeyError, "missing key 'lid'", id="zone-without-caps"),
        pytest.param(("zones", "laptop", 0), "bezel", "'bezel' is not a DefectZone", id="unknown-zone"),
        pytest.param(("kind_caps", 0, "kind"), "smudge", "'smudge' is not a DefectKind", id="unknown-kind"),
        pytest.param(("ctia", "fair"), "E", "'E' is not a CtiaGrade", id="unknown-ctia"),
    ],
)
def test_bad_rubric_data_is_rejected(path: tuple[str | int, ...], value: object, message: str) -> None:
    with pytest.raises(RuleDataError, match=message):
        parse_rubric(_edited(path, value))

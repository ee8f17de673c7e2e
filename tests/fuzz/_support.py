"""Shared strategies for the bad-input sweep: mutations of real captured outputs, odd values, and a hang guard.

Every fuzz test states one property: the parser returns a value (with unknowns) or raises its module's own error
class; anything else (another exception, a hang, a made-up 100 %) is a bug.
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
LAPTOP_SAMPLES = ROOT / "drivers" / "laptop" / "samples"
ANDROID_SAMPLES = ROOT / "drivers" / "sim" / "android_data"
PER_EXAMPLE_SECONDS = 5.0  # far above any parser's real time; only a loop or a blow-up reaches it


def fuzz_settings(max_examples: int) -> settings:
    """Sized for ``make test``; ``REFURB_FUZZ_SCALE=20`` runs twenty times as many examples for a longer hunt."""
    scale = float(os.environ.get("REFURB_FUZZ_SCALE", "1"))
    return settings(
        max_examples=max(1, int(max_examples * scale)),
        deadline=None,  # the hang guard below bounds each example instead
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


class Hang(Exception):
    """A parser ran past PER_EXAMPLE_SECONDS on one input."""


@contextlib.contextmanager
def time_limit(seconds: float = PER_EXAMPLE_SECONDS) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread if the block runs longer than ``seconds`` (SIGALRM)."""

    def on_alarm(signum: int, frame: object) -> None:
        raise Hang(f"no answer in {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_parser(parse: Callable[[], Any], allowed: tuple[type[BaseException], ...]) -> tuple[Any, BaseException | None]:
    """Call ``parse`` under the hang guard: (result, None) or (None, the allowed error). Anything else propagates."""
    with time_limit():
        try:
            return parse(), None
        except allowed as exc:
            return None, exc


def sample(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


# --- odd values --------------------------------------------------------------------------------------------------

HUGE = 10**400
ODD_NUMBERS_TEXT = (
    "0",
    "-1",
    "-0",
    "00000000000000000000001",
    "4294967296",
    "18446744073709551616",
    "9" * 50,
    "9" * 5000,
    "1e309",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1.5",
    "1,5",
    "٣٤",  # Arabic-Indic digits: str.isdigit() is True, int() accepts them
    "¹²³",  # superscripts: isdigit() True, int() refuses
    "0x10",
    "",
    " ",
)
ODD_TOKENS_TEXT = (
    *ODD_NUMBERS_TEXT,
    "\x00",
    "\ufffd",
    "\u202e",
    "é",
    "💥",
    "\r",
    "\n",
    "\t",
    ":",
    "=",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    '"',
    "<",
    ">",
    "&",
    "\\",
    "%",
)
odd_tokens = st.sampled_from(ODD_TOKENS_TEXT) | st.text(max_size=8)

odd_scalars: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, -1, 1, 100, 101, 2**31, 2**63, 2**64, HUGE, -HUGE]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308]),
    st.text(max_size=20),
    st.sampled_from(ODD_TOKENS_TEXT),
    st.binary(max_size=16),
)

json_scalars: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([0, -1, 100, 101, 2**64, HUGE]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(ODD_TOKENS_TEXT),
)
json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
odd_values: st.SearchStrategy[Any] = st.recursive(
    odd_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


# --- text mutations ------------------------------------------------------------------------------------------------


@st.composite
def mutated_text(draw: st.DrawFn, original: str, max_edits: int = 6) -> str:
    """``original`` after a few edits: truncation, deletions, duplicated lines, odd tokens, flipped characters."""
    text = original
    for _ in range(draw(st.integers(0, max_edits))):
        if not text:
            text = draw(odd_tokens)
            continue
        kind = draw(st.integers(0, 6))
        at = draw(st.integers(0, len(text)))
        if kind == 0:  # truncate
            text = text[:at]
        elif kind == 1:  # delete a span
            end = draw(st.integers(at, min(len(text), at + 40)))
            text = text[:at] + text[end:]
        elif kind == 2:  # insert an odd token
            text = text[:at] + draw(odd_tokens) + text[at:]
        elif kind == 3:  # flip one character
            if at < len(text):
                text = text[:at] + chr((ord(text[at]) ^ (1 << draw(st.integers(0, 7)))) or 1) + text[at + 1 :]
        elif kind == 4:  # replace a run of digits by an odd number
            digits_at = [i for i, c in enumerate(text) if c.isdigit()]
            if digits_at:
                start = draw(st.sampled_from(digits_at))
                end = start
                while end < len(text) and text[end].isdigit():
                    end += 1
                text = text[:start] + draw(st.sampled_from(ODD_NUMBERS_TEXT)) + text[end:]
        elif kind == 5:  # duplicate or drop a line
            lines = text.splitlines(keepends=True)
            index = draw(st.integers(0, len(lines) - 1))
            if draw(st.booleans()):
                lines.insert(index, lines[index])
            else:
                del lines[index]
            text = "".join(lines)
        else:  # repeat a slice many times (long lines, deep repetition)
            end = draw(st.integers(at, min(len(text), at + 20)))
            text = text[:at] + text[at:end] * draw(st.integers(2, 200)) + text[end:]
    return text


def text_inputs(*originals: str) -> st.SearchStrategy[str]:
    """Mutations of any of the captured outputs, or raw random text."""
    return st.one_of(
        st.sampled_from(originals).flatmap(lambda original: mutated_text(original)),
        st.text(max_size=400),
        st.sampled_from(ODD_TOKENS_TEXT),
    )


@st.composite
def flipped_bytes(draw: st.DrawFn, original: bytes, max_flips: int = 8) -> bytes:
    data = bytearray(original)
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, max_flips))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data)


# --- structure mutations -------------------------------------------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_paths(value, (*prefix, index)))
    return out


@st.composite
def mutated_structure(draw: st.DrawFn, original: Any, values: st.SearchStrategy[Any] = odd_values) -> Any:
    """A deep copy of ``original`` (dicts and lists) with a few values replaced, keys dropped or nesting deepened."""
    document = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 5))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        if not path:
            document = draw(values) if draw(st.integers(0, 9)) == 0 else document
            continue
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        kind = draw(st.integers(0, 3))
        if kind == 0 and isinstance(parent, dict):
            del parent[path[-1]]
        elif kind == 1:
            parent[path[-1]] = [parent[path[-1]]] if draw(st.booleans()) else {"x": parent[path[-1]]}
        else:
            parent[path[-1]] = draw(values)
    return document


def json_text(document: Any) -> str:
    """JSON as a sloppy producer writes it (NaN and Infinity allowed, non-ASCII raw)."""
    return json.dumps(document, ensure_ascii=False, allow_nan=True, default=repr)


def deep_nesting(opening: str, closing: str, depth: int = 100_000) -> str:
    return opening * depth + closing * depth

"""One table of every benchmark figure: each benchmark calls ``record(...)`` (the fixture in ``conftest.py``), the
session prints the table at the end and writes it to ``docs/benchmarks.md``.

A figure may have a target (met or not, in the figure's direction) and a peer: the same thing measured in the same
run by another tool or the other way (dd for the eraser, pymobiledevice3 directly for the iOS driver, one device for
sixteen, SQLite for PostgreSQL...), so the ratio to the peer means something on any machine.
"""

from __future__ import annotations

import dataclasses
import os
import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol


@dataclasses.dataclass(frozen=True, slots=True)
class Figure:
    group: str  # the benchmark module, e.g. "search"
    name: str
    figure: float
    unit: str
    target: float | None = None
    peer: float | None = None
    peer_name: str = ""
    higher_is_better: bool = False

    @property
    def target_ratio(self) -> float | None:
        return self.figure / self.target if self.target else None

    @property
    def peer_ratio(self) -> float | None:
        return self.figure / self.peer if self.peer else None

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.figure >= self.target if self.higher_is_better else self.figure <= self.target


class Recorder(Protocol):
    def __call__(
        self,
        name: str,
        figure: float,
        unit: str,
        target: float | None = None,
        peer: float | None = None,
        *,
        peer_name: str = "",
        higher_is_better: bool = False,
    ) -> None: ...


class Collector:
    """The figures of one pytest session, in the order they were recorded."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def recorder(self, group: str) -> Recorder:
        def record(
            name: str,
            figure: float,
            unit: str,
            target: float | None = None,
            peer: float | None = None,
            *,
            peer_name: str = "",
            higher_is_better: bool = False,
        ) -> None:
            self.figures.append(Figure(group, name, float(figure), unit, target, peer, peer_name, higher_is_better))

        return record


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _cells(figure: Figure) -> tuple[str, str, str, str, str, str]:
    unit = f" {figure.unit}" if figure.unit else ""
    target = ""
    if figure.target is not None:
        target = f"{'≥' if figure.higher_is_better else '≤'} {_number(figure.target)}{unit}"
    target_ratio = f"{figure.target_ratio:.2f}" if figure.target_ratio is not None else ""
    met = {None: "", True: "ok", False: "MISSED"}[figure.met]
    peer = f"{_number(figure.peer)}{unit} ({figure.peer_name})" if figure.peer is not None else ""
    peer_ratio = f"{figure.peer_ratio:.2f}" if figure.peer_ratio is not None else ""
    return f"{_number(figure.figure)}{unit}", target, target_ratio, met, peer, peer_ratio


HEADERS = ("benchmark", "figure", "target", "÷ target", "", "peer (same run)", "÷ peer")


def rows(figures: Sequence[Figure]) -> list[tuple[str, ...]]:
    return [(f"{f.group}: {f.name}", *_cells(f)) for f in figures]


def text_table(figures: Sequence[Figure]) -> str:
    table = [HEADERS, *rows(figures)]
    widths = [max(len(row[column]) for row in table) for column in range(len(HEADERS))]
    right = {1, 3}

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(width) if column in right else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    return "\n".join([line(table[0]), "  ".join("-" * width for width in widths), *map(line, table[1:])])


def markdown(figures: Sequence[Figure], *, command: str, scale: str) -> str:
    def escape(cell: str) -> str:
        return cell.replace("|", "\\|")

    body = [
        "# Benchmarks",
        "",
        "Written by `make bench` (tests/benchmarks/conftest.py); do not edit by hand. Figures are measured, never "
        "asserted; a target is what the issue asks for, a peer is the same work measured in the same run another "
        "way, so its ratio holds on any machine.",
        "",
        f"- run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `{command}`",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPU(s), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        f"- REFURB_BENCH_SCALE={scale}",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join(("---", "---:", "---", "---:", "---", "---", "---:")) + "|",
    ]
    body += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows(figures)]
    return "\n".join(body) + "\n"

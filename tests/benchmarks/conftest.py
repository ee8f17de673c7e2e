"""The benchmarks' shared figure table: ``record`` collects, the end of the session prints and writes it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.benchmarks.figures import Collector, Recorder, markdown, text_table

REPORT = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
_COLLECTOR = pytest.StashKey[Collector]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_COLLECTOR] = Collector()


@pytest.fixture
def record(request: pytest.FixtureRequest) -> Recorder:
    """``record(name, figure, unit, target=None, peer=None, *, peer_name="", higher_is_better=False)``."""
    group = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_bench_")
    return request.config.stash[_COLLECTOR].recorder(group)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    figures = config.stash[_COLLECTOR].figures
    if not figures:
        return
    terminalreporter.section("benchmarks")
    terminalreporter.write_line(text_table(figures))
    command = "pytest " + " ".join(config.invocation_params.args)
    REPORT.write_text(markdown(figures, command=command, scale=os.environ.get("REFURB_BENCH_SCALE", "1.0")))
    terminalreporter.write_line(f"written to {REPORT}")

"""Running the laptop's own tools (smartctl, lsblk, dmidecode, nvme, hdparm...) behind one small, injectable seam.

Drivers receive a :class:`CommandRunner`; the agent passes :class:`SubprocessRunner`, the tests and ``--simulate``
pass :class:`CapturedRunner` holding outputs captured from real machines. A missing tool or a refusal for lack of
privileges is a :class:`~drivers.laptop.errors.ToolUnavailable` with the reason, so callers can report "unknown".
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from drivers.laptop.errors import ToolUnavailable

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 120.0


@dataclasses.dataclass(frozen=True, slots=True)
class CommandResult:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str = ""


class CommandRunner(Protocol):
    def run(self, argv: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT) -> CommandResult: ...


_PERMISSION_HINTS = ("permission denied", "operation not permitted", "must be root", "are you root")


def _looks_unprivileged(text: str) -> bool:
    lowered = text.lower()
    return any(hint in lowered for hint in _PERMISSION_HINTS)


class SubprocessRunner:
    """Runs the real tools. A non-zero exit status is returned, not raised: smartctl's status is a bit field."""

    def run(self, argv: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT) -> CommandResult:
        if not argv:
            raise ValueError("empty command")
        tool = argv[0]
        if shutil.which(tool) is None:
            raise ToolUnavailable(f"{tool} is not installed", device=tool)
        log.debug("running %s", " ".join(argv))
        try:
            done = subprocess.run(
                list(argv), capture_output=True, text=True, timeout=timeout, check=False, errors="replace"
            )
        except subprocess.TimeoutExpired as exc:
            raise ToolUnavailable(f"{tool} did not answer within {timeout:.0f} s", device=tool) from exc
        except OSError as exc:
            raise ToolUnavailable(f"{tool} cannot run: {exc}", device=tool) from exc
        if done.returncode != 0 and not done.stdout.strip() and _looks_unprivileged(done.stderr):
            raise ToolUnavailable(
                f"{tool} needs root: {done.stderr.strip().splitlines()[0]}", device=tool, raw=done.stderr
            )
        return CommandResult(tuple(argv), done.returncode, done.stdout, done.stderr)


Answer = CommandResult | Callable[[Sequence[str]], CommandResult]


class CapturedRunner:
    """Answers from captured outputs keyed by the exact command line (joined by spaces); records what was asked.

    A command absent from the table behaves as a missing tool, exactly as on a machine without it.
    """

    def __init__(self, answers: Mapping[str, Answer] | None = None) -> None:
        self.answers: dict[str, Answer] = dict(answers or {})
        self.calls: list[tuple[str, ...]] = []

    def add(self, command: str, stdout: str, returncode: int = 0, stderr: str = "") -> None:
        self.answers[command] = CommandResult(tuple(command.split()), returncode, stdout, stderr)

    def run(self, argv: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT) -> CommandResult:
        self.calls.append(tuple(argv))
        answer = self.answers.get(" ".join(argv))
        if answer is None:
            raise ToolUnavailable(f"{argv[0]} is not installed", device=argv[0])
        if callable(answer):
            return answer(argv)
        if answer.returncode != 0 and not answer.stdout.strip() and _looks_unprivileged(answer.stderr):
            raise ToolUnavailable(f"{argv[0]} needs root: {answer.stderr.strip()}", device=argv[0], raw=answer.stderr)
        return answer

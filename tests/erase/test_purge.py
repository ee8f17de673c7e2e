"""Purge planning and running on captured nvme-cli / hdparm outputs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from audit.readings import ErasureStatus, NistLevel, VerificationResult
from drivers.erase.errors import PurgeUnavailable
from drivers.erase.purge import (
    PurgeMethod,
    parse_hdparm_identify,
    parse_hdparm_sanitize_status,
    parse_hidden_areas,
    parse_nvme_sanitize_log,
    plan_purge,
    run_purge,
)
from drivers.laptop.runner import CapturedRunner, CommandResult
from drivers.sim.laptop import SimLaptop, sample


def _ata_runner(identify: str, hpa: str = "hdparm_N.txt") -> CapturedRunner:
    runner = CapturedRunner()
    runner.add("hdparm -I /dev/sdb", sample(identify))
    runner.add("hdparm -N /dev/sdb", sample(hpa))
    runner.add("hdparm --dco-identify /dev/sdb", sample("hdparm_dco.txt"))
    return runner


def test_hdparm_identify_flags() -> None:
    frozen = parse_hdparm_identify(sample("hdparm_I_frozen.txt"))
    assert (frozen.frozen, frozen.locked, frozen.security_enabled, frozen.enhanced_erase) == (True, False, False, True)
    assert (frozen.model, frozen.erase_minutes, frozen.sanitize) == ("Samsung SSD 860 EVO 500GB", 2, False)
    sanitize = parse_hdparm_identify(sample("hdparm_I_sanitize.txt"))
    assert (sanitize.frozen, sanitize.sanitize, sanitize.sanitize_crypto, sanitize.sanitize_overwrite) == (
        False,
        True,
        True,
        False,
    )


@pytest.mark.parametrize(
    ("hpa", "dco", "hidden", "text"),
    [
        ("hdparm_N.txt", "hdparm_dco.txt", False, "HPA disabled, DCO none"),
        (
            "hdparm_N_hpa.txt",
            "hdparm_dco.txt",
            True,
            "HPA enabled: 937,703,088 of 976,773,168 sectors visible, DCO none",
        ),
    ],
    ids=["clean", "hpa"],
)
def test_hidden_areas(hpa: str, dco: str, hidden: bool, text: str) -> None:
    areas = parse_hidden_areas(sample(hpa), sample(dco))
    assert (areas.hidden, areas.describe()) == (hidden, text)


def test_dco_restriction_is_seen() -> None:
    areas = parse_hidden_areas(sample("hdparm_N.txt"), sample("hdparm_dco.txt").replace("976773168", "1953525168"))
    assert areas.hidden
    assert "DCO restricts the drive" in areas.describe()


@pytest.mark.parametrize(
    ("identify", "method", "first"),
    [
        ("hdparm_I_sanitize.txt", PurgeMethod.ATA_SANITIZE_CRYPTO, "--sanitize-crypto-scramble"),
        ("hdparm_I_security.txt", PurgeMethod.ATA_ENHANCED_SECURITY_ERASE, "--security-set-pass"),
    ],
    ids=["sanitize-crypto", "enhanced-security-erase"],
)
def test_ata_plans(identify: str, method: PurgeMethod, first: str) -> None:
    plan = plan_purge("/dev/sdb", _ata_runner(identify), size_bytes=500107862016)
    assert plan.method is method
    assert first in plan.commands[0]
    assert plan.hpa_dco == "HPA disabled, DCO none"
    assert any("NIST SP 800-88 Purge" in line for line in plan.describe())


def test_frozen_drive_is_refused_with_what_to_do() -> None:
    with pytest.raises(PurgeUnavailable, match=r"frozen.*suspend and resume"):
        plan_purge("/dev/sdb", _ata_runner("hdparm_I_frozen.txt"))


def test_locked_drive_is_refused() -> None:
    text = sample("hdparm_I_security.txt").replace("not\tlocked", "\tlocked")
    runner = _ata_runner("hdparm_I_security.txt")
    runner.add("hdparm -I /dev/sdb", text)
    with pytest.raises(PurgeUnavailable, match="locked"):
        plan_purge("/dev/sdb", runner)


def test_hpa_is_noted_in_the_plan() -> None:
    plan = plan_purge("/dev/sdb", _ata_runner("hdparm_I_sanitize.txt", hpa="hdparm_N_hpa.txt"))
    assert "HPA enabled" in plan.hpa_dco
    assert any("hidden areas" in note for note in plan.notes)


@pytest.mark.parametrize(
    ("id_ctrl", "method", "command"),
    [
        ("nvme_id_ctrl.json", PurgeMethod.NVME_SANITIZE_CRYPTO, ("nvme", "sanitize", "/dev/nvme0", "--sanact=4")),
        (
            "nvme_id_ctrl_format_only.json",
            PurgeMethod.NVME_FORMAT_USER_DATA,
            ("nvme", "format", "/dev/nvme0n1", "--ses=1", "--force"),
        ),
    ],
    ids=["sanitize", "format-only"],
)
def test_nvme_plans(id_ctrl: str, method: PurgeMethod, command: tuple[str, ...]) -> None:
    runner = CapturedRunner()
    runner.add("nvme id-ctrl /dev/nvme0 -o json", sample(id_ctrl))
    plan = plan_purge("/dev/nvme0n1", runner)
    assert (plan.method, plan.commands[0]) == (method, command)


def test_nvme_without_any_purge_is_refused() -> None:
    runner = CapturedRunner()
    runner.add("nvme id-ctrl /dev/nvme0 -o json", '{"oacs": 0, "sanicap": 0, "fna": 0}')
    with pytest.raises(PurgeUnavailable, match="neither sanitize nor format"):
        plan_purge("/dev/nvme0n1", runner)


def test_missing_tool_is_unavailable() -> None:
    with pytest.raises(PurgeUnavailable, match="nvme is not installed"):
        plan_purge("/dev/nvme0n1", CapturedRunner())


def _polling(runner: CapturedRunner, command: str, answers: Sequence[str]) -> None:
    queue = list(answers)

    def answer(argv: Sequence[str]) -> CommandResult:
        return CommandResult(tuple(argv), 0, sample(queue.pop(0) if len(queue) > 1 else queue[0]))

    runner.answers[command] = answer


def test_nvme_sanitize_runs_and_polls_to_completion(tmp_path: Path) -> None:
    laptop = SimLaptop(tmp_path)
    plan = plan_purge("/dev/nvme0n1", laptop.runner, size_bytes=512110190592)
    laptop.runner.add("nvme sanitize /dev/nvme0 --sanact=4", "")
    _polling(
        laptop.runner,
        "nvme sanitize-log /dev/nvme0 -o json",
        ["nvme_sanitize_log_running.json", "nvme_sanitize_log_done.json"],
    )
    seen: list[float | None] = []
    sleeps: list[float] = []
    report = run_purge(plan, laptop.runner, progress=seen.append, sleep=sleeps.append, poll_interval=1.0)
    assert report.status is ErasureStatus.ERASED, report.errors
    assert (report.nist_level, report.verification_result) == (NistLevel.PURGE, VerificationResult.PASSED)
    assert report.commands == ("nvme sanitize /dev/nvme0 --sanact=4",)
    assert seen == [pytest.approx(1 / 3, abs=0.01), 1.0]
    assert sleeps == [1.0]
    assert report.media.serial == "S4ENNX0N123456"
    assert report.outcome().succeeded


@pytest.mark.parametrize(
    ("sanitize_rc", "log", "error"),
    [
        (1, "nvme_sanitize_log_done.json", "failed (1)"),
        (0, "nvme_sanitize_log_failed.json", "reports the sanitize failed"),
    ],
    ids=["command-refused", "drive-reports-failure"],
)
def test_nvme_sanitize_failures(tmp_path: Path, sanitize_rc: int, log: str, error: str) -> None:
    laptop = SimLaptop(tmp_path)
    plan = plan_purge("/dev/nvme0n1", laptop.runner)
    laptop.runner.add("nvme sanitize /dev/nvme0 --sanact=4", "", sanitize_rc, "NVMe status: INVALID_FIELD")
    laptop.runner.add("nvme sanitize-log /dev/nvme0 -o json", sample(log))
    report = run_purge(plan, laptop.runner, sleep=lambda _: None)
    assert report.status is ErasureStatus.FAILED
    assert error in report.errors[0]
    assert not report.outcome().succeeded


def test_purge_that_never_finishes_times_out() -> None:
    runner = _ata_runner("hdparm_I_sanitize.txt")
    plan = plan_purge("/dev/sdb", runner)
    runner.add(" ".join(plan.commands[0]), "")
    runner.add("hdparm --sanitize-status /dev/sdb", sample("hdparm_sanitize_status_running.txt"))
    ticks = iter(range(0, 10**6, 60))
    report = run_purge(plan, runner, sleep=lambda _: None, timeout=300, clock=lambda: float(next(ticks)))
    assert report.status is ErasureStatus.FAILED
    assert "had not finished after 300 s" in report.errors[0]


def test_ata_security_erase_runs_both_commands() -> None:
    runner = _ata_runner("hdparm_I_security.txt")
    plan = plan_purge("/dev/sdb", runner)
    for command in plan.commands:
        runner.add(" ".join(command), 'security_password: "refurb"\n')
    report = run_purge(plan, runner)
    assert report.status is ErasureStatus.ERASED
    assert len(report.commands) == 2
    assert report.verification == "device report"


@pytest.mark.parametrize(
    ("text", "state", "progress"),
    [
        (sample("hdparm_sanitize_status_running.txt"), "in progress", 0.5),
        (sample("hdparm_sanitize_status_done.txt"), "completed", 1.0),
        (
            "Sanitize status:\n    State:    SD0 Sanitize Idle\n    Sanitize operation completed with error\n",
            "failed",
            None,
        ),
    ],
    ids=["running", "done", "error"],
)
def test_hdparm_sanitize_status(text: str, state: str, progress: float | None) -> None:
    status = parse_hdparm_sanitize_status(text)
    assert (status.state, status.progress) == (state, progress)


def test_nvme_sanitize_log_formats() -> None:
    assert parse_nvme_sanitize_log('{"sprog": 65535, "sstat": 1}').state == "completed"
    assert parse_nvme_sanitize_log(sample("nvme_sanitize_log_running.json")).state == "in progress"
    with pytest.raises(PurgeUnavailable):
        parse_nvme_sanitize_log("[]")

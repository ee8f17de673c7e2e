"""The overwrite engine on real files in tmp dirs: every byte overwritten and read back, and every fault FAILED."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from audit.readings import ErasureStatus, NistLevel, VerificationResult
from drivers.erase.overwrite import MIB, OverwritePlan, Overwriter, Pattern, Progress, overwrite, pattern_bytes
from drivers.erase.report import VerifyMode

ROOT = Path(__file__).resolve().parents[2]
SIZE = 5 * MIB + 1234  # not a multiple of the block or of the sector: the tail goes through buffered I/O
BLOCK = MIB


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "disk.img"
    path.write_bytes(os.urandom(SIZE))  # "user data" that must not survive
    return path


def _expected_final(plan: OverwritePlan, seed: int, size: int) -> bytes:
    last = len(plan.patterns) - 1
    return pattern_bytes(plan.patterns[-1], seed, last, 0, size)


@pytest.mark.parametrize(
    ("patterns", "verify", "verified_bytes"),
    [
        ((Pattern.ZEROS,), VerifyMode.LAST, SIZE),
        ((Pattern.ZEROS,), VerifyMode.NONE, 0),
        ((Pattern.ONES,), VerifyMode.LAST, SIZE),
        ((Pattern.RANDOM,), VerifyMode.LAST, SIZE),
        ((Pattern.RANDOM, Pattern.ZEROS), VerifyMode.ALL, 2 * SIZE),
        ((Pattern.RANDOM, Pattern.RANDOM), VerifyMode.LAST, SIZE),
    ],
    ids=["zeros-last", "zeros-none", "ones", "random", "random-then-zeros-all", "two-random"],
)
def test_every_byte_overwritten_and_verified(
    target: Path, patterns: tuple[Pattern, ...], verify: VerifyMode, verified_bytes: int
) -> None:
    plan = OverwritePlan(target, patterns=patterns, verify=verify, seed=1234, block_size=BLOCK)
    report = overwrite(plan)
    assert report.status is ErasureStatus.ERASED, report.errors
    expected = VerificationResult.NOT_VERIFIED if verify is VerifyMode.NONE else VerificationResult.PASSED
    assert report.verification_result is expected
    assert (report.bytes_erased, report.bytes_written, report.bytes_verified) == (
        SIZE,
        SIZE * len(patterns),
        verified_bytes,
    )
    assert target.read_bytes() == _expected_final(plan, 1234, SIZE)  # read independently of the engine
    outcome = report.outcome()
    assert (outcome.nist_level, outcome.bytes_erased, outcome.succeeded) == (NistLevel.CLEAR, SIZE, True)
    assert str(target) in outcome.media


def test_random_passes_differ_and_are_recorded(target: Path) -> None:
    report = overwrite(OverwritePlan(target, patterns=(Pattern.RANDOM,), seed=99, block_size=BLOCK))
    assert report.prng == "AES-128-CTR keystream, seed 0x63"
    assert pattern_bytes(Pattern.RANDOM, 99, 0, 0, 64) != pattern_bytes(Pattern.RANDOM, 99, 1, 0, 64)
    assert pattern_bytes(Pattern.RANDOM, 99, 0, 4096, 32) == target.read_bytes()[4096 : 4096 + 32]


def _corrupt_at_verify(path: Path, offset: int) -> tuple[list[Progress], object]:
    seen: list[Progress] = []

    def on_progress(progress: Progress) -> None:
        if progress.phase == "verify" and progress.done == 0 and not seen:
            with path.open("r+b") as handle:
                handle.seek(offset)
                handle.write(b"\x5a" * 16)
            seen.append(progress)

    return seen, on_progress


@pytest.mark.parametrize(
    ("verify", "offset"),
    [(VerifyMode.LAST, 3 * MIB + 700), (VerifyMode.ALL, 10), (VerifyMode.SAMPLE, SIZE - 20)],
    ids=["last", "all", "sample-last-block"],
)
def test_a_corrupted_block_fails_verification(target: Path, verify: VerifyMode, offset: int) -> None:
    seen, on_progress = _corrupt_at_verify(target, offset)
    report = overwrite(
        OverwritePlan(target, verify=verify, block_size=BLOCK, sample_fraction=0.2),
        progress=on_progress,  # type: ignore[arg-type]
    )
    assert seen
    assert report.status is ErasureStatus.FAILED
    assert report.verification_result is VerificationResult.FAILED
    assert report.verify_errors == 1
    block_start = offset // BLOCK * BLOCK
    assert f"block at byte {block_start:,}" in report.errors[0]
    assert f"first differing sector at byte {offset // 512 * 512:,}" in report.errors[0]
    assert not report.outcome().succeeded


def test_sample_reads_the_stated_fraction_plus_the_ends(target: Path) -> None:
    plan = OverwritePlan(target, verify=VerifyMode.SAMPLE, sample_fraction=0.25, seed=5, block_size=256 * 1024)
    blocks = Overwriter(plan).sample_blocks(SIZE)
    count = -(-SIZE // plan.block_size)
    assert blocks[0] == 0
    assert blocks[-1] == count - 1
    assert round(count * 0.25) <= len(blocks) <= round(count * 0.25) + 2
    assert Overwriter(plan).sample_blocks(SIZE) == blocks  # the seed decides: an auditor can re-draw it
    report = overwrite(plan)
    assert report.verification == "sampled 25.0% of the blocks"
    assert report.bytes_verified < SIZE
    assert report.verification_result is VerificationResult.PASSED


def test_full_disk_enospc_fails_with_the_error() -> None:
    report = overwrite(OverwritePlan(Path("/dev/full"), size=4 * MIB, block_size=BLOCK))
    assert report.status is ErasureStatus.FAILED
    assert report.pass_errors == 1
    assert "No space left on device" in report.errors[0]
    assert report.verification_result is VerificationResult.NOT_VERIFIED
    assert report.bytes_erased == 0


def test_io_error_mid_pass_fails_with_the_error(target: Path) -> None:
    """A real EFBIG from the kernel at 3 MiB (RLIMIT_FSIZE), in a child process so the limit stays there."""
    script = f"""
import json, resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({3 * MIB}, {3 * MIB}))
from drivers.erase.overwrite import OverwritePlan, overwrite
report = overwrite(OverwritePlan(Path(sys.argv[1]), block_size={BLOCK}))
print(json.dumps(report.as_dict()))
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)], capture_output=True, text=True, cwd=ROOT, timeout=60, check=True
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == "failed"
    assert report["pass_errors"] == 1
    assert report["errors"][0].startswith(f"pass 1 (zeros): write at byte {3 * MIB:,} failed: File too large")
    assert report["bytes_written"] == 3 * MIB
    assert report["verification_result"] == "not verified"


def test_target_shrinking_before_verification_fails(target: Path) -> None:
    def on_progress(progress: Progress) -> None:
        if progress.phase == "verify" and progress.done == 0:
            os.truncate(target, 2 * MIB)

    report = overwrite(OverwritePlan(target, block_size=BLOCK), progress=on_progress)
    assert report.status is ErasureStatus.FAILED
    assert report.verification_result is VerificationResult.FAILED
    assert "short read" in report.errors[0]


@pytest.mark.parametrize(
    ("path", "size", "message"),
    [("missing.img", None, "No such file"), ("disk.img", SIZE + 1, "fewer than"), ("/dev/zero", None, "no size")],
    ids=["missing", "smaller-than-planned", "char-device-without-size"],
)
def test_bad_targets_fail_cleanly(target: Path, path: str, size: int | None, message: str) -> None:
    report = overwrite(OverwritePlan(target.parent / path if not path.startswith("/") else Path(path), size=size))
    assert report.status is ErasureStatus.FAILED
    assert message in report.errors[0]


def test_cancel_aborts(target: Path) -> None:
    cancel = threading.Event()

    def on_progress(progress: Progress) -> None:
        if progress.done >= BLOCK:
            cancel.set()

    plan = OverwritePlan(target, block_size=BLOCK)
    report = Overwriter(plan, progress=on_progress, cancel=cancel, clock=iter(range(10**6)).__next__).run()
    assert report.status is ErasureStatus.ABORTED
    assert "cancelled" in report.errors[0]


def test_progress_is_reported_and_a_broken_display_does_not_break_the_wipe(target: Path) -> None:
    seen: list[Progress] = []
    ticks = iter(range(10**6))
    Overwriter(OverwritePlan(target, block_size=BLOCK), progress=seen.append, clock=lambda: float(next(ticks))).run()
    phases = [(p.phase, p.done) for p in seen]
    assert phases[0] == ("write", 0)
    assert ("write", SIZE) in phases
    assert phases[-1] == ("verify", SIZE)
    writes = [p.done for p in seen if p.phase == "write"]
    assert writes == sorted(writes)
    assert all(p.rate >= 0 for p in seen)

    def broken(_: Progress) -> None:
        raise RuntimeError("display gone")

    assert overwrite(OverwritePlan(target, block_size=BLOCK), progress=broken).status is ErasureStatus.ERASED


@pytest.mark.parametrize("direct", [True, False], ids=["direct-if-accepted", "buffered"])
def test_on_tmpfs_either_io_path_erases(direct: bool) -> None:
    """tmpfs accepts O_DIRECT on recent kernels and refuses it on older ones: both must end ERASED."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        pytest.skip("no writable tmpfs at /dev/shm here")
    with tempfile.NamedTemporaryFile(dir=shm) as handle:
        handle.write(os.urandom(2 * MIB + 100))
        handle.flush()
        report = overwrite(OverwritePlan(Path(handle.name), block_size=BLOCK, direct=direct))
        assert report.status is ErasureStatus.ERASED
        if not direct:
            assert report.direct_io is False
        assert Path(handle.name).read_bytes() == bytes(2 * MIB + 100)


@pytest.mark.parametrize(
    "kwargs",
    [{"patterns": ()}, {"block_size": 1000}, {"sample_fraction": 0}, {"size": -1}],
    ids=["no-pass", "unaligned-block", "zero-fraction", "negative-size"],
)
def test_plan_validation(kwargs: dict[str, object]) -> None:
    from drivers.erase.errors import EraseError

    with pytest.raises(EraseError):
        OverwritePlan(Path("x"), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("patterns", "verify", "corrupt"),
    [
        ((Pattern.RANDOM,), VerifyMode.LAST, False),
        ((Pattern.ZEROS, Pattern.RANDOM), VerifyMode.ALL, False),
        ((Pattern.RANDOM,), VerifyMode.LAST, True),
    ],
    ids=["random", "two-passes-all", "corrupted-mid-read-ahead"],
)
def test_the_io_thread_is_gone_after_the_wipe(
    target: Path, patterns: tuple[Pattern, ...], verify: VerifyMode, corrupt: bool
) -> None:
    """Writes and reads run on I/O threads ahead of this one; they end with the wipe, whatever the outcome."""
    before = set(threading.enumerate())

    def on_progress(progress: Progress) -> None:
        if corrupt and progress.phase == "verify" and progress.done == 0:
            with target.open("r+b") as handle:  # the last block: read ahead while the first ones are checked
                handle.seek(SIZE - 100)
                handle.write(b"\x01")

    plan = OverwritePlan(target, patterns=patterns, verify=verify, seed=9, block_size=256 * 1024)
    report = overwrite(plan, progress=on_progress)
    assert set(threading.enumerate()) == before
    assert report.status is (ErasureStatus.FAILED if corrupt else ErasureStatus.ERASED)
    if corrupt:
        assert report.verify_errors == 1
        assert f"first differing sector at byte {(SIZE - 100) // 512 * 512:,}" in report.errors[0]
    else:
        assert target.read_bytes() == _expected_final(plan, 9, SIZE)

"""A station in a child process: walks devices through the real services until killed (``test_kill9``).

    python -m tests.crash.crash_worker DATABASE_URL SEED DEVICES

Each device is found by IMEI (or registered) and moved on from the state the database says it is in, the way a
station restarted after a crash picks up its work: so a second run on the same file finishes what a killed one left.
Before each service call it prints ``begin <step> <device>``; after the call committed, ``done <step> <device>
<record>`` (the id of the row the call wrote, ``-`` if none), one flushed line each, so the parent knows what was
committed when it kills the process. ``finished`` is the last line of a run that reached its end.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from audit import db, services
from audit.certificates import Signer
from audit.errors import NotFound
from audit.models import BatteryRecord, Device, FunctionalRecord, LockRecord
from audit.readings import (
    CosmeticDefect,
    DefectKind,
    DefectSeverity,
    DefectZone,
    FunctionalResult,
    LockStatus,
)
from audit.rules.identifiers import luhn_check_digit
from audit.unit_of_work import UnitOfWork
from tests.audit.bench_flow import all_functional, battery, clear_locks, erasure, iphone

UowFactory = Callable[[], UnitOfWork]
TECH, AUDITOR, WAREHOUSE, STATION = "tech", "audrey", "wendy", "bench-1"


def device_imei(seed: int, index: int) -> str:
    body = f"35{seed % 10_000:04d}{index:08d}"
    return body + str(luhn_check_digit(body))


def device_serial(seed: int, index: int) -> str:
    return f"C{seed % 10_000:04d}X{index:05d}"


def say(*words: object) -> None:
    sys.stdout.write(" ".join(str(word) for word in words) + "\n")
    sys.stdout.flush()


def step(name: str, device: int | str, call: Callable[[], Any]) -> Any:
    say("begin", name, device)
    result = call()
    say("done", name, device, "-" if result is None or isinstance(result, bool) else result)
    return result


def _pending_readings(uow_factory: UowFactory, inspection_id: int, defect: CosmeticDefect | None) -> list[Any]:
    """The readings this pass still lacks: a resumed pass keeps what was recorded before the crash."""
    with uow_factory() as uow:
        session = uow.session
        has_locks = session.execute(sa.select(LockRecord.id).where(LockRecord.inspection_id == inspection_id)).first()
        has_battery = session.execute(
            sa.select(BatteryRecord.id).where(BatteryRecord.inspection_id == inspection_id)
        ).first()
        tested = set(
            session.execute(
                sa.select(FunctionalRecord.test_id).where(FunctionalRecord.inspection_id == inspection_id)
            ).scalars()
        )
    readings: list[LockStatus | Any] = []
    if not has_locks:
        readings.append(clear_locks())
    if not has_battery:
        readings.append(battery())
    readings += [result for result in all_functional() if result.test_id not in tested]
    if defect is not None and not has_locks:  # a fresh pass: the defect was not recorded yet
        readings.append(defect)
    return readings


def _kind(reading: object) -> str:
    return {
        "LockStatus": "locks",
        "BatteryReading": "battery",
        "FunctionalResult": "functional",
        "CosmeticDefect": "defect",
    }[type(reading).__name__]


def inspect_device(uow_factory: UowFactory, device_id: int, rng: random.Random) -> None:
    def start() -> int:
        with uow_factory() as uow:
            return services.start_inspection(uow, TECH, device_id, station=STATION)

    inspection = step("start", device_id, start)
    defect = CosmeticDefect(DefectZone.BACK, DefectKind.SCRATCH, DefectSeverity.LIGHT) if rng.random() < 0.5 else None
    readings = _pending_readings(uow_factory, inspection, defect)
    interrupt_at = rng.randrange(len(readings)) if readings and rng.random() < 0.4 else None
    for position, reading in enumerate(readings):
        if position == interrupt_at:
            # The phone was unplugged mid-pass: the pass is kept, interrupted, and resumed when it comes back.
            def interrupt() -> None:
                with uow_factory() as uow:
                    services.interrupt_inspection(uow, TECH, inspection, "unplugged")

            step("interrupt", device_id, interrupt)
            resumed = step("start", device_id, start)
            if resumed != inspection:
                raise AssertionError(f"resumed inspection #{resumed}, expected #{inspection}")

        def record(reading: FunctionalResult | Any = reading) -> int:
            with uow_factory() as uow:
                return services.record_reading(uow, TECH, inspection, reading)

        say("begin", "reading", device_id)
        record_id = record()
        say("done", "reading", device_id, f"{_kind(reading)}:{record_id}")

    def finish() -> str:
        with uow_factory() as uow:
            return services.finish_inspection(uow, TECH, inspection).state.value

    step("finish", device_id, finish)


def advance(uow_factory: UowFactory, seed: int, index: int) -> None:
    """Move one device on from wherever it is until it is listed."""
    rng = random.Random(seed * 1_000 + index)
    imei = device_imei(seed, index)
    with uow_factory() as uow:
        try:
            device_id: int | None = services.find_device(uow, imei).id
        except NotFound:
            device_id = None
    if device_id is None:

        def register() -> int:
            with uow_factory() as uow:
                return services.register_device(uow, TECH, iphone(imei, device_serial(seed, index)))

        device_id = step("register", imei, register)
    signer = Signer.generate()
    while True:
        with uow_factory() as uow:
            state = uow.session.get_one(Device, device_id).state
        if state == "identified":
            inspect_device(uow_factory, device_id, rng)
            continue
        if state == "listed":
            return
        name, call = _next_call(uow_factory, device_id, state, signer)
        step(name, device_id, call)


def _next_call(uow_factory: UowFactory, device_id: int, state: str, signer: Signer) -> tuple[str, Callable[[], Any]]:
    def grade() -> None:
        with uow_factory() as uow:
            services.grade_device(uow, TECH, device_id, genuine_parts=True)

    def erase() -> int:
        with uow_factory() as uow:
            return services.record_erasure(uow, TECH, device_id, erasure())

    def certify() -> str:
        with uow_factory() as uow:
            return services.issue_certificate(uow, TECH, device_id, signer, station=STATION)

    def approve() -> None:
        with uow_factory() as uow:
            services.approve(uow, AUDITOR, device_id, "report checked")

    def hand_off() -> int:
        with uow_factory() as uow:
            return services.hand_off(uow, WAREHOUSE, device_id)

    calls: dict[str, tuple[str, Callable[[], Any]]] = {
        "inspected": ("grade", grade),
        "graded": ("erasure", erase),
        "erased": ("certificate", certify),
        "certified": ("approve", approve),
        "approved": ("hand_off", hand_off),
    }
    if state not in calls:
        raise AssertionError(f"device #{device_id} is {state}: this flow never leads there")
    return calls[state]


def main(argv: list[str]) -> int:
    url, seed, devices = argv[0], int(argv[1]), int(argv[2])
    engine = db.create_engine_for(url)
    sessions = db.session_factory(engine)

    def uow_factory() -> UnitOfWork:
        return UnitOfWork(sessions)

    say("ready")
    for index in range(devices):
        advance(uow_factory, seed, index)
    engine.dispose()
    say("finished")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

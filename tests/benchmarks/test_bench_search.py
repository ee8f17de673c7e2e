"""The auditor's search on 100k devices in SQLite (run with `make bench`; printed, never asserted against time).

The devices (with an inspection each, grades, erasures, reviews and a lot) are bulk-inserted with executemany.
Each search is measured with the exact count the page asks for by default, beside the same page with its count
stopped at 10,000 (``PageRequest.count_limit``, shown as "10,000+"), so the report can say what the cap buys.
"""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Callable
from datetime import date

from audit import db
from audit.queries import DeviceFilter, PageRequest, count_devices, erasure_qc_candidates, search_devices
from audit.unit_of_work import UnitOfWork
from tests.audit.bench_flow import make_users
from tests.audit.test_queries import imei_for, populate
from tests.benchmarks.figures import Recorder

DEVICES = 100_000
TARGET_MS = 100.0  # what a person waits for a search page without noticing
COUNT_LIMIT = 10_000


def _ms(action: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def test_search_on_100k_devices(sqlite_url: str, record: Recorder) -> None:
    engine = db.create_engine_for(sqlite_url)
    factory = functools.partial(UnitOfWork, db.session_factory(engine))
    make_users(factory)
    start = time.perf_counter()
    with factory() as uow:
        populate(uow.session.connection(), DEVICES, lot_size=500)
        uow.commit()
    generated = time.perf_counter() - start

    def run(f: DeviceFilter, request: PageRequest | None = None) -> Callable[[], object]:
        def go() -> object:
            with factory() as uow:
                return search_devices(uow, f, request or PageRequest(size=100))

        return go

    def count(f: DeviceFilter) -> Callable[[], object]:
        def go() -> object:
            with factory() as uow:
                return count_devices(uow, f)

        return go

    with factory() as uow:
        middle = search_devices(uow, DeviceFilter(), PageRequest(size=500, with_total=False))
        for _ in range(99):  # walk to page 100 (50,000 rows in) to time a deep keyset page
            assert middle.next is not None
            middle = search_devices(uow, DeviceFilter(), PageRequest(size=500, after=middle.next, with_total=False))
    deep = middle.next

    cases: list[tuple[str, Callable[[], object]]] = [
        ("whole IMEI, page + count", run(DeviceFilter(identifier=imei_for(73_214)))),
        ("IMEI prefix (100 matches), page + count", run(DeviceFilter(identifier=imei_for(73_214)[:12]))),
        ("serial prefix, page + count", run(DeviceFilter(identifier="SN00731"))),
        ("no filter: first page + count", run(DeviceFilter())),
        ("no filter: first page, no count", run(DeviceFilter(), PageRequest(size=100, with_total=False))),
        ("no filter: page after 50k rows", run(DeviceFilter(), PageRequest(size=100, after=deep, with_total=False))),
        ("count all", count(DeviceFilter())),
        ("state=certified, page + count", run(DeviceFilter(states=("certified",)))),
        (
            "technician + grade + dates, page + count",
            run(
                DeviceFilter(technician="tech", grade="good", active_from=date(2025, 4, 1), active_to=date(2025, 5, 1))
            ),
        ),
        ("grade=good (latest), page + count", run(DeviceFilter(grade="good"))),
        ("technician=tech, page + count", run(DeviceFilter(technician="tech"))),
        ("lot (500 devices), page + count", run(DeviceFilter(lot="BULK-1"))),
        ("review=rejected, page + count", run(DeviceFilter(review="rejected"))),
    ]

    def qc() -> object:
        with factory() as uow:
            return erasure_qc_candidates(uow, "audrey", start=date(2025, 3, 1), end=date(2025, 12, 31))

    cases.append(("R2v3 QC sample over 25k erasures", qc))

    capped = {
        "no filter: first page + count": run(DeviceFilter(), PageRequest(size=100, count_limit=COUNT_LIMIT)),
        "technician=tech, page + count": run(
            DeviceFilter(technician="tech"), PageRequest(size=100, count_limit=COUNT_LIMIT)
        ),
        "grade=good (latest), page + count": run(
            DeviceFilter(grade="good"), PageRequest(size=100, count_limit=COUNT_LIMIT)
        ),
    }
    figures = [(name, _ms(action)) for name, action in cases]
    with_cap = {name: _ms(action) for name, action in capped.items()}
    engine.dispose()

    print(f"\nauditor search, SQLite, {DEVICES:,} devices (generated in {generated:.1f} s)")
    print(f"  {'benchmark':<46} {'figure':>10} {'target':>8} {'ratio':>7}")
    for name, ms in figures:
        print(f"  {name:<46} {ms:>7.1f} ms {TARGET_MS:>5.0f} ms {ms / TARGET_MS:>6.2f}")
        record(f"SQLite 100k: {name}", ms, "ms", TARGET_MS)
    for name, ms in with_cap.items():
        exact = dict(figures)[name]
        print(
            f"  {name + f', count to {COUNT_LIMIT:,}+':<46} {ms:>7.1f} ms {TARGET_MS:>5.0f} ms {ms / TARGET_MS:>6.2f}"
        )
        record(f"SQLite 100k: {name} to {COUNT_LIMIT:,}+", ms, "ms", TARGET_MS, exact, peer_name="exact count")

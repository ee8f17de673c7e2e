"""Figures for the marketplace hand-off (run with `make bench`; printed, never asserted against time).

500 listings drained from a real SQLite outbox through the real httpx client to the simulator on the real clock, with
the client's limiter at Back Market's figures; then the raw request rate with the limiter out of the way, to show how
far above the 200 requests / 10 s allowance the station could go (which is why the limiter must exist).
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from app.commands.listings import ServiceOutbox
from app.station import Station
from audit import db
from audit.models import Device, Listing, User
from drivers.marketplace.backmarket import BackMarketClient, UserAgent
from drivers.marketplace.outbox import OutboxSender
from drivers.marketplace.rate_limit import Limits, RateLimiter
from drivers.marketplace.secrets import Secret
from drivers.sim.backmarket import BackMarketSimulator
from tests.benchmarks.figures import Recorder

TOKEN = "bench-token"
AGENT = UserAgent("RefurbStation", "Bench", "bench@refurb.example")
LISTINGS = 500
SKUS = 125  # 4 devices per SKU


def _seed(station: Station) -> None:
    """Approved, handed-off devices written straight into the outbox (the services' path is benchmarked elsewhere)."""
    now = datetime.now(UTC)
    with station.uow() as uow:
        user = User(name="wendy", role="warehouse")
        uow.session.add(user)
        uow.session.flush()
        for number in range(LISTINGS):
            device = Device(
                family="iphone", make="Apple", model=f"iPhone {number % SKUS}", serial=f"BENCH{number:06d}",
                storage_bytes=128_000_000_000, colour="Blue", state="listed", updated_by="wendy",
            )  # fmt: skip
            uow.session.add(device)
            uow.session.flush()
            uow.session.add(
                Listing(
                    device_id=device.id,
                    marketplace="backmarket",
                    sku=f"IPHONE-{number % SKUS}-128GB-BLUE-GOOD",
                    created_by_id=user.id,
                    market="fr-fr",
                    title="bench",
                    grade="GOOD",
                    price=Decimal("300.00"),
                    min_price=Decimal("250.00"),
                    currency="EUR",
                    quantity=1,
                    warranty_months=12,
                    next_attempt_at=now,
                    product_id=f"00000000-0000-4000-8000-{number % SKUS:012d}",
                )
            )
        uow.commit()


def _print(figures: list[tuple[str, float, str, float]]) -> None:
    print("\nmarketplace hand-off")
    print(f"  {'benchmark':<46} {'figure':>10}  {'target':<26} ratio")
    for name, value, target, limit in figures:
        print(f"  {name:<46} {value:>10,.2f}  {target:<26} {value / limit:,.2f}")


def test_marketplace_throughput(sqlite_url: str, tmp_path: Path, record: Recorder) -> None:
    engine = db.create_engine_for(sqlite_url)
    station = Station(engine=engine, sessions=db.session_factory(engine), name="bench", data_dir=tmp_path)
    _seed(station)
    with BackMarketSimulator(TOKEN) as sim:
        with BackMarketClient(Secret(TOKEN), AGENT, base_url=sim.url, rng=random.Random(1)) as client:
            sender = OutboxSender(client, ServiceOutbox(station, "wendy"), rng=random.Random(1))
            start = time.perf_counter()
            report = sender.run(poll_seconds=0.05)
            drain_seconds = time.perf_counter() - start
            drain_requests = client.requests_sent
        assert report.listed == LISTINGS
        assert sim.rate_limited == 0

        unlimited = Limits(request_burst=1e9, request_rate=1e9, catalog_burst=1e9, catalog_rate=1e9)
        with BackMarketClient(Secret(TOKEN), AGENT, base_url=sim.url, limiter=RateLimiter(unlimited)) as client:
            sim.enforce_limits = False
            reads = 500
            start = time.perf_counter()
            for number in range(reads):
                client.listing_by_sku(f"IPHONE-{number % SKUS}-128GB-BLUE-GOOD")
            read_rate = reads / (time.perf_counter() - start)

        with BackMarketClient(Secret(TOKEN), AGENT, base_url=sim.url) as client:
            sim.enforce_limits = True
            limited = 400
            start = time.perf_counter()
            for number in range(limited):
                client.listing_by_sku(f"IPHONE-{number % SKUS}-128GB-BLUE-GOOD")
            limited_rate = limited / (time.perf_counter() - start)
            limited_429 = sim.rate_limited
    engine.dispose()
    _print(
        [
            (f"drain {LISTINGS} listings ({SKUS} SKUs): SKU lines sent", float(report.sent_lines),
             "<= 1,900 in any hour", 1900.0),
            ("drain: seconds", drain_seconds, "n/a (vs 60 s)", 60.0),
            ("drain: requests/s", drain_requests / drain_seconds, "<= 20/s (200 / 10 s)", 20.0),
            ("drain: devices listed/s (end to end)", LISTINGS / drain_seconds, "n/a (vs 20/s)", 20.0),
            ("reads without the limiter: requests/s", read_rate, "capacity vs 20/s allowed", 20.0),
            ("reads with the limiter: requests/s", limited_rate, "<= 20/s (200 / 10 s)", 20.0),
            ("429 answered to the limited client", float(limited_429), "0", 1.0),
        ]
    )  # fmt: skip
    record(f"drain {LISTINGS} listings ({SKUS} SKUs): SKU lines sent", report.sent_lines, "lines", 1900.0)
    record("drain: seconds", drain_seconds, "s")
    record("drain: requests/s", drain_requests / drain_seconds, "/s", 20.0)
    record("drain: devices listed/s (end to end)", LISTINGS / drain_seconds, "/s", higher_is_better=True)
    record("reads without the limiter: requests/s", read_rate, "/s", higher_is_better=True)
    record("reads with the limiter: requests/s", limited_rate, "/s", 20.0, read_rate, peer_name="no limiter")
    record("429 answered to the limited client", limited_429, "", 0.0)

"""The Back Market simulator and the real httpx client, on one fake clock so that limits and backoff cost no time."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from drivers.marketplace.backmarket import BackMarketClient, RetryPolicy, UserAgent
from drivers.marketplace.rate_limit import RateLimiter
from drivers.marketplace.secrets import Secret
from drivers.sim.backmarket import BackMarketSimulator
from tests.marketplace.openapi import spec

TOKEN = "bmtok-5f3e9a7c1d2b4e6f8a0c"
AGENT = UserAgent("RefurbStation", "Tests", "qa@refurb.example")
EPOCH = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class FakeClock:
    """Monotonic seconds that only move when someone sleeps (client, limiter, sender and simulator share it)."""

    def __init__(self) -> None:
        self._now = 1000.0
        self._lock = threading.Lock()
        self.slept: list[float] = []

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self._now += max(0.0, seconds)

    def utcnow(self) -> datetime:
        return EPOCH + timedelta(seconds=self() - 1000.0)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sim(clock: FakeClock) -> Iterator[BackMarketSimulator]:
    with BackMarketSimulator(TOKEN, clock=clock) as simulator:
        yield simulator


def make_client(
    sim: BackMarketSimulator, clock: FakeClock, *, market: str = "fr-fr", timeout: float = 2.0, token: str = TOKEN
) -> BackMarketClient:
    return BackMarketClient(
        Secret(token),
        AGENT,
        market=market,
        base_url=sim.url,
        timeout=timeout,
        limiter=RateLimiter(clock=clock, sleep=clock.sleep),
        retry=RetryPolicy(attempts=6),
        rng=random.Random(7),
        sleep=clock.sleep,
    )


@pytest.fixture
def client(sim: BackMarketSimulator, clock: FakeClock) -> Iterator[BackMarketClient]:
    with make_client(sim, clock) as real_client:
        yield real_client


def assert_conforms(sim: BackMarketSimulator) -> int:
    """Every request the client sent, and every answer the simulator gave, validates against the OpenAPI spec."""
    checked = 0
    for request in sim.requests:
        spec().validate_request(request.method, request.path, request.query, request.headers, request.body)
        if request.status:
            spec().validate_response(request.method, request.path, request.status, request.response)
        checked += 1
    return checked

"""Back Market's limits, kept on the client side so that the station stays under them instead of hitting them.

Published limits (OpenAPI "Traffic limitation" / "Data limitation"): about 200 requests in 10 s (then 10 s blocked with
HTTP 429), about 20 in 10 s on catalog endpoints, and about 2,000 SKU lines per hour on listing updates.

A token bucket of capacity ``burst`` refilled at ``rate`` per second lets through at most ``burst + rate * window``
requests in any window, so the buckets are sized for that sum to stay below the published figure (with a margin: the
server's clock and ours are not the same). SKU lines are a quota over a whole hour, where a bucket would either forbid
a batch of 500 lines or let 2 × 2,000 through; a sliding window counts them exactly.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]
_EPSILON = 1e-6
Sleep = Callable[[float], None]


class TokenBucket:
    def __init__(self, burst: float, rate: float, *, clock: Clock = time.monotonic) -> None:
        if burst < 1 or rate <= 0:
            raise ValueError("a token bucket needs a burst of at least 1 and a positive rate")
        self.burst = burst
        self.rate = rate
        self._clock = clock
        self._tokens = burst
        self._stamp = clock()
        self._blocked_until = float("-inf")

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            start = max(self._stamp, self._blocked_until)
            if now > start:
                self._tokens = min(self.burst, self._tokens + (now - start) * self.rate)
            self._stamp = now

    def wait_time(self, tokens: float = 1) -> float:
        """Seconds until ``tokens`` can be taken (0 when they can be now)."""
        now = self._clock()
        self._refill(now)
        wait = max(0.0, self._blocked_until - now)
        missing = tokens - self._tokens
        return wait + (missing / self.rate if missing > 0 else 0.0)

    def take(self, tokens: float = 1) -> None:
        self._refill(self._clock())
        self._tokens -= tokens

    def block(self, seconds: float) -> None:
        """The server said 429: nothing goes out for ``seconds``, and the bucket starts empty afterwards."""
        now = self._clock()
        self._refill(now)
        self._tokens = 0.0
        self._blocked_until = max(self._blocked_until, now + seconds)


class SlidingWindow:
    """At most ``limit`` units in any ``window`` seconds, counted exactly."""

    def __init__(self, limit: int, window: float, *, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._spent: deque[tuple[float, int]] = deque()
        self._total = 0

    def _expire(self, now: float) -> None:
        while self._spent and self._spent[0][0] <= now - self.window:
            self._total -= self._spent.popleft()[1]

    def available(self) -> int:
        self._expire(self._clock())
        return self.limit - self._total

    def wait_time(self, units: int) -> float:
        """Seconds until ``units`` fit in the window (``inf`` when they never can)."""
        if units > self.limit:
            return float("inf")
        now = self._clock()
        self._expire(now)
        excess = self._total + units - self.limit
        if excess <= 0:
            return 0.0
        freed = 0
        for stamp, spent in self._spent:
            freed += spent
            if freed >= excess:
                return max(0.0, stamp + self.window - now)
        return float("inf")

    def take(self, units: int) -> None:
        now = self._clock()
        self._expire(now)
        self._spent.append((now, units))
        self._total += units


@dataclass(frozen=True, slots=True)
class Limits:
    # 20 + 16 * 10 = 180 requests in any 10 s; a new process (a fresh, full bucket) right after another one adds at
    # most its burst: 160 + 20 + 20 = 200 still passes Back Market's ~200.
    request_burst: float = 20
    request_rate: float = 16.0
    catalog_burst: float = 2
    catalog_rate: float = 1.6  # 2 + 1.6 * 10 = 18 catalog uploads in any 10 s, under ~20
    sku_lines_per_hour: int = 1900  # under ~2,000
    blocked_seconds: float = 10.0  # how long Back Market blocks after a 429 that says nothing


BACK_MARKET_LIMITS = Limits()


class RateLimiter:
    """Every request takes a token before it goes out (waiting with ``sleep`` when none is left); thread-safe."""

    def __init__(
        self, limits: Limits = BACK_MARKET_LIMITS, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep
    ):
        self.limits = limits
        self._sleep = sleep
        self._lock = threading.Lock()
        self.requests = TokenBucket(limits.request_burst, limits.request_rate, clock=clock)
        self.catalog = TokenBucket(limits.catalog_burst, limits.catalog_rate, clock=clock)
        self.sku_lines = SlidingWindow(limits.sku_lines_per_hour, 3600.0, clock=clock)
        self.waited = 0.0  # seconds spent waiting, for the benchmark and the logs

    def acquire(self, *, catalog: bool = False) -> None:
        while True:
            with self._lock:
                wait = self.requests.wait_time()
                if catalog:
                    wait = max(wait, self.catalog.wait_time())
                if wait <= _EPSILON:  # a float crumb of a token is no reason to sleep (or to spin on it)
                    self.requests.take()
                    if catalog:
                        self.catalog.take()
                    return
            self.waited += wait
            self._sleep(wait)

    def sku_lines_available(self) -> int:
        with self._lock:
            return max(0, self.sku_lines.available())

    def spend_sku_lines(self, lines: int) -> None:
        with self._lock:
            self.sku_lines.take(lines)

    def sku_lines_wait(self, lines: int) -> float:
        with self._lock:
            return self.sku_lines.wait_time(lines)

    def blocked(self, seconds: float | None) -> float:
        """A 429 came back: stop every request for ``seconds`` (Retry-After) or the usual block. Returns the wait."""
        wait = seconds if seconds is not None and seconds >= 0 else self.limits.blocked_seconds
        with self._lock:
            self.requests.block(wait)
            self.catalog.block(wait)
        return wait

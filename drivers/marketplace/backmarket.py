"""Back Market's seller API over httpx: the listing endpoints the station uses, with its headers and limits.

Endpoints (OpenAPI ``backmarket-openapi.yml``): ``POST /ws/listings`` (a CSV catalog, answered with a task id),
``GET /ws/tasks/{id}`` (the task's end: ``action_status`` 9 success, 8 failure), ``POST /ws/listings/{id}`` (one
listing, real time), ``GET /ws/listings`` (pages of at most 50) and ``GET /ws/listings/detail?sku=``.
Every request carries ``Authorization: Basic <token>``, ``Accept-Language: <market>`` and the mandatory
``User-Agent: BM-{Company}-{Integration};{contact}``.

Requests that cannot do harm twice (reads, and anything answered 429, which Back Market did not process) are retried
here with exponential backoff and jitter; a catalog upload that timed out or met a 5xx is *not* blindly sent again:
the error goes up to the outbox, which asks Back Market what it has before sending anything again.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import random
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx

from drivers.marketplace.errors import (
    AuthenticationError,
    MarketplaceError,
    NotFoundError,
    RateLimited,
    RequestRejected,
    ServerError,
    TaskFailed,
    TransportError,
)
from drivers.marketplace.rate_limit import RateLimiter, Sleep
from drivers.marketplace.secrets import Secret

log = logging.getLogger(__name__)

MARKETS: Mapping[str, str] = {
    "fr-fr": "https://www.backmarket.fr",
    "de-de": "https://www.backmarket.fr",
    "es-es": "https://www.backmarket.fr",
    "it-it": "https://www.backmarket.fr",
    "en-gb": "https://www.backmarket.fr",
    "en-us": "https://www.backmarket.com",
}
MAX_CATALOG_LINES = 15_000  # Back Market refuses bigger CSV files
MAX_PAGE_SIZE = 50
CSV_DELIMITER = ";"  # "Required field separator is ';'", fields double-quoted, lines ended by '\n'
CSV_QUOTECHAR = '"'

TASK_TODO = (0, 2, 3, 7)  # to do / in progress (the others of the TaskStatus enum)
TASK_FAILED = 8
TASK_SUCCESS = 9

_UA_PART = re.compile(r"^[A-Za-z0-9_.]+$")
_EMAIL = re.compile(r"^[^@\s;]+@[^@\s;]+\.[^@\s;]+$")


@dataclass(frozen=True, slots=True)
class UserAgent:
    company: str
    integration: str
    contact: str

    def __post_init__(self) -> None:
        for name in ("company", "integration"):
            if not _UA_PART.match(getattr(self, name)):
                raise ValueError(
                    f"the User-Agent {name} must be letters, digits, '_' or '.', got {getattr(self, name)!r}"
                )
        if not _EMAIL.match(self.contact):
            raise ValueError(f"the User-Agent contact must be an e-mail address, got {self.contact!r}")

    def header(self) -> str:
        return f"BM-{self.company}-{self.integration};{self.contact}"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently one request is retried (429, 5xx and timeouts on requests safe to repeat)."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: float = 0.25  # +/- this fraction of the delay, so that stations do not retry in step

    def delay(self, attempt: int, rng: random.Random) -> float:
        raw = min(self.max_delay, self.base_delay * 2.0 ** max(0, attempt - 1))
        return max(0.0, raw * (1 + rng.uniform(-self.jitter, self.jitter)))


@dataclass(frozen=True, slots=True)
class RemoteListing:
    """A listing as Back Market shows it (``ListingPublic``), the fields the station reads."""

    id: str
    listing_id: int
    sku: str
    quantity: int
    price: str
    currency: str
    grade: str
    state: int
    publication_state: int
    warranty_delay: int
    product_id: str
    title: str
    min_price: str | None

    @classmethod
    def from_json(cls, data: object, target: str = "") -> RemoteListing:
        if not isinstance(data, Mapping):
            raise MarketplaceError("Back Market sent a listing that is not an object", target=target, raw=repr(data))
        try:
            return cls(
                id=str(data["id"]),
                listing_id=int(data["listing_id"]),
                sku=str(data["sku"]),
                quantity=int(data["quantity"]),
                price=str(data["price"]),
                currency=str(data["currency"]),
                grade=str(data["grade"]),
                state=int(data["state"]),
                publication_state=int(data["publication_state"]),
                warranty_delay=int(data["warranty_delay"]),
                product_id=str(data["product_id"]),
                title=str(data["title"]),
                min_price=None if data.get("min_price") is None else str(data["min_price"]),
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:  # OverflowError: int(Infinity)
            raise MarketplaceError(
                f"Back Market sent a listing without a usable {exc}",
                target=target,
                raw=json.dumps(data, default=repr)[:2000],
            ) from exc


@dataclass(frozen=True, slots=True)
class TaskStatus:
    task_id: int
    action_status: int
    last_action_error: str | None
    result: Any

    @property
    def done(self) -> bool:
        return self.action_status in (TASK_FAILED, TASK_SUCCESS)

    @property
    def succeeded(self) -> bool:
        return self.action_status == TASK_SUCCESS

    def line_errors(self) -> dict[str, str]:
        """Errors per SKU found in ``result``. Back Market does not publish that report's form ("content depends on
        the task action"), so this reads the usual ``{sku: {"status": ..., "errors"|"error"|"message": ...}}`` and
        finds nothing elsewhere; the outbox confirms every success by reading the listing back."""
        errors: dict[str, str] = {}
        if not isinstance(self.result, Mapping):
            return errors
        for sku, report in self.result.items():
            if not isinstance(report, Mapping):
                continue
            status = str(report.get("status", "")).upper()
            detail = report.get("errors") or report.get("error") or report.get("message")
            if status in ("KO", "ERROR", "FAILED") or (detail and status not in ("OK", "SUCCESS")):
                if isinstance(detail, list):
                    detail = "; ".join(str(item) for item in detail)
                errors[str(sku).casefold()] = str(detail or status)
        return errors


@dataclass(frozen=True, slots=True)
class ListingPage:
    count: int
    next: str | None
    previous: str | None
    results: tuple[RemoteListing, ...]


def catalog_csv(rows: Sequence[Mapping[str, str]]) -> str:
    """The ``catalog`` field: Back Market's CSV form (';', every field double-quoted, '\\n'); columns in first-seen
    order, ``sku`` first."""
    if not rows:
        raise ValueError("an empty catalog cannot be sent")
    columns = ["sku"]
    for row in rows:
        if not row.get("sku"):
            raise ValueError("every catalog line needs a sku")
        columns.extend(name for name in row if name not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(
        out,
        fieldnames=columns,
        delimiter=CSV_DELIMITER,
        quotechar=CSV_QUOTECHAR,
        quoting=csv.QUOTE_ALL,
        lineterminator="\n",
        restval="",
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _error_text(response: httpx.Response) -> str:
    """Back Market's own words: ``{"error": {"code", "message"}}``, ``{"errors": [...]}`` or a bare string."""
    try:
        body = response.json()
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than any real answer
        return response.text.strip()[:300] or response.reason_phrase
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            return ": ".join(str(error[k]) for k in ("code", "message") if error.get(k))
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            return "; ".join(": ".join(str(e[k]) for k in ("code", "message") if e.get(k)) for e in errors)
    return str(body)[:300]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


class BackMarketClient:
    """One seller account on one market. Context-managed; thread-safe as far as httpx is."""

    def __init__(
        self,
        token: Secret,
        user_agent: UserAgent,
        *,
        market: str = "fr-fr",
        base_url: str | None = None,
        timeout: float = 15.0,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        rng: random.Random | None = None,
        sleep: Sleep = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if market not in MARKETS:
            raise ValueError(f"unknown market {market!r} (known: {', '.join(MARKETS)})")
        self.market = market
        self.base_url = (base_url or MARKETS[market]).rstrip("/")
        self.limiter = limiter or RateLimiter(sleep=sleep)
        self.retry = retry or RetryPolicy()
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._token = token
        self._user_agent = user_agent
        self.requests_sent = 0
        self.rate_limited = 0
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={
                "Accept": "application/json",
                "User-Agent": user_agent.header(),
                "Authorization": f"Basic {token.reveal()}",
            },
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"BackMarketClient({self.base_url!r}, market={self.market!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- requests -------------------------------------------------------------------------------------------------

    def build_request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Mapping[str, Any] | None = None,
        market: str | None = None,
    ) -> httpx.Request:
        headers = {"Accept-Language": market or self.market}
        if body is not None:
            headers["Content-Type"] = "application/json"
        return self._http.build_request(
            method,
            path,
            params=dict(params) if params else None,
            content=None if body is None else json.dumps(body).encode(),
            headers=headers,
        )

    def _send(self, request: httpx.Request, *, catalog: bool = False, repeatable: bool = True) -> httpx.Response:
        target = f"{request.method} {request.url.path}"
        attempt = 0
        while True:
            attempt += 1
            self.limiter.acquire(catalog=catalog)
            self.requests_sent += 1
            try:
                response = self._http.send(request)
            except httpx.TimeoutException as exc:
                error: MarketplaceError = TransportError(f"Back Market did not answer {target} in time", target=target)
                cause: Exception = exc
            except httpx.TransportError as exc:
                error = TransportError(f"cannot reach Back Market for {target}: {type(exc).__name__}", target=target)
                cause = exc
            else:
                if response.is_success:
                    return response
                error = self._translate(response, target)
                cause = error
            repeat = isinstance(error, RateLimited) or (repeatable and error.retryable)
            if not repeat or attempt >= self.retry.attempts:
                if error is cause:
                    raise error
                raise error from cause
            delay = self.retry.delay(attempt, self._rng)
            if isinstance(error, RateLimited):
                # Retry-After when given (at least the backoff, so that a storm spaces the attempts out), else the
                # 10 s block Back Market documents; the limiter holds every request back until then.
                self.rate_limited += 1
                wait = self.limiter.blocked(None if error.retry_after is None else max(error.retry_after, delay))
                log.warning("Back Market rate limit on %s: waiting %.1f s (attempt %d)", target, wait, attempt)
                continue
            log.warning("%s; retrying in %.1f s (attempt %d)", error, delay, attempt)
            self._sleep(delay)

    def _translate(self, response: httpx.Response, target: str) -> MarketplaceError:
        status = response.status_code
        text = _error_text(response)
        message = f"Back Market answered {status} to {target}: {text}"
        raw = response.text[:2000]
        if status == 429:
            return RateLimited(message, retry_after=_retry_after(response), target=target, raw=raw)
        if status in (401, 403):
            return AuthenticationError(message, target=target, status=status, raw=raw)
        if status == 404:
            return NotFoundError(message, target=target, status=status, raw=raw)
        if status >= 500:
            return ServerError(message, target=target, status=status, raw=raw)
        return RequestRejected(message, target=target, status=status, raw=raw)

    @staticmethod
    def _json(response: httpx.Response, target: str) -> Any:
        try:
            return response.json()
        except (ValueError, RecursionError) as exc:  # RecursionError: nesting deeper than any real answer
            raise MarketplaceError(
                f"Back Market sent something that is not JSON for {target}", target=target, raw=response.text
            ) from exc

    # --- listings -------------------------------------------------------------------------------------------------

    def catalog_request(self, rows: Sequence[Mapping[str, str]], *, market: str | None = None) -> httpx.Request:
        """The exact ``POST /ws/listings`` request for these catalog lines (what a dry run shows)."""
        if len(rows) + 1 > MAX_CATALOG_LINES:
            raise ValueError(f"a catalog holds at most {MAX_CATALOG_LINES - 1} lines, got {len(rows)}")
        body = {
            "catalog": catalog_csv(rows),
            "quotechar": CSV_QUOTECHAR,
            "delimiter": CSV_DELIMITER,
            "encoding": "utf-8",
        }
        return self.build_request("POST", "/ws/listings", body=body, market=market)

    def upload_catalog(self, rows: Sequence[Mapping[str, str]], *, market: str | None = None) -> int:
        """Create or update listings in one batch; returns the task id to poll."""
        wait = self.limiter.sku_lines_wait(len(rows))
        if wait > 0:
            raise RateLimited(
                f"{len(rows)} SKU lines would pass Back Market's hourly limit: {self.limiter.sku_lines_available()} "
                f"left now",
                retry_after=wait if wait != float("inf") else None,
                target="POST /ws/listings",
                status=0,
            )
        request = self.catalog_request(rows, market=market)
        response = self._send(request, catalog=True, repeatable=False)
        self.limiter.spend_sku_lines(len(rows))
        body = self._json(response, "POST /ws/listings")
        task_id = body.get("bodymessage") if isinstance(body, Mapping) else None
        if not isinstance(task_id, int) or isinstance(task_id, bool):
            raise MarketplaceError("Back Market took the catalog but sent no task id", raw=response.text)
        log.info("catalog of %d line(s) sent to Back Market (%s): task %d", len(rows), market or self.market, task_id)
        return task_id

    def task(self, task_id: int) -> TaskStatus:
        target = f"GET /ws/tasks/{task_id}"
        body = self._json(self._send(self.build_request("GET", f"/ws/tasks/{task_id}")), target)
        try:
            return TaskStatus(
                task_id=int(body["task_id"]),
                action_status=int(body["action_status"]),
                last_action_error=body.get("last_action_error") or None,
                result=body.get("result"),
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:  # OverflowError: int(Infinity)
            raise MarketplaceError(
                f"Back Market sent an unreadable task {task_id}", target=target, raw=str(body)
            ) from exc

    def raise_for_task(self, status: TaskStatus) -> None:
        if status.action_status == TASK_FAILED:
            raise TaskFailed(
                f"Back Market task {status.task_id} failed: {status.last_action_error or 'no reason given'}",
                task_id=status.task_id,
                raw=json.dumps(status.result, default=str)[:2000],
            )

    def update_listing(
        self, listing_id: str | int, fields: Mapping[str, Any], *, market: str | None = None
    ) -> RemoteListing:
        """Change some fields of one listing, in real time (price as a string, quantity 0 = offline)."""
        wait = self.limiter.sku_lines_wait(1)
        if wait > 0:
            raise RateLimited("Back Market's hourly SKU-line limit is reached", retry_after=wait, status=0)
        target = f"POST /ws/listings/{listing_id}"
        request = self.build_request("POST", f"/ws/listings/{listing_id}", body=dict(fields), market=market)
        response = self._send(request, repeatable=True)  # the same absolute values twice change nothing
        self.limiter.spend_sku_lines(1)
        return RemoteListing.from_json(self._json(response, target), target)

    def listing_by_sku(self, sku: str, *, market: str | None = None) -> RemoteListing | None:
        target = f"GET /ws/listings/detail?sku={sku}"
        try:
            response = self._send(self.build_request("GET", "/ws/listings/detail", params={"sku": sku}, market=market))
        except NotFoundError:
            return None
        return RemoteListing.from_json(self._json(response, target), target)

    def listings_page(
        self, page: int = 1, page_size: int = MAX_PAGE_SIZE, *, publication_state: int | None = None
    ) -> ListingPage:
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page size must be 1 to {MAX_PAGE_SIZE}")
        params: dict[str, str | int] = {"page": page, "page-size": page_size}
        if publication_state is not None:
            params["publication_state"] = publication_state
        target = f"GET /ws/listings?page={page}"
        body = self._json(self._send(self.build_request("GET", "/ws/listings", params=params)), target)
        try:
            return ListingPage(
                count=int(body["count"]),
                next=body["next"],
                previous=body["previous"],
                results=tuple(RemoteListing.from_json(item, target) for item in body["results"]),
            )
        except (KeyError, TypeError, ValueError, OverflowError) as exc:  # OverflowError: int(Infinity)
            raise MarketplaceError(
                "Back Market sent an unreadable page of listings", target=target, raw=str(body)
            ) from exc

    def iter_listings(self, *, publication_state: int | None = None) -> Iterator[RemoteListing]:
        page = 1
        previous_next: object = None
        while True:
            result = self.listings_page(page, publication_state=publication_state)
            yield from result.results
            # A "next" on an empty page, the same "next" twice, or one past the count the server announced would
            # page forever.
            if not result.next or not result.results or page * MAX_PAGE_SIZE >= result.count:
                return
            if result.next == previous_next:
                return
            previous_next = result.next
            page += 1

"""A Back Market seller API on 127.0.0.1, following Back Market's OpenAPI (``backmarket-openapi.yml``), so that the
real httpx client runs unchanged against it.

Endpoints: ``POST /ws/listings`` (CSV catalog -> task), ``GET /ws/tasks/{id}``, ``POST /ws/listings/{id}``,
``GET /ws/listings`` (paged) and ``GET /ws/listings/detail``. It checks what Back Market checks: ``Authorization:
Basic <token>`` (401), the mandatory ``User-Agent: BM-{Company}-{Integration};{contact}`` (403 with the bot-management
body), ``Accept-Language``, the CSV form and each line's values; it enforces the published limits on its own clock
(200 requests / 10 s, 20 catalog uploads / 10 s, then 10 s blocked with 429 and ``Retry-After``; 2,000 SKU lines per
hour). SKUs are unique per seller and case-insensitive: a catalog line for a known SKU updates it, never adds one.

Tasks are processed in the background as on Back Market: on any request once ``task_seconds`` (simulator clock) have
passed since the upload, and once the task has been polled ``slow_task_polls`` times.

Faults: :meth:`inject` (429 with Retry-After, 5xx, a timeout, a dropped connection, on the next N matching
requests), :meth:`fail_next_task` (``action_status`` 8 with Back Market's text), :meth:`refuse_sku` (a line error in
the task's report). The task report's form is not published; this one is ``{sku: {"status": "OK"|"KO", ...}}``.

What is simplified: one price per listing (Back Market keeps price, comment and warranty per market), no shipping
options, no products other than the ``product_id`` a line names.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import math
import re
import socket
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

GRADE_STATE = {"PREMIUM": 9, "EXCELLENT": 0, "VERY_GOOD": 1, "GOOD": 2, "FAIR": 3, "STALLONE": 4}
STATE_GRADE = {state: grade for grade, state in GRADE_STATE.items()}
MARKET_CURRENCY = {
    "fr-fr": "EUR", "fr-be": "EUR", "es-es": "EUR", "de-de": "EUR", "de-at": "EUR", "it-it": "EUR", "nl-nl": "EUR",
    "pt-pt": "EUR", "en-ie": "EUR", "el-gr": "EUR", "sk-sk": "EUR", "sv-se": "SEK", "en-gb": "GBP", "en-us": "USD",
    "ja-jp": "JPY", "en-au": "AUD",
}  # fmt: skip
USER_AGENT = re.compile(r"^BM-[^-;\s]+-[^;\s]+;[^@\s;]+@[^@\s;]+\.[^@\s;]+$")
MAX_CSV_LINES = 15_000
LISTING_ID = re.compile(r"^/ws/listings/(?P<id>[0-9a-fA-F-]{36}|\d+)$")
TASK_ID = re.compile(r"^/ws/tasks/(?P<id>\d+)$")


@dataclass
class Fault:
    """What the next matching request meets: an HTTP status (with Retry-After for 429), ``timeout`` (no answer for
    ``seconds``) or ``drop`` (the connection closes without an answer)."""

    kind: int | str
    path: str | None = None  # a path prefix; None matches every request
    retry_after: float | None = None
    seconds: float = 1.0


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    at: float = 0.0  # the simulator's clock when it arrived
    status: int = 0
    response: bytes = b""


@dataclass
class SimLimits:
    requests: int = 200
    window: float = 10.0
    catalog_requests: int = 20
    blocked_seconds: float = 10.0
    sku_lines_per_hour: int = 2000


@dataclass
class _Task:
    id: int
    market: str
    lines: list[dict[str, str]]
    created: float
    polls: int = 0
    action_status: int = 0
    last_action_error: str | None = None
    result: dict[str, Any] = field(default_factory=dict)
    fail_with: str | None = None


class _Reply(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _error(status: int, code: str, message: str) -> _Reply:
    return _Reply(status, {"error": {"code": code, "message": message}, "requestId": uuid.uuid4().hex})


class BackMarketSimulator:
    """Context-managed: serves on ``url`` (127.0.0.1, a port the OS picks) until :meth:`close`."""

    def __init__(
        self,
        token: str = "sim-token",
        *,
        clock: Callable[[], float] = time.monotonic,
        limits: SimLimits | None = None,
        enforce_limits: bool = True,
        task_seconds: float = 0.0,
        slow_task_polls: int = 0,
    ) -> None:
        self.token = token
        self.clock = clock
        self.limits = limits or SimLimits()
        self.enforce_limits = enforce_limits
        self.task_seconds = task_seconds
        self.slow_task_polls = slow_task_polls
        self.requests: list[RecordedRequest] = []
        self.listings: dict[str, dict[str, Any]] = {}  # key: sku.casefold()
        self.lines_received: Counter[str] = Counter()  # catalog lines per sku.casefold()
        self.rate_limited = 0  # 429s answered because a limit was passed (not injected ones)
        self.tasks: dict[int, _Task] = {}
        self._faults: deque[Fault] = deque()
        self._task_failures: deque[str] = deque()
        self._refused: dict[str, str] = {}
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._recent: deque[float] = deque()
        self._recent_catalog: deque[float] = deque()
        self._sku_lines: deque[tuple[float, int]] = deque()
        self._blocked_until = float("-inf")
        self._catalog_blocked_until = float("-inf")
        self._next_task = 1000
        self._next_listing = 4000
        self._connections: set[socket.socket] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = False
        self._server.block_on_close = True
        host, port = self._server.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="backmarket-sim", daemon=True
        )
        self._thread.start()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._server.shutdown()
        with self._lock:
            for connection in list(self._connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        self._server.server_close()  # joins the handler threads
        self._thread.join()

    # --- faults and inspection --------------------------------------------------------------------------------------

    def inject(self, fault: Fault, count: int = 1) -> None:
        with self._lock:
            self._faults.extend(Fault(fault.kind, fault.path, fault.retry_after, fault.seconds) for _ in range(count))

    def pending_faults(self) -> int:
        with self._lock:
            return len(self._faults)

    def fail_next_task(self, message: str = "Task has been interrupted.") -> None:
        with self._lock:
            self._task_failures.append(message)

    def refuse_sku(self, sku: str, message: str) -> None:
        with self._lock:
            self._refused[sku.casefold()] = message

    def listing(self, sku: str) -> dict[str, Any] | None:
        with self._lock:
            found = self.listings.get(sku.casefold())
            return dict(found) if found else None

    # --- the HTTP side ----------------------------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "cloudflare"
            sys_version = ""

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in separate writes: without this, Nagle meets the client's delayed ACK.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with simulator._lock:
                    simulator._connections.add(self.connection)

            def finish(self) -> None:
                with simulator._lock:
                    simulator._connections.discard(self.connection)
                with contextlib.suppress(OSError):
                    super().finish()

            def log_message(self, format: str, *args: Any) -> None:
                log.debug("sim %s - %s", self.address_string(), format % args)

            def do_GET(self) -> None:
                simulator._serve(self)

            def do_POST(self) -> None:
                simulator._serve(self)

        return Handler

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        parts = urlsplit(handler.path)
        record = RecordedRequest(
            method=handler.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in handler.headers.items()},
            body=body,
            at=self.clock(),
        )
        with self._lock:
            self.requests.append(record)
            fault = self._take_fault(record.path)
        if fault is not None and fault.kind == "timeout":
            self._stop.wait(fault.seconds)
            handler.close_connection = True
            return
        if fault is not None and fault.kind == "drop":
            handler.close_connection = True
            return
        try:
            if fault is not None:
                raise self._fault_reply(fault)
            with self._lock:
                self._advance_tasks()
                self._check_identity(record)
                reply = self._route(record)
        except _Reply as exc:
            reply = exc
        payload = json.dumps(reply.body).encode()
        record.status, record.response = reply.status, payload
        handler.send_response(reply.status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)

    def _take_fault(self, path: str) -> Fault | None:
        for fault in self._faults:
            if fault.path is None or path.startswith(fault.path):
                self._faults.remove(fault)
                return fault
        return None

    @staticmethod
    def _fault_reply(fault: Fault) -> _Reply:
        status = int(fault.kind)
        if status == 429:
            headers = {} if fault.retry_after is None else {"Retry-After": f"{fault.retry_after:g}"}
            reply = _error(429, "too_many_requests", "Too many requests. Client has been rate limited.")
            reply.headers = headers
            return reply
        return _error(status, "server_error", f"The server could not process the request ({status}).")

    def _check_identity(self, record: RecordedRequest) -> None:
        agent = record.headers.get("user-agent", "")
        if not USER_AGENT.match(agent):
            raise _Reply(403, {"errors": [{"code": "bot-need-challenge", "message": "Forbidden"}]})
        if record.headers.get("authorization") != f"Basic {self.token}":
            raise _error(401, "unauthenticated", "Authentication credentials were not provided or are invalid.")
        market = record.headers.get("accept-language", "fr-fr")
        if market not in MARKET_CURRENCY:
            raise _error(400, "invalid_language", f"Unknown Accept-Language {market!r}.")

    def _limit(self, record: RecordedRequest) -> None:
        if not self.enforce_limits:
            return
        now = self.clock()
        catalog = record.method == "POST" and record.path == "/ws/listings"
        blocked_until = max(self._blocked_until, self._catalog_blocked_until if catalog else float("-inf"))
        if now < blocked_until:
            self.rate_limited += 1
            raise self._too_many(blocked_until - now)
        window = self.limits.window
        for recent in (self._recent, self._recent_catalog):
            while recent and recent[0] <= now - window:
                recent.popleft()
        if len(self._recent) >= self.limits.requests:
            self._blocked_until = now + self.limits.blocked_seconds
            self.rate_limited += 1
            raise self._too_many(self.limits.blocked_seconds)
        if catalog and len(self._recent_catalog) >= self.limits.catalog_requests:
            self._catalog_blocked_until = now + self.limits.blocked_seconds
            self.rate_limited += 1
            raise self._too_many(self.limits.blocked_seconds)
        self._recent.append(now)
        if catalog:
            self._recent_catalog.append(now)

    def _spend_sku_lines(self, lines: int) -> None:
        if not self.enforce_limits:
            return
        now = self.clock()
        while self._sku_lines and self._sku_lines[0][0] <= now - 3600:
            self._sku_lines.popleft()
        spent = sum(n for _, n in self._sku_lines)
        if spent + lines > self.limits.sku_lines_per_hour:
            self.rate_limited += 1
            raise _error(
                429, "too_many_sku_lines", f"{spent} SKU lines processed this hour: {lines} more would pass the limit."
            )
        self._sku_lines.append((now, lines))

    @staticmethod
    def _too_many(seconds: float) -> _Reply:
        reply = _error(429, "too_many_requests", "Too many requests. Client has been rate limited.")
        reply.headers = {"Retry-After": str(max(1, math.ceil(seconds)))}
        return reply

    def _route(self, record: RecordedRequest) -> _Reply:
        method, path = record.method, record.path.rstrip("/") or "/"
        market = record.headers.get("accept-language", "fr-fr")
        if method == "POST" and path == "/ws/listings":
            self._limit(record)
            return self._create_task(record, market)
        if method == "GET" and path == "/ws/listings":
            self._limit(record)
            return self._page(record)
        if method == "GET" and path == "/ws/listings/detail":
            self._limit(record)
            return self._detail(record)
        match = LISTING_ID.match(path)
        if match and method in ("GET", "POST"):
            self._limit(record)
            listing = self._find(match["id"])
            if method == "GET":
                return _Reply(200, {**self._public(listing), "statuscode": 200})
            return self._update(listing, record, market)
        match = TASK_ID.match(path)
        if match and method == "GET":
            self._limit(record)
            return self._task(int(match["id"]))
        raise _error(404, "not_found", f"No route for {method} {path}.")

    # --- listings ---------------------------------------------------------------------------------------------------

    def _public(self, listing: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in listing.items() if not key.startswith("_")}

    def _find(self, listing_id: str) -> dict[str, Any]:
        for listing in self.listings.values():
            if listing["id"] == listing_id.lower() or str(listing["listing_id"]) == listing_id:
                return listing
        raise _error(404, "listing_not_found", f"Listing {listing_id} not found.")

    def _detail(self, record: RecordedRequest) -> _Reply:
        sku = record.query.get("sku", [""])[0]
        listing_id = record.query.get("listing_id", [""])[0] or record.query.get("id", [""])[0]
        found = self.listings.get(sku.casefold()) if sku else None
        if found is None and listing_id:
            found = self._find(listing_id)
        if found is None:
            raise _error(404, "listing_not_found", f"No listing with sku {sku!r}.")
        return _Reply(200, {**self._public(found), "statuscode": 200})

    def _page(self, record: RecordedRequest) -> _Reply:
        def integer(name: str, default: int) -> int:
            value = record.query.get(name, [str(default)])[0]
            if not re.fullmatch(r"-?\d+", value):
                raise _error(400, "invalid_parameter", f"{name} must be an integer.")
            return int(value)

        page, size = integer("page", 1), integer("page-size", 10)
        if page < 1 or not 1 <= size <= 50:
            raise _error(400, "invalid_parameter", "page must be >= 1 and page-size 1 to 50.")
        items = sorted(self.listings.values(), key=lambda listing: listing["listing_id"])
        if "publication_state" in record.query:
            state = integer("publication_state", 0)
            items = [item for item in items if item["publication_state"] == state]
        if "min_quantity" in record.query:
            items = [item for item in items if item["quantity"] >= integer("min_quantity", 0)]
        if "max_quantity" in record.query:
            items = [item for item in items if item["quantity"] <= integer("max_quantity", 0)]
        chunk = items[(page - 1) * size : page * size]
        base = f"{self.url}/ws/listings?page-size={size}&page="
        return _Reply(
            200,
            {
                "count": len(items),
                "next": f"{base}{page + 1}" if page * size < len(items) else None,
                "previous": f"{base}{page - 1}" if page > 1 else None,
                "results": [self._public(item) for item in chunk],
            },
        )

    def _update(self, listing: dict[str, Any], record: RecordedRequest, market: str) -> _Reply:
        try:
            fields = json.loads(record.body or b"{}")
        except ValueError:
            raise _Reply(400, "Request data is invalid: the body is not JSON") from None
        if not isinstance(fields, dict):
            raise _Reply(400, "Request data is invalid: the body must be an object")
        problems = self._check_values({k: "" if v is None else str(v) for k, v in fields.items()}, market, listing)
        if problems:
            raise _Reply(400, "Request data is invalid: " + "; ".join(problems))
        self._spend_sku_lines(1)
        self._apply(listing, {k: str(v) for k, v in fields.items() if v is not None})
        return _Reply(200, {**self._public(listing), "statuscode": 200, "shippings_response": []})

    @staticmethod
    def _check_values(row: dict[str, str], market: str, existing: dict[str, Any] | None) -> list[str]:
        problems = []
        if "quantity" in row and not re.fullmatch(r"\d+", row["quantity"]):
            problems.append(f"quantity {row['quantity']!r} is not a whole number >= 0")
        prices: dict[str, Decimal] = {}
        for name in ("price", "min_price"):
            if row.get(name):
                try:
                    prices[name] = Decimal(row[name])
                except InvalidOperation:
                    problems.append(f"{name} {row[name]!r} is not a number")
                    continue
                if not prices[name].is_finite() or prices[name] <= 0:
                    problems.append(f"{name} must be positive")
        if "price" in prices and "min_price" in prices and prices["min_price"] > prices["price"]:
            problems.append("min_price is above price")
        if row.get("warranty_delay") and (not row["warranty_delay"].isdigit() or int(row["warranty_delay"]) < 12):
            problems.append("warranty_delay must be at least 12 months")
        if row.get("grade") and row["grade"] not in GRADE_STATE:
            problems.append(f"unknown grade {row['grade']!r}")
        if row.get("state") and (not row["state"].isdigit() or int(row["state"]) not in STATE_GRADE):
            problems.append(f"unknown state {row['state']!r}")
        if row.get("currency") and row["currency"] != MARKET_CURRENCY[market]:
            problems.append(f"currency {row['currency']} does not match the market {market}")
        if len(row.get("comment", "")) > 500:
            problems.append("comment is longer than 500 characters")
        if existing is None and not (row.get("product_id") or row.get("ean") or row.get("backmarket_id")):
            problems.append("product_id or ean is required to create a listing")
        return problems

    def _apply(self, listing: dict[str, Any], row: dict[str, str]) -> None:
        if "quantity" in row:
            listing["quantity"] = int(row["quantity"])
            listing["publication_state"] = 2 if listing["quantity"] > 0 else 3
        for name in ("price", "min_price"):
            if row.get(name):
                listing[name] = f"{Decimal(row[name]):.2f}"
        if row.get("price"):
            listing["max_price"] = f"{Decimal(row['price']) * Decimal('1.5'):.2f}"
        if row.get("currency"):
            listing["currency"] = row["currency"]
        if row.get("warranty_delay"):
            listing["warranty_delay"] = int(row["warranty_delay"])
        if "comment" in row:
            listing["comment"] = row["comment"] or None
        if row.get("grade"):
            listing["grade"], listing["state"] = row["grade"], GRADE_STATE[row["grade"]]
        elif row.get("state"):
            listing["state"], listing["grade"] = int(row["state"]), STATE_GRADE[int(row["state"])]

    def _create(self, row: dict[str, str], market: str) -> dict[str, Any]:
        self._next_listing += 1
        product = row.get("product_id") or str(uuid.uuid5(uuid.NAMESPACE_URL, row.get("ean", "") or row["sku"]))
        listing: dict[str, Any] = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_OID, f"listing:{row['sku'].casefold()}")),
            "listing_id": self._next_listing,
            "product_id": product.lower(),
            "backmarket_id": int(uuid.UUID(product).int % 1_000_000),
            "title": f"Product {product[:8]}",
            "shippings": [],
            "state": 0,
            "grade": "EXCELLENT",
            "quantity": 0,
            "currency": MARKET_CURRENCY[market],
            "sku": row["sku"],
            "publication_state": 3,
            "warranty_delay": 12,
            "price": "0.00",
            "comment": None,
            "min_price": None,
            "max_price": "0.00",
            "new_battery": False,
        }
        self.listings[row["sku"].casefold()] = listing
        return listing

    # --- tasks ------------------------------------------------------------------------------------------------------

    def _create_task(self, record: RecordedRequest, market: str) -> _Reply:
        try:
            body = json.loads(record.body or b"{}")
        except ValueError:
            raise _Reply(400, "Request data is invalid: the body is not JSON") from None
        for name in ("catalog", "quotechar", "delimiter", "encoding"):
            if not isinstance(body, dict) or not isinstance(body.get(name), str) or not body[name]:
                raise _Reply(400, f"parameter {name} not found")
        if body["encoding"].lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise _Reply(400, f"encoding {body['encoding']} is not supported")
        text: str = body["catalog"]
        if text.count("\n") + 1 > MAX_CSV_LINES:
            raise _Reply(400, f"the catalog has more than {MAX_CSV_LINES} lines")
        try:
            reader = csv.DictReader(io.StringIO(text), delimiter=body["delimiter"], quotechar=body["quotechar"])
            lines = [dict(row) for row in reader]
        except csv.Error as exc:
            raise _Reply(400, f"the catalog is not valid CSV: {exc}") from None
        if not reader.fieldnames or "sku" not in reader.fieldnames:
            raise _Reply(400, "the catalog has no sku column")
        self._spend_sku_lines(len(lines))
        self._next_task += 1
        task = _Task(self._next_task, market, lines, self.clock())
        if self._task_failures:
            task.fail_with = self._task_failures.popleft()
        self.tasks[task.id] = task
        for line in lines:
            self.lines_received[(line.get("sku") or "").casefold()] += 1
        return _Reply(200, {"bodymessage": task.id, "statuscode": 200})

    def _task(self, task_id: int) -> _Reply:
        task = self.tasks.get(task_id)
        if task is None:
            raise _error(404, "task_not_found", f"Task {task_id} does not exist.")
        task.polls += 1
        self._advance_tasks()
        return _Reply(
            200,
            {
                "task_id": task.id,
                "action_status": task.action_status,
                "last_action_error": task.last_action_error,
                "result": task.result,
                "statuscode": 200,
            },
        )

    def _advance_tasks(self) -> None:
        now = self.clock()
        for task in self.tasks.values():
            if task.action_status in (0, 2) and now >= task.created + self.task_seconds:
                if task.polls < self.slow_task_polls:
                    task.action_status = 2
                    continue
                self._process(task)

    def _process(self, task: _Task) -> None:
        if task.fail_with is not None:
            task.action_status, task.last_action_error = 8, task.fail_with
            return
        for row in task.lines:
            sku = (row.get("sku") or "").strip()
            if not sku:
                continue
            values = {k: (v or "").strip() for k, v in row.items() if k}
            existing = self.listings.get(sku.casefold())
            problems = self._check_values(values, task.market, existing)
            refused = self._refused.get(sku.casefold())
            if refused:
                problems.append(refused)
            if problems:
                task.result[sku] = {"status": "KO", "errors": problems}
                continue
            listing = existing or self._create(values, task.market)
            self._apply(listing, values)
            task.result[sku] = {"status": "OK", "listing_id": listing["id"]}
        task.action_status = 9

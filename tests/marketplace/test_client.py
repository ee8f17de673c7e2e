"""The real httpx client against the simulator: endpoints, headers, errors, faults and limits, checked on the spec."""

from __future__ import annotations

import csv
import io
import json

import pytest

from drivers.marketplace.backmarket import (
    BackMarketClient,
    RemoteListing,
    TaskStatus,
    UserAgent,
    catalog_csv,
)
from drivers.marketplace.errors import (
    AuthenticationError,
    NotFoundError,
    RateLimited,
    RequestRejected,
    ServerError,
    TaskFailed,
    TransportError,
)
from drivers.sim.backmarket import BackMarketSimulator, Fault
from tests.marketplace.conftest import TOKEN, FakeClock, assert_conforms, make_client
from tests.marketplace.openapi import SpecViolation, spec

PRODUCT = "1fabb3df-c319-5f97-bc13-1b143eef012c"


def row(sku: str, quantity: int = 1, price: str = "529.00", **extra: str) -> dict[str, str]:
    return {
        "sku": sku,
        "product_id": PRODUCT,
        "quantity": str(quantity),
        "price": price,
        "min_price": "470.00",
        "currency": "EUR",
        "grade": "PREMIUM",
        "state": "9",
        "warranty_delay": "12",
        "comment": "",
        **extra,
    }


def upload_and_wait(client: BackMarketClient, rows: list[dict[str, str]]) -> TaskStatus:
    task_id = client.upload_catalog(rows)
    status = client.task(task_id)
    assert status.done
    return status


def test_every_endpoint_round_trip_conforms_to_the_spec(client: BackMarketClient, sim: BackMarketSimulator) -> None:
    status = upload_and_wait(client, [row("IPHONE-12-128GB-BLUE-PREMIUM", 2), row("iphone-12-64gb-blue-good")])
    assert status.succeeded
    assert status.line_errors() == {}
    found = client.listing_by_sku("iphone-12-128gb-blue-premium")  # case-insensitive, as Back Market's SKUs
    assert found is not None
    assert (found.quantity, found.price, found.grade, found.state) == (2, "529.00", "PREMIUM", 9)
    updated = client.update_listing(found.id, {"quantity": 0, "price": "499.00"})
    assert (updated.quantity, updated.price, updated.publication_state) == (0, "499.00", 3)
    assert client.update_listing(found.listing_id, {"comment": "boxed"}).id == found.id  # the deprecated int id
    page = client.listings_page(1, 1)
    assert page.count == 2
    assert page.next is not None
    assert [listing.sku for listing in client.iter_listings()] == [
        "IPHONE-12-128GB-BLUE-PREMIUM",
        "iphone-12-64gb-blue-good",
    ]
    assert client.listings_page(publication_state=3).count == 1
    assert client.listing_by_sku("NOPE") is None
    assert assert_conforms(sim) >= 9


def test_headers_are_back_markets(client: BackMarketClient, sim: BackMarketSimulator) -> None:
    client.listing_by_sku("X", market="de-de")
    headers = sim.requests[-1].headers
    assert headers["authorization"] == f"Basic {TOKEN}"
    assert headers["user-agent"] == "BM-RefurbStation-Tests;qa@refurb.example"
    assert headers["accept-language"] == "de-de"
    assert headers["accept"] == "application/json"


def test_the_catalog_is_back_markets_csv_form(client: BackMarketClient, sim: BackMarketSimulator) -> None:
    client.upload_catalog([row("A;B", comment='says "hi"\nline two')])
    body = json.loads(sim.requests[-1].body)
    assert (body["delimiter"], body["quotechar"], body["encoding"]) == (";", '"', "utf-8")
    parsed = list(csv.DictReader(io.StringIO(body["catalog"]), delimiter=";", quotechar='"'))
    assert parsed[0]["sku"] == "A;B"
    assert parsed[0]["comment"] == 'says "hi"\nline two'
    assert body["catalog"].startswith('"sku";"product_id";')


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param([], "empty", id="empty"),
        pytest.param([{"sku": "", "quantity": "1"}], "sku", id="no-sku"),
    ],
)
def test_catalog_csv_refuses_what_back_market_would(rows: list[dict[str, str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        catalog_csv(rows)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        pytest.param({"warranty_delay": "6"}, "warranty_delay must be at least 12 months", id="short-warranty"),
        pytest.param({"min_price": "600.00"}, "min_price is above price", id="floor-above-price"),
        pytest.param({"currency": "USD"}, "does not match the market", id="wrong-currency"),
        pytest.param({"grade": "MINT"}, "unknown grade", id="unknown-grade"),
        pytest.param({"product_id": ""}, "product_id or ean is required", id="no-product"),
    ],
)
def test_a_bad_line_is_reported_per_sku(
    client: BackMarketClient, sim: BackMarketSimulator, line: dict[str, str], error: str
) -> None:
    status = upload_and_wait(client, [row("GOOD-ONE"), row("BAD-ONE", **line)])
    assert status.succeeded
    errors = status.line_errors()
    assert list(errors) == ["bad-one"]
    assert error in errors["bad-one"]
    assert sim.listing("GOOD-ONE") is not None
    assert sim.listing("BAD-ONE") is None


def test_a_failed_task_raises_back_markets_text(client: BackMarketClient, sim: BackMarketSimulator) -> None:
    sim.fail_next_task("Catalog ingestion is disabled for this merchant.")
    status = upload_and_wait(client, [row("SKU-1")])
    assert not status.succeeded
    with pytest.raises(TaskFailed, match="Catalog ingestion is disabled for this merchant"):
        client.raise_for_task(status)


def test_a_slow_task_reports_in_progress(sim: BackMarketSimulator, clock: FakeClock) -> None:
    sim.slow_task_polls = 2
    with make_client(sim, clock) as client:
        task_id = client.upload_catalog([row("SLOW")])
        assert [client.task(task_id).action_status for _ in range(3)] == [2, 9, 9]
    assert_conforms(sim)


@pytest.mark.parametrize(
    ("token", "agent", "error"),
    [
        pytest.param("wrong", UserAgent("RefurbStation", "Tests", "qa@refurb.example"), "401", id="bad-token"),
        pytest.param(TOKEN, UserAgent("Refurb", "X", "nobody@nowhere.example"), None, id="good"),
    ],
)
def test_authentication(
    sim: BackMarketSimulator, clock: FakeClock, token: str, agent: UserAgent, error: str | None
) -> None:
    with make_client(sim, clock, token=token) as client:
        if error:
            with pytest.raises(AuthenticationError, match=error) as caught:
                client.listings_page()
            assert "unauthenticated" in str(caught.value)
        else:
            assert client.listings_page().count == 0
    assert_conforms(sim)


@pytest.mark.parametrize(
    ("company", "integration", "contact"),
    [
        pytest.param("Ref urb", "X", "a@b.example", id="space"),
        pytest.param("Refurb", "X-Y", "a@b.example", id="dash-in-part"),
        pytest.param("Refurb", "X", "not-an-address", id="no-email"),
    ],
)
def test_a_user_agent_back_market_would_refuse_is_refused_here(company: str, integration: str, contact: str) -> None:
    with pytest.raises(ValueError, match="User-Agent"):
        UserAgent(company, integration, contact)


def test_a_server_error_on_a_read_is_retried(
    client: BackMarketClient, sim: BackMarketSimulator, clock: FakeClock
) -> None:
    sim.inject(Fault(503), count=2)
    assert client.listings_page().count == 0
    assert len(sim.requests) == 3
    assert len(clock.slept) == 2
    assert clock.slept[1] > clock.slept[0]  # exponential backoff
    assert_conforms(sim)


def test_a_server_error_on_a_catalog_upload_is_not_blindly_repeated(
    client: BackMarketClient, sim: BackMarketSimulator
) -> None:
    sim.inject(Fault(502, path="/ws/listings"))
    with pytest.raises(ServerError, match="502"):
        client.upload_catalog([row("ONCE")])
    assert len(sim.requests) == 1


def test_persistent_server_errors_give_up(client: BackMarketClient, sim: BackMarketSimulator) -> None:
    sim.inject(Fault(500), count=10)
    with pytest.raises(ServerError) as caught:
        client.listings_page()
    assert caught.value.status == 500
    assert "server_error" in caught.value.raw
    assert len(sim.requests) == client.retry.attempts


def test_a_timeout_becomes_a_transport_error(sim: BackMarketSimulator, clock: FakeClock) -> None:
    sim.inject(Fault("timeout", seconds=2.0, path="/ws/listings"))
    with make_client(sim, clock, timeout=0.2) as client, pytest.raises(TransportError, match="in time"):
        client.upload_catalog([row("T")])


def test_a_dropped_connection_on_a_read_is_retried(client: BackMarketClient, sim: BackMarketSimulator) -> None:
    sim.inject(Fault("drop"))
    assert client.listing_by_sku("NONE") is None
    assert len(sim.requests) == 2


def test_a_bad_request_is_not_retried(client: BackMarketClient, sim: BackMarketSimulator) -> None:
    with pytest.raises(NotFoundError, match="not found"):
        client.update_listing("00000000-0000-0000-0000-000000000000", {"quantity": 1})
    upload_and_wait(client, [row("Q")])
    found = client.listing_by_sku("Q")
    assert found is not None
    with pytest.raises(RequestRejected, match="warranty_delay"):
        client.update_listing(found.id, {"warranty_delay": 3})
    assert_conforms(sim)


def test_an_unknown_listing_is_not_found(client: BackMarketClient) -> None:
    with pytest.raises(NotFoundError):
        client.task(999_999)


def test_a_429_storm_is_waited_out_as_retry_after_says(
    client: BackMarketClient, sim: BackMarketSimulator, clock: FakeClock
) -> None:
    sim.inject(Fault(429, retry_after=3), count=4)
    started = clock()
    assert client.listings_page().count == 0
    assert sim.pending_faults() == 0
    assert client.rate_limited == 4
    assert clock() - started >= 4 * 3  # never earlier than Back Market asked
    assert len(sim.requests) == 5
    assert_conforms(sim)


def test_a_429_without_retry_after_waits_the_documented_block(
    client: BackMarketClient, sim: BackMarketSimulator, clock: FakeClock
) -> None:
    sim.inject(Fault(429))
    started = clock()
    client.listings_page()
    assert clock() - started >= 10


def test_an_endless_storm_gives_up_with_rate_limited(client: BackMarketClient, sim: BackMarketSimulator) -> None:
    sim.inject(Fault(429, retry_after=1), count=50)
    with pytest.raises(RateLimited) as caught:
        client.listings_page()
    assert caught.value.retry_after is not None


def test_the_client_stays_under_back_markets_request_limits(
    client: BackMarketClient, sim: BackMarketSimulator, clock: FakeClock
) -> None:
    """600 reads at full speed: the limiter spaces them so that the simulator (which enforces 200 / 10 s on the same
    clock) never has to refuse one; and the 20 catalog uploads / 10 s likewise."""
    for _ in range(600):
        client.listing_by_sku("X")
    for index in range(40):
        client.upload_catalog([row(f"C{index}")])
    assert sim.rate_limited == 0
    assert client.limiter.waited > 0
    assert busiest_window([r.at for r in sim.requests]) <= 200
    assert busiest_window([r.at for r in sim.requests if r.method == "POST"]) <= 20


def busiest_window(stamps: list[float], window: float = 10.0) -> int:
    stamps = sorted(stamps)
    best = start = 0
    for end, stamp in enumerate(stamps):
        while stamps[start] <= stamp - window:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_the_hourly_sku_line_budget_is_kept_before_sending(client: BackMarketClient, sim: BackMarketSimulator) -> None:
    client.upload_catalog([row(f"S{index}") for index in range(1900)])
    with pytest.raises(RateLimited, match="hourly limit"):
        client.upload_catalog([row("ONE-TOO-MANY")])
    assert len(sim.requests) == 1  # refused here, not by Back Market
    assert sim.rate_limited == 0


def test_a_listing_without_its_fields_is_an_error_not_a_guess() -> None:
    with pytest.raises(Exception, match="without a usable"):
        RemoteListing.from_json({"id": "x"})


def test_the_spec_checker_catches_a_bad_request() -> None:
    """The checker itself can fail: a page size over 50 and a body without its catalog are violations."""
    headers = {
        "authorization": "Basic t",
        "user-agent": "BM-A-B;c@d.example",
        "accept": "application/json",
        "content-type": "application/json",
    }
    with pytest.raises(SpecViolation, match="page-size"):
        spec().validate_request("GET", "/ws/listings", {"page-size": ["51"]}, headers, b"")
    with pytest.raises(SpecViolation, match="catalog"):
        spec().validate_request("POST", "/ws/listings", {}, headers, b'{"quotechar": "x"}')
    with pytest.raises(SpecViolation, match="User-Agent"):
        spec().validate_request("GET", "/ws/listings", {}, {**headers, "user-agent": "python-httpx/0.28"}, b"")
    with pytest.raises(SpecViolation, match="not in the spec"):
        spec().validate_request("GET", "/ws/listings", {"sku": ["X"]}, headers, b"")

"""Bad-input sweep of the Back Market client's response handling, through the real httpx client.

httpx's own MockTransport stands in for the network so that any body, status and header can come back; the
property: every call returns its value or raises :class:`MarketplaceError` (or a subclass), nothing else.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import httpx
from hypothesis import example, given
from hypothesis import strategies as st

from drivers.marketplace.backmarket import BackMarketClient, RemoteListing, RetryPolicy, UserAgent
from drivers.marketplace.errors import MarketplaceError
from drivers.marketplace.rate_limit import RateLimiter
from drivers.marketplace.secrets import Secret
from tests.fuzz._support import fuzz_settings, json_text, json_values, mutated_structure, mutated_text, run_parser

FUZZ = fuzz_settings(60)
AGENT = UserAgent("RefurbStation", "Fuzz", "qa@refurb.example")
LISTING = {
    "id": "7f1c1c3e-2d7b-4c39-9d3a-1c2b3d4e5f60",
    "listing_id": 4242,
    "sku": "RS-000123",
    "quantity": 1,
    "price": "299.00",
    "currency": "EUR",
    "grade": "VERY_GOOD",
    "state": 2,
    "publication_state": 2,
    "warranty_delay": 12,
    "product_id": "0a1b2c3d",
    "title": "iPhone 13 128 GB",
    "min_price": None,
}
BODIES = {
    "listing": LISTING,
    "page": {"count": 1, "next": None, "previous": None, "results": [LISTING]},
    "task": {"task_id": 9, "action_status": 3, "last_action_error": None, "result": {"RS-000123": {"status": "OK"}}},
    "catalog": {"bodymessage": 9},
    "error": {"error": {"code": "E42", "message": "bad price"}},
    "errors": {"errors": [{"code": "E1", "message": "bad sku"}]},
}
CALLS: dict[str, Callable[[BackMarketClient], Any]] = {
    "listing_by_sku": lambda client: client.listing_by_sku("RS-000123"),
    "listings_page": lambda client: client.listings_page(1),
    "iter_listings": lambda client: list(client.iter_listings()),
    "task": lambda client: (status := client.task(9), status.line_errors(), client.raise_for_task(status)),
    "upload_catalog": lambda client: client.upload_catalog([{"sku": "RS-000123", "quantity": "1"}]),
    "update_listing": lambda client: client.update_listing(4242, {"quantity": 0}),
}


def bodies() -> st.SearchStrategy[bytes]:
    documents = list(BODIES.values())
    texts = [json.dumps(document) for document in documents]
    return st.one_of(
        st.sampled_from(documents).flatmap(mutated_structure).map(json_text),
        st.sampled_from(texts).flatmap(lambda text: mutated_text(text)),
        json_values.map(json_text),
        st.sampled_from(["[" * 50_000 + "]" * 50_000, "9" * 5000, "Infinity", "NaN", "", "null"]),
        st.text(max_size=100),
    ).map(lambda text: text.encode("utf-8", "surrogatepass")) | st.binary(max_size=100)


answers = st.tuples(
    st.sampled_from([200, 200, 200, 201, 204, 301, 400, 401, 404, 409, 422, 429, 500, 503]),
    bodies(),
    st.sampled_from(["", "1", "-3", "nan", "inf", "1e999", "soon", "9" * 5000]),
)


def _client(answer: tuple[int, bytes, str]) -> BackMarketClient:
    status, body, retry_after = answer

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if retry_after:
            headers["Retry-After"] = retry_after
        return httpx.Response(status, content=body, headers=headers)

    return BackMarketClient(
        Secret("bmtok-fuzz"),
        AGENT,
        base_url="http://backmarket.invalid",
        limiter=RateLimiter(sleep=lambda seconds: None),
        retry=RetryPolicy(attempts=1),
        rng=random.Random(3),
        sleep=lambda seconds: None,
        transport=httpx.MockTransport(handler),
    )


@FUZZ
@given(call=st.sampled_from(sorted(CALLS)), answer=answers)
@example(call="listing_by_sku", answer=(200, json.dumps({**LISTING, "quantity": float("inf")}).encode(), ""))
@example(call="listing_by_sku", answer=(200, json.dumps({**LISTING, "state": 1e300}).encode(), ""))
@example(call="task", answer=(200, b'{"task_id": Infinity, "action_status": 3}', ""))
@example(call="listings_page", answer=(200, b'{"count": -Infinity, "next": null, "previous": null, "results": []}', ""))
@example(call="listings_page", answer=(200, b"[" * 50_000 + b"]" * 50_000, ""))
@example(call="listings_page", answer=(200, b"9" * 5000, ""))
@example(call="task", answer=(500, b"[" * 50_000 + b"]" * 50_000, ""))
@example(call="task", answer=(429, b"{}", "9" * 5000))
@example(call="iter_listings", answer=(200, b'{"count": 1, "next": 5, "previous": null, "results": []}', ""))
@example(call="iter_listings", answer=(200, json.dumps({**BODIES["page"], "count": 10**9, "next": "p2"}).encode(), ""))
def test_response_handling(call: str, answer: tuple[int, bytes, str]) -> None:
    with _client(answer) as client:
        run_parser(lambda: CALLS[call](client), (MarketplaceError,))


@FUZZ
@given(st.one_of(st.just(LISTING).flatmap(mutated_structure), json_values))
def test_remote_listing(data: Any) -> None:
    listing, _ = run_parser(lambda: RemoteListing.from_json(data, "GET /ws/listings/detail"), (MarketplaceError,))
    if listing is not None:
        assert isinstance(listing.listing_id, int)
        assert isinstance(listing.quantity, int)

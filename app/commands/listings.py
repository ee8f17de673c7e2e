"""``refurb-station listings status | push [--dry-run] | export --csv FILE``, and the wiring of the marketplace
sender (``drivers.marketplace.outbox``) to the listings outbox (``audit.services.listings``).

Configuration (environment): ``REFURB_BACKMARKET_USER_AGENT`` (mandatory for a push, Back Market's form
``BM-{Company}-{Integration};{contact e-mail}``), ``REFURB_BACKMARKET_URL`` (another base URL: preprod, the simulator),
and the token from the OS keyring or ``REFURB_BACKMARKET_TOKEN`` (see ``drivers.marketplace.secrets``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.station import Station
from audit.services import listings as outbox_services
from drivers.marketplace.backmarket import MARKETS, BackMarketClient, UserAgent
from drivers.marketplace.outbox import DrainReport, OutboxSender, PendingLine, SentBatch
from drivers.marketplace.secrets import REDACTED, Secret, install_redaction, load_token, remove_redaction

USER_AGENT_ENV = "REFURB_BACKMARKET_USER_AGENT"
URL_ENV = "REFURB_BACKMARKET_URL"
MARKETPLACE = "backmarket"
EXPORT_COLUMNS = (
    "sku", "title", "product_id", "market", "quantity", "price", "min_price", "currency", "grade", "state",
    "warranty_months", "ebay_condition_id",
)  # fmt: skip
_USER_AGENT = re.compile(r"^BM-(?P<company>[^-;]+)-(?P<integration>[^;]+);(?P<contact>.+)$")


def _command_error(message: str) -> Exception:
    from app.cli import CommandError  # app.cli imports the command modules: import it late

    return CommandError(message)


# --- the wiring ---------------------------------------------------------------------------------------------------


class ServiceOutbox:
    """The sender's store, on the station's database: every call is one unit of work of the listings services."""

    def __init__(self, station: Station, actor: str, marketplace: str = MARKETPLACE) -> None:
        self.station = station
        self.actor = actor
        self.marketplace = marketplace

    def due(self, now: datetime, limit: int) -> Sequence[PendingLine]:
        with self.station.uow() as uow:
            lines = outbox_services.outbox_due(uow, self.marketplace, now, limit=limit)
        return [PendingLine(ln.listing_ids, ln.sku, ln.market, ln.row, ln.maybe_sent, ln.attempts) for ln in lines]

    def awaiting(self) -> Sequence[SentBatch]:
        with self.station.uow() as uow:
            tasks = outbox_services.outbox_awaiting(uow, self.marketplace)
        return [SentBatch(t.task_id, t.market, t.skus, t.attempts) for t in tasks]

    def mark_attempt(self, listing_ids: Sequence[int], now: datetime) -> None:
        with self.station.uow() as uow:
            outbox_services.outbox_mark_attempt(uow, listing_ids, now)

    def mark_sent(self, listing_ids: Sequence[int], task_id: int) -> None:
        with self.station.uow() as uow:
            outbox_services.outbox_mark_sent(uow, listing_ids, task_id)

    def mark_listed(self, listing_ids: Sequence[int], remote_id: str, now: datetime) -> None:
        with self.station.uow() as uow:
            outbox_services.outbox_mark_listed(uow, self.actor, listing_ids, remote_id, now)

    def mark_retry(self, listing_ids: Sequence[int], error: str, next_attempt_at: datetime) -> None:
        with self.station.uow() as uow:
            outbox_services.outbox_mark_retry(uow, listing_ids, error, next_attempt_at)

    def mark_failed(self, listing_ids: Sequence[int], error: str) -> None:
        with self.station.uow() as uow:
            outbox_services.outbox_mark_failed(uow, self.actor, listing_ids, error)


def user_agent_from_env(environ: dict[str, str] | None = None) -> UserAgent:
    value = (os.environ if environ is None else environ).get(USER_AGENT_ENV, "").strip()
    match = _USER_AGENT.match(value)
    if not match:
        raise _command_error(
            f"set ${USER_AGENT_ENV} to Back Market's mandatory form BM-{{Company}}-{{Integration}};{{contact e-mail}}"
        )
    try:
        return UserAgent(match["company"], match["integration"], match["contact"])
    except ValueError as exc:
        raise _command_error(f"${USER_AGENT_ENV}: {exc}") from None


def make_client(market: str, token: Secret, user_agent: UserAgent) -> BackMarketClient:
    return BackMarketClient(token, user_agent, market=market, base_url=os.environ.get(URL_ENV) or None)


# --- the commands -------------------------------------------------------------------------------------------------


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}Z" if value else "-"


def cmd_status(station: Station, args: argparse.Namespace) -> int:
    with station.uow() as uow:
        views = outbox_services.listing_status(uow, marketplace=args.marketplace)
    if args.json:
        print(json.dumps([_view_dict(v) for v in views], indent=2, default=str))
        return 0
    if not views:
        print("no listing handed off yet")
        return 0
    counts: dict[str, int] = {}
    for view in views:
        counts[view.status] = counts.get(view.status, 0) + 1
        price = f"{view.price} {view.currency}" if view.price is not None else "-"
        line = f"#{view.id:<5} {view.status:<8} {view.market:<6} {view.sku:<40} {price:>12}  {view.device}"
        if view.status == "listed":
            line += f"  [{view.remote_id} at {_when(view.acknowledged_at)}]"
        elif view.status == "sent":
            line += f"  [task {view.task_id}]"
        elif view.attempts:
            line += f"  [attempt {view.attempts}, next {_when(view.next_attempt_at)}]"
        print(line)
        if view.last_error:
            print(f"        {view.last_error}")
    print(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    return 0


def _view_dict(view: outbox_services.ListingView) -> dict[str, Any]:
    return {name: getattr(view, name) for name in view.__slots__}


def _dry_run(station: Station, markets: Sequence[str], limit: int) -> int:
    placeholder = Secret("TOKEN")
    if os.environ.get(USER_AGENT_ENV):
        agent = user_agent_from_env()
    else:
        agent = UserAgent("Company", "Integration", "contact@example.com")
        print(f"(${USER_AGENT_ENV} is not set: a placeholder User-Agent is shown)")
    with station.uow() as uow:
        lines = outbox_services.outbox_due(uow, MARKETPLACE, datetime.now(UTC), limit=limit)
    if not lines:
        print("nothing to send")
        return 0
    for market in markets:
        batch = [line for line in lines if line.market == market]
        if not batch:
            continue
        with make_client(market, placeholder, agent) as client:
            for line in batch:
                if line.maybe_sent:
                    print(
                        f"GET {client.base_url}/ws/listings/detail?sku={line.sku}  (may have gone out: looked up first)"
                    )
            request = client.catalog_request([line.row for line in batch], market=market)
        print(f"{request.method} {request.url}")
        for name, value in request.headers.items():
            shown = f"Basic {REDACTED}" if name.lower() == "authorization" else value
            print(f"{name}: {shown}")
        print()
        body = json.loads(request.content)
        print(json.dumps({k: v for k, v in body.items() if k != "catalog"}, indent=2))
        print("catalog:")
        print(body["catalog"], end="")
        print(f"({len(batch)} SKU line(s), {sum(len(line.listing_ids) for line in batch)} device(s))\n")
    return 0


def cmd_push(station: Station, args: argparse.Namespace) -> int:
    markets = [args.market] if args.market else list(MARKETS)
    if args.dry_run:
        return _dry_run(station, markets, args.limit)
    if not args.actor:
        raise _command_error("say who pushes the listings with --as USER (or $REFURB_USER)")
    agent = user_agent_from_env()
    token = load_token()
    redaction = install_redaction(token)
    try:
        total = DrainReport()
        store = ServiceOutbox(station, args.actor)
        for market in markets:
            with make_client(market, token, agent) as client:
                total.add(OutboxSender(client, store, batch_lines=args.limit).run(max_rounds=args.max_rounds))
    finally:
        remove_redaction(redaction)
    print(
        f"sent {total.sent_lines} SKU line(s) in {total.tasks_created} task(s); {total.listed} listed, "
        f"{total.reconciled} found already listed, {total.retried} to retry, {total.failed} failed"
    )
    for error in dict.fromkeys(total.errors):
        print(f"  {error}")
    return 0 if total.failed == 0 else 1


def export_rows(station: Station) -> list[dict[str, str]]:
    with station.uow() as uow:
        drafts = outbox_services.catalog(uow, marketplace=MARKETPLACE)
    return [
        {
            "sku": d.sku,
            "title": d.title,
            "product_id": d.product_id,
            "market": d.market,
            "quantity": str(d.quantity),
            "price": f"{d.price:.2f}",
            "min_price": f"{d.min_price:.2f}",
            "currency": d.currency,
            "grade": d.grade.value,
            "state": str(d.state),
            "warranty_months": str(d.warranty_months),
            "ebay_condition_id": str(d.ebay_condition),
        }
        for d in drafts
    ]


def cmd_export(station: Station, args: argparse.Namespace) -> int:
    rows = export_rows(station)
    path = Path(args.csv)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} catalog line(s) written to {path}")
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listings = commands.add_parser("listings", help="marketplace listings (the outbox)").add_subparsers(
        dest="listings_command", required=True
    )
    status = listings.add_parser("status", help="every listing's state, with the marketplace's last error")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument("--marketplace", default=None, help="only this marketplace")
    status.set_defaults(handler=cmd_status)
    push = listings.add_parser("push", help="send the pending listings to Back Market")
    push.add_argument("--dry-run", action="store_true", help="show exactly what would be sent, send nothing")
    push.add_argument("--market", choices=list(MARKETS), help="only this market (default: all)")
    push.add_argument("--limit", type=int, default=500, help="SKU lines per catalog upload (default 500)")
    push.add_argument("--max-rounds", type=int, default=200, help="polling rounds before giving up for now")
    push.set_defaults(handler=cmd_push)
    export = listings.add_parser("export", help="the live catalog as CSV (with eBay condition ids)")
    export.add_argument("--csv", required=True, metavar="FILE", help="where to write it")
    export.set_defaults(handler=cmd_export)

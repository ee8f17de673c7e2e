"""The marketplace driver family: Back Market's seller API (``backmarket``), its limits (``rate_limit``), the sender
that drains the listings outbox (``outbox``) and where the API token comes from (``secrets``).

Like every driver it imports only ``audit.readings`` from the core: the outbox is reached through a small protocol
(:class:`drivers.marketplace.outbox.OutboxStore`) that ``app/`` wires to ``audit.services.listings``.
"""

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

__all__ = [
    "AuthenticationError",
    "MarketplaceError",
    "NotFoundError",
    "RateLimited",
    "RequestRejected",
    "ServerError",
    "TaskFailed",
    "TransportError",
]

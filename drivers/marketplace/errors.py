"""The marketplace family's errors: one root, each carrying what was asked (``target``) and the raw answer."""

from __future__ import annotations


class MarketplaceError(Exception):
    """Root of every marketplace failure. ``target`` names the request or SKU; ``raw`` is the answer as received."""

    retryable = False

    def __init__(self, message: str, *, target: str = "", status: int | None = None, raw: str = "") -> None:
        super().__init__(message)
        self.target = target
        self.status = status
        self.raw = raw[:2000]


class TransportError(MarketplaceError):
    """No answer: connection refused or reset, timeout."""

    retryable = True


class ServerError(MarketplaceError):
    """A 5xx: the marketplace failed; trying later may work."""

    retryable = True


class RateLimited(MarketplaceError):
    """A 429 (Back Market's limits or Cloudflare's): wait ``retry_after`` seconds, when it said how long."""

    retryable = True

    def __init__(
        self, message: str, *, retry_after: float | None = None, target: str = "", status: int = 429, raw: str = ""
    ) -> None:
        super().__init__(message, target=target, status=status, raw=raw)
        self.retry_after = retry_after


class AuthenticationError(MarketplaceError):
    """401/403: the token is wrong or revoked, the User-Agent refused, or the firewall wants a challenge."""


class NotFoundError(MarketplaceError):
    """404: no such listing or task for this seller."""


class RequestRejected(MarketplaceError):
    """400 and other 4xx: the request itself is wrong; sending it again will not help."""


class TaskFailed(MarketplaceError):
    """A catalog task ended in failure (``action_status`` 8) or refused a line; the message is Back Market's text."""

    def __init__(self, message: str, *, task_id: int, target: str = "", raw: str = "") -> None:
        super().__init__(message, target=target, raw=raw)
        self.task_id = task_id

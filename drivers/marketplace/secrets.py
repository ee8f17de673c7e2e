"""Where the Back Market API token comes from, and how it is kept out of every log line.

The token comes from the OS keyring (the ``keyring`` package: Keychain, Windows Credential Locker, Secret Service) or,
on a machine without one, from ``REFURB_BACKMARKET_TOKEN``. It is never stored in the database or a report; it lives
in a :class:`Secret` whose repr hides it, and :func:`install_redaction` scrubs it from any log record that still
carries it (an exception echoing a header, a library's debug output).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from drivers.marketplace.errors import AuthenticationError

TOKEN_ENV = "REFURB_BACKMARKET_TOKEN"
KEYRING_SERVICE = "refurb-station"
KEYRING_USER = "backmarket"
REDACTED = "[redacted]"

log = logging.getLogger(__name__)


class Secret:
    """A string that never prints itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value or value != value.strip():
            raise ValueError("a token cannot be empty or carry spaces around it")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def _from_keyring(service: str, user: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        log.debug("the keyring package is not installed: reading the token from $%s", TOKEN_ENV)
        return None
    try:
        value = keyring.get_password(service, user)
    except KeyringError as exc:  # no backend (headless Linux), locked collection...
        log.debug("no usable OS keyring (%s): reading the token from $%s", type(exc).__name__, TOKEN_ENV)
        return None
    return value or None


def load_token(
    *, environ: Mapping[str, str] | None = None, service: str = KEYRING_SERVICE, user: str = KEYRING_USER
) -> Secret:
    """The token from the OS keyring, else from the environment; a clear error when neither has it."""
    value = _from_keyring(service, user)
    source = "keyring"
    if value is None:
        value = (os.environ if environ is None else environ).get(TOKEN_ENV, "").strip() or None
        source = "environment"
    if value is None:
        raise AuthenticationError(
            f"no Back Market token: store it with `keyring set {service} {user}` or set ${TOKEN_ENV}",
            target="token",
        )
    log.debug("Back Market token read from the %s", source)
    return Secret(value)


def store_token(token: str, *, service: str = KEYRING_SERVICE, user: str = KEYRING_USER) -> None:
    """Keep the token in the OS keyring (raises ``keyring.errors.KeyringError`` where there is none)."""
    import keyring

    keyring.set_password(service, user, Secret(token).reveal())


class RedactingFilter(logging.Filter):
    """Replaces every occurrence of the secrets in a record's message (arguments merged) and exception text."""

    def __init__(self, *secrets: Secret) -> None:
        super().__init__()
        self._values = tuple(secret.reveal() for secret in secrets)

    def _scrub(self, text: str) -> str:
        for value in self._values:
            text = text.replace(value, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = self._scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if any(value in text for value in self._values):
                record.exc_text = self._scrub(text)
                record.exc_info = None
                record.msg, record.args = f"{record.getMessage()}\n{record.exc_text}", None
                record.exc_text = None
        return True


def install_redaction(secret: Secret, logger: logging.Logger | None = None) -> RedactingFilter:
    """Scrub ``secret`` from everything the handlers of ``logger`` (default: the root logger) write."""
    target = logger or logging.getLogger()
    redacting = RedactingFilter(secret)
    for handler in target.handlers:
        handler.addFilter(redacting)
    return redacting


def remove_redaction(redacting: RedactingFilter, logger: logging.Logger | None = None) -> None:
    for handler in (logger or logging.getLogger()).handlers:
        handler.removeFilter(redacting)

"""The audit core's errors: each one a sentence a person can act on."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every refusal or failure a service reports."""


class NotFound(ServiceError):
    pass


class PermissionDenied(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class Refused(ServiceError):
    """The request is well-formed but a business rule forbids it (locked device, own work, ...)."""


class ConcurrentUpdate(ServiceError):
    """Somebody else changed the record since it was read: reload and try again."""


class IdentityConflict(ServiceError):
    """The identifiers a device reports belong to different records."""

"""Station users and their roles."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from audit.errors import InvalidInput, PermissionDenied
from audit.models import (
    User,
)
from audit.roles import Action, Role
from audit.services._common import (
    BOOTSTRAP_ACTOR,
    record_event,
    require_actor,
)
from audit.unit_of_work import UnitOfWork


def add_user(uow: UnitOfWork, actor: str | None, name: str, role: str) -> int:
    """Add a user. With no active admin yet, anyone at the station may create the first accounts (bootstrap)."""
    name = name.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise InvalidInput(f"invalid user name {name!r}: 1 to 64 characters, no spaces")
    try:
        parsed_role = Role(role)
    except ValueError:
        raise InvalidInput(f"unknown role {role!r}; roles are {', '.join(r.value for r in Role)}") from None
    has_admin = uow.session.execute(
        sa.select(sa.func.count()).select_from(User).where(User.role == Role.ADMIN.value, User.active)
    ).scalar_one()
    if has_admin:
        if actor is None:
            raise PermissionDenied("an admin must add users: say who you are (--as NAME)")
        actor_name = require_actor(uow, actor, Action.MANAGE_USERS).name
    else:
        actor_name = actor or BOOTSTRAP_ACTOR
    if uow.session.execute(sa.select(User.id).where(User.name == name)).first():
        raise InvalidInput(f"user {name!r} already exists")
    user = User(name=name, role=parsed_role.value)
    uow.session.add(user)
    uow.session.flush()
    record_event(uow, actor_name, "user.added", f"user:{name}", {"role": parsed_role.value})
    uow.commit()
    return user.id


@dataclasses.dataclass(frozen=True, slots=True)
class UserView:
    name: str
    role: Role
    active: bool


def list_users(uow: UnitOfWork, *, active_only: bool = True) -> tuple[UserView, ...]:
    """Who may sign in at a station (reading the list needs no role: the sign-in screen shows it)."""
    query = sa.select(User.name, User.role, User.active).order_by(User.name)
    if active_only:
        query = query.where(User.active)
    return tuple(UserView(row.name, Role(row.role), row.active) for row in uow.session.execute(query))

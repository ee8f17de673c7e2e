"""The ``refurb-station`` command line. Thin: every command calls the same services the GUI calls.

Errors are one clear line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError

from app.station import Station, bootstrap
from audit import services
from audit.certificates import CertificateError
from audit.db import DATABASE_URL_ENV, DatabaseError
from audit.errors import NotFound, PermissionDenied, ServiceError
from audit.history import DeviceHistory, device_history
from audit.readings import storage_gb
from audit.roles import Role

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_NOT_FOUND = 4
EXIT_CHAIN_BROKEN = 5

USER_ENV = "REFURB_USER"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="refurb-station",
        description="Refurb Station: inspect, grade, erase, certify and list refurbished phones and laptops.",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help=f"SQLAlchemy URL of the records (default: ${DATABASE_URL_ENV}, else a SQLite file in the data dir)",
    )
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="USER",
        default=os.environ.get(USER_ENV),
        help=f"who is acting (default: ${USER_ENV})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="start the station window (the default)")
    run.add_argument("--simulate", action="store_true", help="run on the simulated bench")
    run.add_argument(
        "--this-laptop",
        action="store_true",
        help="also inspect the laptop the station runs on, as a bench tile (the laptop agent's readers)",
    )

    database = commands.add_parser("db", help="the database").add_subparsers(dest="db_command", required=True)
    database.add_parser("upgrade", help="apply pending schema migrations")
    database.add_parser("status", help="show the database URL and schema revision")

    user = commands.add_parser("user", help="station users").add_subparsers(dest="user_command", required=True)
    user_add = user.add_parser("add", help="add a user (an admin's job once an admin exists)")
    user_add.add_argument("name")
    user_add.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_parser("list", help="list users")

    device = commands.add_parser("device", help="devices").add_subparsers(dest="device_command", required=True)
    device_show = device.add_parser("show", help="a device's full history")
    device_show.add_argument("identifier", metavar="IMEI_OR_SERIAL")
    device_show.add_argument("--json", action="store_true", help="machine-readable output")

    audit = commands.add_parser("audit", help="the audit trail").add_subparsers(dest="audit_command", required=True)
    audit.add_parser("verify-chain", help="check that no audit event was edited or deleted")
    for module in command_modules():
        module.add_commands(commands)
    return parser


def command_modules() -> tuple[CommandModule, ...]:
    """Commands that live beside their feature (app/commands/*.py): each adds its parsers and sets ``handler``."""
    from app import commands

    return commands.MODULES


class CommandModule(Protocol):
    def add_commands(self, commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


class CommandError(Exception):
    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.status = status


def _out(text: str = "") -> None:
    print(text)


def cmd_db(station: Station, args: argparse.Namespace) -> int:
    from audit import db

    if args.db_command == "upgrade":
        db.upgrade(station.engine)
    current = db.current_revision(station.engine)
    _out(f"database: {station.engine.url.render_as_string(hide_password=True)}")
    _out(f"schema revision: {current} (latest {db.head_revision(station.engine)})")
    return EXIT_OK


def cmd_user(station: Station, args: argparse.Namespace) -> int:

    if args.user_command == "add":
        with station.uow() as uow:
            services.add_user(uow, args.actor, args.name, args.role)
        _out(f"added {args.name} ({args.role})")
        return EXIT_OK
    with station.uow() as uow:
        users = services.list_users(uow, active_only=False)
    for user in users:
        _out(f"{user.name:<24} {user.role.value:<12} {'active' if user.active else 'inactive'}")
    return EXIT_OK


def _format_history(history: DeviceHistory) -> str:
    lines = [
        history.label,
        f"  state      {history.state}" + (f" ({history.state_reason})" if history.state_reason else ""),
        f"  family     {history.family}",
        f"  make/model {history.make} {history.model}" + (f" [{history.model_number}]" if history.model_number else ""),
        f"  serial     {history.serial or '-'}",
        f"  IMEI       {', '.join(history.imeis) or '-'}",
        f"  storage    {storage_gb(history.storage_bytes)} GB" if history.storage_bytes else "  storage    unknown",
        f"  colour     {history.colour or 'unknown'}",
        f"  lot        {history.lot or '-'}",
        f"  version    {history.version}",
        "",
        "History:",
    ]
    if not history.entries:
        lines.append("  (nothing recorded yet)")
    for entry in history.entries:
        lines.append(f"  {entry.at:%Y-%m-%d %H:%M:%S}Z  {entry.who:<14} {entry.what:<26} {entry.detail}")
    return "\n".join(lines)


def cmd_device(station: Station, args: argparse.Namespace) -> int:
    with station.uow() as uow:
        history = device_history(uow, services.find_device(uow, args.identifier))
    if args.json:
        _out(json.dumps(history.as_dict(), indent=2, default=str))
    else:
        _out(_format_history(history))
    return EXIT_OK


def cmd_audit(station: Station, _args: argparse.Namespace) -> int:
    with station.uow() as uow:
        report = services.verify_chain(uow)
    _out(report.summary())
    for problem in report.problems[1:20]:
        _out(f"  #{problem.seq}: {problem.problem}")
    return EXIT_OK if report.valid else EXIT_CHAIN_BROKEN


def cmd_run(station: Station, args: argparse.Namespace) -> int:
    from app.gui.application import run_gui

    return run_gui(station, simulate=getattr(args, "simulate", False), this_laptop=getattr(args, "this_laptop", False))


COMMANDS: dict[str, Callable[[Station, argparse.Namespace], int]] = {
    "run": cmd_run,
    "db": cmd_db,
    "user": cmd_user,
    "device": cmd_device,
    "audit": cmd_audit,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    station: Station | None = None
    try:
        station = bootstrap(args.database_url)
        handler: Callable[[Station, argparse.Namespace], int] = getattr(args, "handler", None) or COMMANDS[command]
        return handler(station, args)
    except NotFound as exc:
        return _fail(str(exc), EXIT_NOT_FOUND)
    except PermissionDenied as exc:
        return _fail(f"not allowed: {exc}", EXIT_REFUSED)
    except ServiceError as exc:
        return _fail(str(exc), EXIT_REFUSED)
    except (DatabaseError, CertificateError) as exc:
        return _fail(str(exc), EXIT_FAILED)
    except SQLAlchemyError as exc:
        return _fail(f"database error: {getattr(exc, 'orig', None) or exc}", EXIT_FAILED)
    except CommandError as exc:
        return _fail(str(exc), exc.status)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    finally:
        if station is not None:
            station.close()


def _fail(message: str, status: int) -> int:
    one_line = " ".join(message.split())  # driver messages span lines; a person reads one
    print(f"refurb-station: error: {one_line}", file=sys.stderr)
    return status

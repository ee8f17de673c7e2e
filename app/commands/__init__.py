"""Command-line commands that live beside their feature.

Each module here has ``add_commands(commands)``, which adds its sub-parsers to the ``refurb-station`` parser and
sets ``handler=<function(station, args) -> exit status>`` on each with ``set_defaults``. List it in MODULES.
Handlers raise ``audit.errors.ServiceError`` (or ``app.cli.CommandError``) for a one-line error; ``app.cli.main``
turns those into a message and an exit status.
"""

from __future__ import annotations

from types import ModuleType

from app.commands import agent, android, bays, certificate, ios, listings, report, sim

MODULES: tuple[ModuleType, ...] = (agent, android, bays, certificate, ios, listings, report, sim)

"""``refurb-station agent``: inspect and erase the laptop the station runs on, and carry the result offline.

- ``agent inspect [--json]``: inventory, batteries, disks and their health.
- ``agent erase DEVICE --method clear|purge --verify none|last|all|sample [--dry-run] --yes``: refuses the disk the
  agent runs from and anything mounted or in use; ``--dry-run`` prints the plan and writes nothing. The report
  (nwipe's fields) is written as JSON; its path is the last line printed.
- ``agent bundle --operator NAME [--erasure REPORT ...]``: the inspection (with the locks the agent can read) and
  the erasure reports in one file signed with the station key, for a laptop with no network. ``--operator`` (or
  ``$REFURB_OPERATOR``) names who ran the agent; the import records it.
- ``agent public-key``: this station's public key (PEM), for the station that will import its bundles.
- ``agent trust-key PEM --station NAME`` (an admin): trust that station's key for the bundles it signs.
- ``agent import BUNDLE``: checks the signature and shows what the bundle holds; with ``--as USER`` it takes it into
  the records once (``audit.services.import_agent_bundle``: the laptop, its readings, its erasure reports; importing
  it again changes nothing). ``agent record-erasures DEVICE`` records the waiting erasure reports once the laptop is
  graded (see ``audit/services/agent_bundles.py`` for why they wait).

``--simulate`` runs every command on the simulated laptop of ``drivers/sim/laptop.py`` (its disks are image files).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import dataclasses
import json
import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature

from app.station import Station
from audit import services
from audit.certificates import CertificateError, fingerprint, load_public_key
from audit.chain import canonical_json
from audit.services.agent_bundles import BUNDLE_FORMAT
from drivers.erase.errors import EraseError
from drivers.erase.overwrite import MIB, OverwritePlan, Overwriter, Pattern, Progress
from drivers.erase.purge import plan_purge, run_purge
from drivers.erase.report import Media, VerifyMode, WipeReport
from drivers.erase.safety import SystemView, check_target
from drivers.laptop.battery import SYSFS_POWER_SUPPLY, BatteryReader
from drivers.laptop.disks import DiskInspector
from drivers.laptop.errors import LaptopError
from drivers.laptop.inventory import PROC, SYSFS_DMI, InventoryReader
from drivers.laptop.locks import LockReader
from drivers.laptop.runner import CommandRunner, SubprocessRunner

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_REFUSED = 3
OPERATOR_ENV = "REFURB_OPERATOR"


def _erase_arguments(erase: argparse.ArgumentParser) -> None:
    erase.add_argument("device", metavar="DEVICE", help="e.g. /dev/nvme0n1, or an image file")
    erase.add_argument("--method", choices=["clear", "purge"], default="clear")
    erase.add_argument("--verify", choices=[m.value for m in VerifyMode], default=VerifyMode.LAST.value)
    erase.add_argument("--sample-fraction", type=float, default=0.1, metavar="F", help="for --verify sample")
    erase.add_argument(
        "--pattern",
        action="append",
        choices=[p.value for p in Pattern],
        help="one overwrite pass per use, in order (default: one pass of zeros)",
    )
    erase.add_argument("--block-size", type=int, default=8, metavar="MIB", help="I/O block size in MiB")
    erase.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    erase.add_argument("--yes", action="store_true", help="really erase (required unless --dry-run)")
    erase.add_argument("--output", type=Path, metavar="DIR", help="where the report goes (default: data dir)")
    erase.add_argument(
        "--operator", default=os.environ.get(OPERATOR_ENV), metavar="NAME", help=f"who runs it (${OPERATOR_ENV})"
    )
    erase.add_argument("--simulate", action="store_true", help="use the simulated laptop")
    erase.set_defaults(handler=cmd_erase)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    agent = commands.add_parser("agent", help="inspect and erase the laptop this runs on")
    actions = agent.add_subparsers(dest="agent_command", required=True)

    inspect = actions.add_parser("inspect", help="inventory, batteries and disk health")
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    inspect.add_argument("--simulate", action="store_true", help="use the simulated laptop")
    inspect.set_defaults(handler=cmd_inspect)

    _erase_arguments(actions.add_parser("erase", help="erase one disk (NIST SP 800-88 Clear or Purge)"))
    # The same engine for loose drives at the bench (a disk in a USB dock, an image file): `refurb-station erase`.
    _erase_arguments(commands.add_parser("erase", help="erase a loose drive on the bench (NIST SP 800-88)"))

    bundle = actions.add_parser("bundle", help="write the inspection and erasures as a signed file")
    bundle.add_argument("--erasure", action="append", type=Path, default=[], metavar="REPORT")
    bundle.add_argument("--output", type=Path, metavar="FILE")
    bundle.add_argument(
        "--operator",
        default=os.environ.get(OPERATOR_ENV),
        metavar="NAME",
        help=f"who ran the agent on this laptop (required unless ${OPERATOR_ENV} is set)",
    )
    bundle.add_argument("--simulate", action="store_true", help="use the simulated laptop")
    bundle.set_defaults(handler=cmd_bundle)

    take = actions.add_parser("import", help="check a signed bundle and take it into the records (with --as)")
    take.add_argument("bundle", type=Path, metavar="BUNDLE")
    take.add_argument("--json", action="store_true")
    take.set_defaults(handler=cmd_import)

    public = actions.add_parser("public-key", help="print this station's public key (PEM)")
    public.set_defaults(handler=cmd_public_key)

    trust = actions.add_parser("trust-key", help="trust a station's key for its bundles (an admin)")
    trust.add_argument("pem", type=Path, metavar="PEM", help="the station's public key file")
    trust.add_argument("--station", required=True, metavar="NAME", help="the station it belongs to")
    trust.set_defaults(handler=cmd_trust_key)

    keys = actions.add_parser("keys", help="list the trusted station keys")
    keys.set_defaults(handler=cmd_keys)

    record = actions.add_parser("record-erasures", help="record a graded laptop's waiting agent erasures")
    record.add_argument("device", metavar="SERIAL_OR_#ID")
    record.set_defaults(handler=cmd_record_erasures)


# --- the machine -----------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Machine:
    """Where the agent reads the laptop from: the real one, or the simulated one."""

    runner: CommandRunner
    view: SystemView
    power_supply: Path = SYSFS_POWER_SUPPLY
    dmi_root: Path = SYSFS_DMI
    proc_root: Path = PROC
    image_for: Callable[[str], Path] | None = None  # simulated: the image file standing for a disk
    running_from: tuple[Path, ...] | None = None
    simulated: bool = False

    @property
    def system(self) -> str | None:
        """The operating system its readers should assume (None: the one running). The simulated laptop is a Linux
        one, whatever the machine running the demo or the tests is."""
        return "Linux" if self.simulated else None


@contextlib.contextmanager
def open_machine(simulate: bool) -> Iterator[Machine]:
    if not simulate:
        yield Machine(runner=SubprocessRunner(), view=SystemView())
        return
    from drivers.sim.laptop import SimLaptop

    with tempfile.TemporaryDirectory(prefix="refurb-sim-laptop-") as scratch:
        laptop = SimLaptop(Path(scratch))
        yield Machine(
            runner=laptop.runner,
            view=laptop.view,
            power_supply=laptop.view.sys_root / "class" / "power_supply",
            dmi_root=laptop.view.sys_root / "class" / "dmi" / "id",
            proc_root=laptop.view.proc_root,
            image_for=laptop.image,
            running_from=(),
            simulated=True,
        )


def inspect_machine(machine: Machine) -> dict[str, Any]:
    """Everything the agent reads, as JSON-ready values; what cannot be read says why."""
    inspector = DiskInspector(machine.runner)
    problems: list[str] = []
    try:
        disks = inspector.disks()
    except LaptopError as exc:
        disks = ()
        problems.append(f"disks: {exc}")
    inventory = InventoryReader(machine.runner, dmi_root=machine.dmi_root, proc_root=machine.proc_root).read(disks)
    try:
        batteries = BatteryReader(machine.runner, sysfs_root=machine.power_supply, system=machine.system).read()
    except LaptopError as exc:
        batteries = ()
        problems.append(f"battery: {exc}")
    locks = LockReader(machine.runner, make=inventory.make, system=machine.system).read()
    return {
        "inspected_at": datetime.now(UTC).isoformat(),
        "simulated": machine.simulated,
        "inventory": inventory.as_dict(),
        "batteries": [{**b.as_record(), "soh_percent": b.soh_percent} for b in batteries],
        "disks": [
            {**inspector.health(d.path).as_dict(), "size_bytes": d.size, "transport": d.transport} for d in disks
        ],
        **locks.as_record(),
        "problems": problems,
    }


def _print_inspection(result: dict[str, Any]) -> None:
    inventory = result["inventory"]
    unknown = inventory["unknown"]

    def value(field: str, shown: Any) -> str:
        return str(shown) if shown is not None else f"unknown ({unknown.get(field, 'not found')})"

    ram = inventory["ram_bytes"]
    print(f"laptop     {value('make', inventory['make'])} {inventory['model'] or ''}".rstrip())
    print(f"serial     {value('serial', inventory['serial'])}")
    print(f"cpu        {value('cpu', inventory['cpu'])}")
    print(f"ram        {value('ram_bytes', f'{ram / 1024**3:.1f} GiB' if ram else None)}")
    if not result["batteries"]:
        print("battery    none found")
    for battery in result["batteries"]:
        soh = battery["soh_percent"]
        cycles = battery["cycle_count"]
        print(
            f"battery    {battery['source']}: health {f'{soh:.1f} %' if soh is not None else 'unknown'}, "
            f"cycles {cycles if cycles is not None else 'unknown'}"
        )
    for disk in result["disks"]:
        size = disk["size_bytes"]
        print(
            f"disk       {disk['device']} {disk['model'] or '?'} ({disk['media_type']}, "
            f"{f'{size / 1e9:.0f} GB' if size else 'size unknown'}): {disk['health']} - {'; '.join(disk['reasons'])}"
        )
    for kind, check in result["locks"].items():
        if isinstance(check, dict):
            print(f"lock       {kind}: {check['state']} ({check['evidence']})")
    for name, check in result["firmware_locks"].items():
        if name not in result["locks"]:  # now in the lock status too: printed once
            print(f"lock       {name}: {check['state']} ({check['evidence']})")
    for problem in result["problems"]:
        print(f"problem    {problem}")


def cmd_inspect(_station: Station | None, args: argparse.Namespace) -> int:
    with open_machine(args.simulate) as machine:
        result = inspect_machine(machine)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        _print_inspection(result)
    return EXIT_OK


# --- erase -----------------------------------------------------------------------------------------------------


def _progress_printer(stream: Any = None) -> Callable[[Progress], None]:
    out = stream or sys.stderr

    def show(progress: Progress) -> None:
        out.write(
            f"\r{progress.phase} pass {progress.pass_number}/{progress.passes}: {progress.fraction * 100:5.1f} % "
            f"({progress.done / MIB:,.0f} of {progress.total / MIB:,.0f} MiB, {progress.rate / 1e6:,.0f} MB/s)"
        )
        if progress.done >= progress.total:
            out.write("\n")
        out.flush()

    return show


def _media_for(machine: Machine, device: str, target: Path) -> Media | None:
    if not device.startswith("/dev/"):
        return None
    inspector = DiskInspector(machine.runner)
    health = inspector.health(device)
    size = target.stat().st_size if machine.simulated else (health.capacity_bytes or 0)
    if not machine.simulated and not size:
        with contextlib.suppress(LaptopError):
            size = next((d.size or 0 for d in inspector.block_devices() if d.path == device), 0)
    kind = health.media_type.value + (" (simulated image)" if machine.simulated else "")
    return Media(device, kind, size, None, health.model, health.serial, health.protocol)


def cmd_erase(station: Station, args: argparse.Namespace) -> int:
    from app.cli import CommandError

    if not args.dry_run and not args.yes:
        raise CommandError(f"add --yes to erase {args.device} (or --dry-run to see the plan first)", 2)
    device = args.device
    with open_machine(args.simulate) as machine:
        target = Path(device)
        if machine.image_for is not None and device.startswith("/dev/"):
            target = machine.image_for(Path(device).name)
        verdict = check_target(
            Path(device), view=machine.view, runner=machine.runner, running_from=machine.running_from
        )
        if not verdict.allowed:
            raise CommandError(f"refusing to erase {device}: " + "; ".join(verdict.reasons), EXIT_REFUSED)
        if args.method == "purge":
            try:
                purge_plan = plan_purge(device, machine.runner)
            except EraseError as exc:
                raise CommandError(str(exc), EXIT_REFUSED) from exc
            lines = purge_plan.describe()
            if args.dry_run:
                print("\n".join(["dry run: nothing will be written", *lines]))
                return EXIT_OK
            print("\n".join(lines))
            report = run_purge(purge_plan, machine.runner, progress=lambda f: None)
        else:
            try:
                plan = OverwritePlan(
                    target,
                    patterns=tuple(Pattern(p) for p in (args.pattern or ["zeros"])),
                    verify=VerifyMode(args.verify),
                    sample_fraction=args.sample_fraction,
                    block_size=args.block_size * MIB,
                    media=_media_for(machine, device, target),
                )
            except EraseError as exc:
                raise CommandError(str(exc), 2) from exc
            if args.dry_run:
                print("\n".join(["dry run: nothing will be written", *plan.describe()]))
                return EXIT_OK
            print("\n".join(plan.describe()))
            report = Overwriter(plan, progress=_progress_printer()).run()
    path = _save_report(report, args.output or station.data_dir / "agent", operator=args.operator)
    _print_report(report)
    print(path)
    return EXIT_OK if report.succeeded else EXIT_FAILED


def _save_report(report: WipeReport, directory: Path, *, operator: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    name = Path(report.media.path).name or "target"
    stamp = report.finished_at.strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"erasure-{name}-{stamp}-{uuid.uuid4().hex[:6]}.json"
    details = report.as_dict()
    if operator and operator.strip():
        details["operator"] = operator.strip()  # nwipe's "operator": who ran the erasure
    record = {"report": details, "outcome": report.outcome().as_record()}
    path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    return path


def _print_report(report: WipeReport) -> None:
    rate = f", {report.write_rate / 1e6:,.0f} MB/s" if report.write_rate else ""
    print(f"status      {report.status.value.upper()} in {report.duration_s:,.1f} s{rate}")
    print(f"verified    {report.verification}: {report.verification_result.value}")
    print(f"erased      {report.bytes_erased:,} bytes; errors pass {report.pass_errors}, sync {report.sync_errors}, "
          f"verify {report.verify_errors}")  # fmt: skip
    for error in report.errors:
        print(f"error       {error}")


# --- signed bundles --------------------------------------------------------------------------------------------


def make_bundle(content: dict[str, Any], station: Station) -> dict[str, Any]:
    signer = station.signer()
    payload = canonical_json({"format": BUNDLE_FORMAT, "bundle_id": str(uuid.uuid4()), **content})
    return {
        "format": BUNDLE_FORMAT,
        "payload": payload,
        "signature": signer.sign(payload),
        "public_key": signer.public_pem(),
        "key_fingerprint": signer.fingerprint,
    }


def load_bundle(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The bundle's signed content and the file's document, if its signature holds; :class:`CertificateError` says
    what is wrong otherwise."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CertificateError(f"{path} is not a readable bundle: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
        raise CertificateError(f"{path} is not a Refurb Station agent bundle")
    key = load_public_key(str(document.get("public_key", "")))
    if fingerprint(key) != document.get("key_fingerprint"):
        raise CertificateError("the bundle's key does not match the fingerprint it names")
    try:
        key.verify(base64.b64decode(str(document.get("signature", "")), validate=True), document["payload"].encode())
    except (InvalidSignature, ValueError, KeyError, AttributeError) as exc:
        raise CertificateError("the bundle's signature does not match its content: it was altered") from exc
    content = json.loads(document["payload"])
    if not isinstance(content, dict) or content.get("format") != BUNDLE_FORMAT:
        raise CertificateError("the signed content is not an agent bundle")
    return content, document


def read_bundle(path: Path) -> dict[str, Any]:
    """The bundle's content if its signature holds, with the fingerprint of the key that signed it."""
    content, document = load_bundle(path)
    return {**content, "key_fingerprint": document["key_fingerprint"]}


def cmd_bundle(station: Station, args: argparse.Namespace) -> int:
    from app.cli import CommandError

    operator = (args.operator or "").strip()
    if not operator:
        raise CommandError(f"say who ran the agent with --operator NAME (or ${OPERATOR_ENV})", 2)
    erasures = []
    for path in args.erasure:
        try:
            erasures.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read the erasure report {path}: {exc}") from exc
    with open_machine(args.simulate) as machine:
        inspection = inspect_machine(machine)
    bundle = make_bundle(
        {"station": station.name, "operator": operator, "inspection": inspection, "erasures": erasures}, station
    )
    target = args.output or station.data_dir / "agent" / f"bundle-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(bundle, indent=2), encoding="utf-8")
    print(f"signed with key {bundle['key_fingerprint']}: {len(erasures)} erasure(s), operator {operator}")
    print(target)
    return EXIT_OK


def _actor(args: argparse.Namespace, doing: str) -> str:
    from app.cli import CommandError

    actor: str | None = getattr(args, "actor", None)
    if not actor:
        raise CommandError(f"say who {doing} with --as USER (or $REFURB_USER)", 2)
    return actor


def cmd_import(station: Station, args: argparse.Namespace) -> int:
    content, document = load_bundle(args.bundle)
    actor: str | None = getattr(args, "actor", None)
    if not actor:  # no one named: check and show only
        if args.json:
            print(json.dumps({**content, "key_fingerprint": document["key_fingerprint"]}, indent=2, default=str))
            return EXIT_OK
        _print_bundle(content, document["key_fingerprint"])
        print("  signature valid; not recorded: say who takes it into the records with --as USER")
        return EXIT_OK
    with station.uow() as uow:
        result = services.import_agent_bundle(
            uow, actor, content, document["signature"], document["public_key"], station=station.name
        )
    if args.json:
        print(json.dumps(dataclasses.asdict(result), indent=2))
        return EXIT_OK
    _print_bundle(content, document["key_fingerprint"])
    if result.already_imported:
        print(f"  already imported: nothing changed ({result.device_label}, {result.device_state})")
    else:
        inspection = f"inspection #{result.inspection_id}" if result.inspection_id else "no inspection"
        print(f"  recorded {result.device_label}: {result.device_state}, {inspection}, {result.readings} reading(s)")
        if result.erasures_recorded:
            print(f"  erasures recorded: {', '.join(f'#{e}' for e in result.erasures_recorded)}")
    for note in result.notes:
        print(f"  note     {note}")
    return EXIT_OK


def _print_bundle(content: dict[str, Any], key_fingerprint: str) -> None:
    inventory = content["inspection"]["inventory"]
    print(f"bundle {content['bundle_id']} from station {content['station']}, key {key_fingerprint}")
    print(f"  laptop   {inventory.get('make')} {inventory.get('model')} S/N {inventory.get('serial') or 'unknown'}")
    print(f"  operator {content.get('operator') or 'not named in the bundle'}")
    for erasure in content["erasures"]:
        outcome = erasure.get("outcome", {})
        print(f"  erasure  {outcome.get('media')}: {outcome.get('status')} ({outcome.get('method')})")


def cmd_public_key(station: Station, _args: argparse.Namespace) -> int:
    signer = station.signer()
    print(signer.public_pem(), end="")
    print(f"# station {station.name}, fingerprint {signer.fingerprint}", file=sys.stderr)
    return EXIT_OK


def cmd_trust_key(station: Station, args: argparse.Namespace) -> int:
    from app.cli import CommandError

    actor = _actor(args, "trusts the key")
    try:
        pem = args.pem.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read the key {args.pem}: {exc}") from exc
    with station.uow() as uow:
        key_print = services.register_station_key(uow, actor, pem, args.station)
    print(f"trusted key {key_print} of station {args.station.strip()}")
    return EXIT_OK


def cmd_keys(station: Station, _args: argparse.Namespace) -> int:
    with station.uow() as uow:
        keys = services.list_station_keys(uow)
    if not keys:
        print("no trusted station key")
    for key in keys:
        print(f"{key.fingerprint}  {key.station:<24} by {key.registered_by} at {key.registered_at}")
    return EXIT_OK


def cmd_record_erasures(station: Station, args: argparse.Namespace) -> int:
    actor = _actor(args, "records the erasures")
    with station.uow() as uow:
        device_id = services.find_device(uow, args.device).id
    with station.uow() as uow:
        recorded = services.record_agent_erasures(uow, actor, device_id)
    if not recorded:
        print("no agent erasure waiting for this device")
    else:
        print(f"recorded {len(recorded)} erasure(s): {', '.join(f'#{e}' for e in recorded)}")
    return EXIT_OK

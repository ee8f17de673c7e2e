"""Identity from a Samsung phone's modem port when adb cannot give it (USB debugging not authorised, or off).

A Samsung phone shows its CDC-ACM modem ("SAMSUNG Mobile USB Modem", vendor 04e8) as a serial port even when adb is
not authorised. The modem port and the adb interface are two interfaces of one USB device, so the port's USB serial
number (pyserial's ``list_ports``, read from sysfs) is the adb serial: that is how a port is matched to its phone.
Where USB does not say (a pty, a port behind a hub that hides it), the station is told: ``--modem PORT`` for one
phone, or ``REFURB_SAMSUNG_MODEMS="ADB_SERIAL=PORT,..."`` (``refurb-station sim serve`` prints it for the simulated
bench). What the modem gives is recorded with its source (``modem AT+DEVCONINFO ...``): model, box serial, IMEI;
never the Android version, battery or locks, which need adb.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from audit.readings import DeviceFamily, DeviceIdentity
from drivers.android.errors import AndroidError
from drivers.android.identity import AndroidIdentity
from drivers.android.models import marketing_name

# ``from package import module``, not ``from module import name``: samsung_at imports drivers.android.parsers, so
# when samsung_at is imported first this module loads while samsung_at is half-initialised; its names are looked up
# at call time, when both have loaded.
from drivers.peripherals import samsung_at

log = logging.getLogger(__name__)

MODEMS_ENV = "REFURB_SAMSUNG_MODEMS"
SAMSUNG_VENDOR_ID = 0x04E8
DEFAULT_MODEM_TIMEOUT = 3.0


class ModemUnavailable(AndroidError):
    """The phone's modem port could not give its identity (not found, not answering, or answering nonsense)."""


@dataclasses.dataclass(frozen=True, slots=True)
class ModemPort:
    """A Samsung modem port and how the station knows it: ``usb_serial`` is the phone's adb serial when known."""

    port: str
    usb_serial: str | None
    found_by: str  # "--modem", "REFURB_SAMSUNG_MODEMS", "USB 04e8:6860 serial R58M..."

    def as_dict(self) -> dict[str, Any]:
        return {"port": self.port, "usb_serial": self.usb_serial, "found_by": self.found_by}


def parse_modem_map(text: str) -> dict[str, str]:
    """``"SERIAL=PORT,SERIAL=PORT"`` as {adb serial: port}; malformed entries are ignored (and logged)."""
    found: dict[str, str] = {}
    for entry in text.split(","):
        serial, sep, port = entry.strip().partition("=")
        if sep and serial.strip() and port.strip():
            found[serial.strip()] = port.strip()
        elif entry.strip():
            log.warning("%s: ignored %r (expected ADB_SERIAL=PORT)", MODEMS_ENV, entry)
    return found


def _system_ports() -> list[Any]:
    from serial.tools import list_ports  # reads /sys/class/tty on Linux: only when a fallback is wanted

    return list(list_ports.comports())


class ModemLocator:
    """Finds the modem port of a phone: the port the technician gave (``--modem``), then the environment's
    (``REFURB_SAMSUNG_MODEMS``), then USB (a Samsung CDC-ACM port whose USB serial is the phone's adb serial)."""

    def __init__(
        self,
        configured: Mapping[str, str] | None = None,
        *,
        given: Mapping[str, str] | None = None,
        listing: Callable[[], Iterable[Any]] | None = _system_ports,
    ) -> None:
        self._configured = dict(configured or {})
        self._given = dict(given or {})
        self._listing = listing

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ModemLocator:
        return cls(parse_modem_map((os.environ if environ is None else environ).get(MODEMS_ENV, "")))

    def with_port(self, serial: str, port: str) -> ModemLocator:
        """This locator, with ``port`` given for ``serial`` by the technician (``--modem PORT``)."""
        return ModemLocator(self._configured, given={**self._given, serial: port}, listing=self._listing)

    def usb_ports(self) -> tuple[ModemPort, ...]:
        """The Samsung modem ports USB shows (vendor 04e8), with their USB serial numbers."""
        if self._listing is None:
            return ()
        try:
            infos = list(self._listing())
        except OSError as exc:  # an unreadable /sys is no modem, not a failed inspection
            log.info("serial ports unreadable: %s", exc)
            return ()
        found = []
        for info in infos:
            if getattr(info, "vid", None) != SAMSUNG_VENDOR_ID:
                continue
            serial = getattr(info, "serial_number", None) or None
            found.append(ModemPort(info.device, serial, f"USB {info.vid:04x}:{info.pid or 0:04x} serial {serial}"))
        return tuple(found)

    def ports(self) -> tuple[ModemPort, ...]:
        """Every modem port known, each once: given, then configured, then seen on USB."""
        known: dict[str, ModemPort] = {}
        for found_by, table in (("--modem", self._given), (MODEMS_ENV, self._configured)):
            for serial, port in table.items():
                known.setdefault(port, ModemPort(port, serial, found_by))
        for usb in self.usb_ports():
            known.setdefault(usb.port, usb)
        return tuple(known.values())

    def find(self, serial: str) -> ModemPort | None:
        """The modem port of the phone whose adb serial is ``serial``, or None."""
        return next((port for port in self.ports() if port.usb_serial == serial), None)


def read_modem_identity(
    port: ModemPort,
    *,
    timeout: float = DEFAULT_MODEM_TIMEOUT,
    busy_retries: int = 5,
    busy_delay: float = 0.2,
) -> AndroidIdentity:
    """Model, box serial and IMEI from the modem (``AT+DEVCONINFO``, ``AT+CGSN``), each with its source."""
    adb_serial = port.usb_serial
    try:
        with samsung_at.SamsungModem(
            port.port, timeout=timeout, busy_retries=busy_retries, busy_delay=busy_delay
        ) as modem:
            said = modem.identity()
    except samsung_at.SamsungModemError as exc:
        raise ModemUnavailable(f"the modem port gave no identity: {exc}", serial=adb_serial, raw=exc.raw) from exc
    return identity_from_modem(said, adb_serial=adb_serial, found_by=port.found_by)


def identity_from_modem(
    said: samsung_at.ModemIdentity, *, adb_serial: str | None = None, found_by: str = ""
) -> AndroidIdentity:
    """The driver's identity from what the modem said. A modem that names no model gives no identity."""
    if not said.model:
        raw = "\n".join(text for _, text in said.raw)
        raise ModemUnavailable("the modem port named no model (AT+DEVCONINFO MN())", serial=adb_serial, raw=raw)
    marketing = marketing_name("samsung", "samsung", said.model)
    sources: list[tuple[str, str]] = [
        ("port", f"{said.port} ({found_by})" if found_by else said.port),
        ("make", "modem port vendor (Samsung CDC-ACM)"),
        ("model_number", "modem AT+DEVCONINFO MN()"),
    ]
    if marketing:
        sources.append(("marketing_name", marketing.source))
    if said.serial:
        sources.append(("serial", "modem AT+DEVCONINFO SN()"))
    elif adb_serial:
        sources.append(("serial", "adb serial (USB serial of the modem port)"))
    if said.firmware:
        sources.append(("firmware", "modem AT+DEVCONINFO VER()"))
    for reading in said.imeis:
        sources.append((f"imei {reading.value}", reading.source))
    serial = said.serial or adb_serial
    if not serial:
        raise ModemUnavailable("the modem port gave no serial number (AT+DEVCONINFO SN())", raw=str(said.raw))
    identity = DeviceIdentity(
        family=DeviceFamily.ANDROID,
        make="Samsung",
        model=marketing.name if marketing else said.model,
        model_number=said.model,
        serial=serial,
        imeis=said.valid_imeis,
        os_name="Android",
        hardware_id=adb_serial or said.port,
        source=f"modem {said.port} (AT+DEVCONINFO, AT+CGSN)",
    )
    return AndroidIdentity(
        identity=identity,
        marketing_name=marketing.name if marketing else None,
        android_version=None,
        sdk=None,
        security_patch=None,
        imeis=said.imeis,
        sources=tuple(sources),
        via=f"modem {said.port}",
    )

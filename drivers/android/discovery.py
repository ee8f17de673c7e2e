"""The phones an adb server sees: a line of ``host:devices-l`` each, and their changes (``host:track-devices``)."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import queue
import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from drivers.android import parsers
from drivers.android.client import translate
from drivers.android.errors import AndroidError

if TYPE_CHECKING:
    from drivers.android.bench import AndroidBench

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class AttachedDevice:
    """A line of ``adb devices -l``: the serial, the state and what to tell the technician about it."""

    serial: str
    state: str
    model: str | None = None
    product: str | None = None
    device: str | None = None
    transport_id: int | None = None

    @property
    def ready(self) -> bool:
        return self.state == "device"

    @property
    def message(self) -> str:
        return parsers.state_message(self.state)


def attached_devices(infos: Iterable[Any]) -> tuple[AttachedDevice, ...]:
    """adbutils' ``AdbDeviceInfo`` list as :class:`AttachedDevice` values (the ``devices -l`` tags decoded)."""
    found = []
    for info in infos:
        tags: dict[str, str] = dict(info.tags)
        tid = tags.get("transport_id", "")
        found.append(
            AttachedDevice(
                serial=info.serial,
                state=parsers.normalise_state(info.state),
                model=tags.get("model", "").replace("_", " ") or None,
                product=tags.get("product") or None,
                device=tags.get("device") or None,
                transport_id=int(tid) if tid.isdigit() else None,
            )
        )
    return tuple(found)


@dataclasses.dataclass(frozen=True, slots=True)
class BenchEvent:
    """A change on the bench: ``attached`` / ``detached`` / ``state`` (with the new state), or ``server lost``."""

    kind: str
    serial: str = ""
    state: str = ""
    error: AndroidError | None = None

    @property
    def message(self) -> str:
        if self.error is not None:
            return str(self.error)
        if self.kind == "detached":
            return "unplugged"
        return parsers.state_message(self.state)


EVENTS_KEPT = 256


class DeviceTracker:
    """A thread reading ``host:track-devices``; events go to the callback and to :attr:`events`."""

    def __init__(self, bench: AndroidBench, on_event: Callable[[BenchEvent], None] | None) -> None:
        self._bench = bench
        self._on_event = on_event
        # For callers that poll instead of passing a callback; bounded, oldest dropped, so a long-running bench that
        # never reads it does not keep every attach and detach it ever saw.
        self.events: queue.Queue[BenchEvent] = queue.Queue(maxsize=EVENTS_KEPT)
        self._stop = threading.Event()
        self._connection: Any = bench._call(lambda: bench.client.make_connection(), raw="host:track-devices")
        try:
            self._connection.send_command("host:track-devices")
            self._connection.check_okay()
            self._connection.conn.settimeout(None)  # waits for changes as long as the bench runs; close() ends it
        except Exception as exc:
            self._connection.close()
            raise translate(exc, serial=None, address=bench.address, raw="host:track-devices") from exc
        self._thread = threading.Thread(target=self._run, name="adb-track", daemon=True)
        self._thread.start()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._connection.conn.shutdown(2)  # SHUT_RDWR wakes the reading thread
        self._thread.join(timeout=5)
        with contextlib.suppress(Exception):
            self._connection.close()

    def _emit(self, event: BenchEvent) -> None:
        while True:
            try:
                self.events.put_nowait(event)
                break
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self.events.get_nowait()
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:  # a listener's bug must not end the tracking of every phone
                log.exception("a bench listener failed on %s", event)

    def _run(self) -> None:
        known: dict[str, str] = {}
        while not self._stop.is_set():
            try:
                text = self._connection.read_string_block()
            except Exception as exc:
                if not self._stop.is_set():
                    error = translate(exc, serial=None, address=self._bench.address, raw="host:track-devices")
                    self._emit(BenchEvent("server lost", error=error))
                return
            current: dict[str, str] = {}
            for line in text.splitlines():
                serial, _, state = line.partition("\t")
                if serial.strip() and state.strip():
                    current[serial.strip()] = parsers.normalise_state(state.strip())
            for serial in known.keys() - current.keys():
                self._emit(BenchEvent("detached", serial, "absent"))
            for serial, state in current.items():
                if serial not in known:
                    self._emit(BenchEvent("attached", serial, state))
                elif known[serial] != state:
                    self._emit(BenchEvent("state", serial, state))
            known = current

"""Fixtures for the Android tests: the simulated adb server with its phones, and a tripwire against real adb.

No test may reach a real adb server or start one: ANDROID_ADB_SERVER_PORT always points at a simulator or at a port
where nothing listens, and ADBUTILS_ADB_PATH points at a tripwire script that records any attempt to run adb.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.android import AndroidBench
from drivers.sim.android import AdbServerSim, unused_port
from drivers.sim.android_phone import SimPhone, luhn_complete
from drivers.sim.samsung_modem import SamsungModemSim

WAIT_SECONDS = 10.0  # an upper bound for something that should happen, never a measured figure


@pytest.fixture(autouse=True)
def adb_tripwire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Any attempt to run adb (adbutils' `adb start-server`) is recorded; the test fails if one happened."""
    marker = tmp_path / "adb-was-run.txt"
    script = tmp_path / "adb-tripwire"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{marker}"\nexit 1\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("ADBUTILS_ADB_PATH", str(script))
    monkeypatch.setenv("ANDROID_ADB_SERVER_HOST", "127.0.0.1")
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(unused_port()))
    monkeypatch.delenv("REFURB_SAMSUNG_MODEMS", raising=False)  # a modem port is only what a test gives
    yield marker
    if marker.exists():
        pytest.fail(f"a test ran adb: {marker.read_text(encoding='utf-8')!r}")


SimFactory = Callable[..., AdbServerSim]


@pytest.fixture
def make_sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimFactory]:
    started: list[AdbServerSim] = []

    def factory(*phones: SimPhone) -> AdbServerSim:
        server = AdbServerSim(phones)
        server.start()
        started.append(server)
        monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(server.port))
        return server

    yield factory
    for server in started:
        server.close()


ModemFactory = Callable[..., SamsungModemSim]


@pytest.fixture
def make_modem(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModemFactory]:
    """A simulated modem port (a pty) answering for ``phone``; with ``announce`` its path goes into
    REFURB_SAMSUNG_MODEMS under the phone's adb serial, as ``sim serve`` prints it."""
    started: list[SamsungModemSim] = []
    announced: dict[str, str] = {}

    def factory(phone: SimPhone, *, announce: bool = True, **faults: Any) -> SamsungModemSim:
        props = phone.all_props
        modem = SamsungModemSim(
            model=props["ro.product.model"], serial=props.get("ril.serialnumber", phone.serial), imei=phone.imei or ""
        )
        for name, value in faults.items():
            setattr(modem, name, value)
        modem.start()
        started.append(modem)
        if announce:
            announced[phone.serial] = modem.port
            monkeypatch.setenv("REFURB_SAMSUNG_MODEMS", ",".join(f"{k}={v}" for k, v in announced.items()))
        return modem

    yield factory
    for modem in started:
        modem.close()


SAMSUNG_IMEI = "354118120000007"
PIXEL_IMEI = luhn_complete("35882714000001")


def phone(serial: str = "R5CR20A1B2C", profile: str = "samsung", **fields: Any) -> SimPhone:
    """A simulated phone with a valid IMEI unless told otherwise."""
    fields.setdefault("imei", SAMSUNG_IMEI if profile == "samsung" else PIXEL_IMEI)
    return SimPhone(serial=serial, profile=profile, **fields)


def bench_for(server: AdbServerSim, timeout: float = 2.0) -> AndroidBench:
    return AndroidBench(port=server.port, timeout=timeout)

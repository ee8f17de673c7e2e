"""The simulated bench in a child process, as a real bench is outside the station: the station's figures then
measure the station, not the simulators sharing its interpreter."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
from types import TracebackType
from typing import Self


def _serve(pipe: multiprocessing.connection.Connection, iphones: int, androids: int) -> None:
    from drivers.sim.android import AdbServerSim, make_phones
    from drivers.sim.ios import IosSimulator, SimIphone

    with IosSimulator() as ios, AdbServerSim() as adb:
        pipe.send((ios.address, adb.port))
        while (command := pipe.recv()) != "stop":
            if command == "plug":
                for iphone in (SimIphone.make(i) for i in range(iphones)):
                    ios.plug(iphone)
                for phone in make_phones(androids):
                    adb.plug(phone)


class SimulatorProcess:
    def __init__(self, iphones: int, androids: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, iphones, androids), daemon=True)
        self.usbmux_address = ""
        self.adb_port = 0

    def __enter__(self) -> Self:
        self._process.start()
        self.usbmux_address, self.adb_port = self._pipe.recv()
        return self

    def plug_all(self) -> None:
        """Plug every device in (the child does it; the caller, the GUI thread, does not wait)."""
        self._pipe.send("plug")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._pipe.send("stop")
        self._process.join(10)
        self._pipe.close()

"""The simulated bench in a child process, as a real bench is outside the station: the station's figures then
measure the station, not the simulators sharing its interpreter."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
from types import TracebackType
from typing import Self


def _serve(pipe: multiprocessing.connection.Connection, iphones: int, androids: int, answer_delay: float = 0.0) -> None:
    from drivers.sim.android import AdbServerSim, make_phones
    from drivers.sim.ios import IosSimulator, SimIphone

    with IosSimulator() as ios, AdbServerSim() as adb:
        pipe.send((ios.address, adb.port))
        while (command := pipe.recv()) != "stop":
            if command == "plug":
                for iphone in (SimIphone.make(i, answer_delay=answer_delay) for i in range(iphones)):
                    ios.plug(iphone)
                for phone in make_phones(androids):
                    adb.plug(phone)
            elif command == "unplug":
                for udid in ios.attached():
                    ios.unplug(udid)
                for phone in adb.phones:
                    adb.unplug(phone.serial)
                pipe.send("unplugged")
            elif command == "listeners":
                pipe.send(ios.listener_count())


class SimulatorProcess:
    def __init__(self, iphones: int, androids: int, *, answer_delay: float = 0.0) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, iphones, androids, answer_delay), daemon=True)
        self.usbmux_address = ""
        self.adb_port = 0

    def __enter__(self) -> Self:
        self._process.start()
        self.usbmux_address, self.adb_port = self._pipe.recv()
        return self

    def plug_all(self) -> None:
        """Plug every device in (the child does it; the caller, the GUI thread, does not wait)."""
        self._pipe.send("plug")

    def unplug_all(self) -> None:
        """Unplug every device, and wait until the child has done it (the next round starts on an empty bench)."""
        self._pipe.send("unplug")
        if self._pipe.recv() != "unplugged":
            raise RuntimeError("the simulator process did not unplug its devices")

    def listener_count(self) -> int:
        """How many clients listen to the simulated usbmuxd's attach and detach messages."""
        self._pipe.send("listeners")
        count: int = self._pipe.recv()
        return count

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._pipe.send("stop")
        self._process.join(10)
        self._pipe.close()

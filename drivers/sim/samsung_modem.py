"""A simulated Samsung modem port (the CDC-ACM "SAMSUNG Mobile USB Modem"), on a pty for the real pyserial.

It answers the Hayes commands the station uses: ``AT``, ``AT+DEVCONINFO`` (Samsung's device info line),
``AT+CGSN`` (3GPP 27.007 IMEI) and ``AT+GMM`` (model), each ended by ``OK``; anything else gets ``ERROR``.
Faults: ``busy`` answers ``BUSY`` to that many commands first (the modem is still starting); the base class's
``silent`` and ``garble``.
"""

from __future__ import annotations

from drivers.sim.serial_pty import PtySerialDevice


class SamsungModemSim(PtySerialDevice):
    def __init__(self, *, model: str, serial: str, imei: str, busy: int = 0, firmware: str = "G991BXXSHHXK1") -> None:
        super().__init__()
        self.model = model
        self.serial = serial
        self.imei = imei
        self.busy = busy
        self.firmware = firmware
        self._line = bytearray()

    def devconinfo(self) -> str:
        version = f"{self.firmware}/{self.firmware[:5]}OXM{self.firmware[8:]}/{self.firmware}/{self.firmware}"
        return (
            f"+DEVCONINFO: MN({self.model});BASE({self.model});VER({version});HIDVER({version});MNC();MCC();"
            f"PRD(EUX);;OMCCODE();SN({self.serial});IMEI({self.imei});UN(9C8E3F7A21B04D55);PN();CON(AT,MTP);"
            "LOCK(NONE);LIMIT(FALSE);SDP(RUNTIME);HVID(Data:196609,Cache:262145,System:327681);USER(OWNER)"
        )

    def respond(self, data: bytes) -> bytes:
        self._line.extend(data)
        answers = b""
        while b"\r" in self._line:
            raw, _, rest = bytes(self._line).partition(b"\r")
            self._line = bytearray(rest.lstrip(b"\n"))
            command = raw.decode("ascii", errors="replace").strip().upper()
            if command:
                answers += self._answer(command)
        return answers

    def _answer(self, command: str) -> bytes:
        if self.busy > 0:
            self.busy -= 1
            return b"\r\nBUSY\r\n"
        if command == "AT":
            body = ""
        elif command == "AT+DEVCONINFO":
            body = self.devconinfo() + "\r\n#OK#\r\n"
        elif command == "AT+CGSN":
            body = self.imei + "\r\n"
        elif command == "AT+GMM":
            body = self.model + "\r\n"
        else:
            return b"\r\nERROR\r\n"
        return ("\r\n" + body + "\r\nOK\r\n").encode("ascii") if body else b"\r\nOK\r\n"

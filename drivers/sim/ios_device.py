"""One simulated iPhone or iPad: its lockdownd values, battery registry, locks, pairing state and faults.

The device is plain data plus the answers it gives; :mod:`drivers.sim.ios_lockdown` plays its lockdownd and
services on a connection, and :mod:`drivers.sim.ios` is the usbmuxd that connects a client to it.
"""

from __future__ import annotations

import dataclasses
import enum
import threading
import uuid
from typing import Any

from drivers.sim.ios_certs import make_pair_record, public_key_pem, shared_key

SYSTEM_BUID = "SIMULATED-BUID-0001"
HOST_ID = "5E1EC7ED-0000-4000-8000-000000000001"  # the host a "paired" device already trusts


class PairingState(enum.StrEnum):
    PAIRED = "paired"  # the device trusts the host already (usbmuxd holds the pair record)
    WILL_TRUST = "will trust"  # not paired; the technician taps Trust as soon as the dialog appears
    TRUST_PENDING = "trust pending"  # the "Trust this computer?" dialog stays on screen
    USER_DENIED = "user denied"  # "Don't Trust" was tapped
    PASSCODE_LOCKED = "passcode locked"  # the screen is locked: no Trust dialog until it is unlocked


class FaultKind(enum.StrEnum):
    UNPLUG = "unplug"  # the cable comes out as the request arrives
    GARBAGE = "garbage"  # a framed answer that is not a plist
    TRUNCATED = "truncated"  # the frame promises more bytes than come, then the connection drops
    SILENT = "silent"  # the request is read and never answered


@dataclasses.dataclass
class Fault:
    """Where a fault strikes: a request label ("GetValue", "GetValue:com.apple.fmip", "StartSession", "IORegistry",
    "EraseDevice", ...), what happens, and how many times (None: every time)."""

    at: str
    kind: FaultKind
    times: int | None = None

    def fire(self) -> bool:
        if self.times is None:
            return True
        if self.times <= 0:
            return False
        self.times -= 1
        return True


def modern_battery(design: int = 3279, nominal: int = 2950, cycles: int = 312) -> dict[str, Any]:
    """An AppleSmartBattery entry as recent iPhones report it (MaxCapacity is a percentage there)."""
    return {
        "IOClass": "AppleSmartBattery",
        "DesignCapacity": design,
        "NominalChargeCapacity": nominal,
        "AppleRawMaxCapacity": nominal + 12,
        "CycleCount": cycles,
        "MaxCapacity": 100,
        "CurrentCapacity": 76,
        "AppleRawCurrentCapacity": 2240,
        "Temperature": 2950,
        "Voltage": 3987,
        "IsCharging": True,
        "ExternalConnected": True,
        "BatteryInstalled": True,
        "BatteryData": {"DesignCapacity": design, "CycleCount": cycles, "StateOfCharge": 76},
    }


def old_battery(design: int = 1960, raw_max: int = 1650, cycles: int = 845) -> dict[str, Any]:
    """An AppleARMPMUCharger entry (iPhone 7 and older): no NominalChargeCapacity, no BatteryData."""
    return {
        "IOClass": "AppleARMPMUCharger",
        "DesignCapacity": design,
        "AppleRawMaxCapacity": raw_max,
        "CycleCount": cycles,
        "MaxCapacity": 100,
        "CurrentCapacity": 54,
        "ExternalConnected": True,
    }


def sparse_battery() -> dict[str, Any]:
    """A registry that says nothing about capacity or cycles: the station must read "unknown", not 100 %."""
    return {"IOClass": "AppleSmartBattery", "MaxCapacity": 100, "CurrentCapacity": 88, "ExternalConnected": True}


def _luhn_digit(body: str) -> str:
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


_MODELS = (  # product type, model number, version, design mAh, disk bytes, DeviceColor, DeviceEnclosureColor
    ("iPhone14,5", "MLPF3", "17.5.1", 3227, 127_989_493_760, "1", "9"),
    ("iPhone15,2", "MQ0G3", "18.1", 3200, 255_865_847_808, "1", "17"),
    ("iPhone12,1", "MWLT2", "17.6", 3110, 63_966_400_512, "1", "17"),
    ("iPhone16,1", "MTUV3", "18.0", 3274, 511_731_695_616, "1", "5"),
    ("iPhone10,4", "MQ6G2", "16.7.8", 1821, 63_966_400_512, "2", "2"),
    ("iPhone17,3", "MYE73", "18.2", 3561, 127_989_493_760, "1", "18"),
    ("iPad13,18", "MPQ03", "17.4", 7606, 63_966_400_512, "1", "2"),
    ("iPhone13,2", "MGJ93", "17.1", 2815, 127_989_493_760, "1", "1"),
)


@dataclasses.dataclass
class SimIphone:
    """A simulated device. Everything the station can read is a field; faults are per device."""

    udid: str
    serial: str
    product_type: str = "iPhone14,5"
    product_version: str = "17.5.1"
    build_version: str = "21F90"
    model_number: str = "MLPF3"
    region: str = "ZD/A"
    imeis: tuple[str, ...] = ()
    device_class: str = "iPhone"
    device_name: str = "iPhone"
    front_colour: str = "1"  # DeviceColor: 1 black front glass, 2 white (a hex colour before iPhone 7)
    enclosure_colour: str = "1"  # DeviceEnclosureColor: a per-model code (resources/ios_models.json "colours")
    total_disk_capacity: int | None = 127_989_493_760
    battery: dict[str, Any] | None = dataclasses.field(default_factory=modern_battery)
    battery_entry: str = "AppleSmartBattery"  # the registry entry name holding the battery
    power_source_class: bool = True  # False: a query by class IOPMPowerSource finds nothing, only the entry name
    activation_state: str = "Activated"
    fmip_associated: bool | None = False
    activation_lock: bool = False  # what Apple's server knows; survives an erase, unlike IsAssociated
    supervised: bool = False
    cloud_configuration: dict[str, Any] = dataclasses.field(default_factory=dict)
    pairing: PairingState = PairingState.PAIRED
    # A paired device whose screen is locked: lockdown still answers, but these services refuse to start
    # ("PasswordProtected") until it is unlocked. Backups need the device unlocked (or the escrow bag).
    screen_locked: bool = False
    services_needing_unlock: tuple[str, ...] = ("com.apple.mobilebackup2",)  # unless the escrow bag comes along
    mcinstall_erase: bool = True  # False: MCInstall refuses EraseDevice (the driver falls back to Mobilebackup2)
    faults: list[Fault] = dataclasses.field(default_factory=list)
    reboot_seconds: float = 0.05  # how long an erase or restart keeps the device off the bus
    answer_delay: float = 0.0  # seconds the device "thinks" before each lockdown/service answer (USB + daemon time)
    # what happened to it, for tests to check
    erased: int = 0
    restarted: int = 0
    shut_down: bool = False
    trusted_hosts: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock, repr=False, compare=False)
    trust_dialog_shown: threading.Event = dataclasses.field(default_factory=threading.Event, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.pairing is PairingState.PAIRED and not self.trusted_hosts:
            self.trusted_hosts[HOST_ID] = make_pair_record(HOST_ID, SYSTEM_BUID, self.wifi_address)

    @classmethod
    def make(cls, index: int, **overrides: Any) -> SimIphone:
        """A plausible, distinct device: the index picks the model and makes the identifiers unique."""
        product_type, model_number, version, design, disk, front, enclosure = _MODELS[index % len(_MODELS)]
        body = f"35{index:012d}"
        imei = body + _luhn_digit(body)
        is_ipad = product_type.startswith("iPad")
        fields: dict[str, Any] = {
            "udid": f"00008110-{index + 1:016X}",
            "serial": f"SIMQ{index:06d}XY",
            "product_type": product_type,
            "model_number": model_number,
            "product_version": version,
            "imeis": () if is_ipad else (imei,),
            "device_class": "iPad" if is_ipad else "iPhone",
            "device_name": f"Bench {'iPad' if is_ipad else 'iPhone'} {index + 1}",
            "total_disk_capacity": disk,
            "front_colour": front,
            "enclosure_colour": enclosure,
            "battery": modern_battery(design=design, nominal=design - 40 - 37 * (index % 9), cycles=100 + 61 * index),
        }
        fields.update(overrides)
        return cls(**fields)

    @property
    def wifi_address(self) -> str:
        tail = self.udid.replace("-", "")[-6:].lower().rjust(6, "0")
        return "f0:99:b6:" + ":".join(tail[i : i + 2] for i in (0, 2, 4))

    def fault_for(self, label: str) -> FaultKind | None:
        with self.lock:
            for fault in self.faults:
                if fault.at == label and fault.fire():
                    return fault.kind
        return None

    def pair_record(self) -> dict[str, Any] | None:
        """What usbmuxd holds for this device: the record of a host it trusts."""
        with self.lock:
            record = self.trusted_hosts.get(HOST_ID)
        return dict(record) if record else None

    def public_values(self) -> dict[str, Any]:
        """What lockdown tells anyone, before a session."""
        return {
            "BuildVersion": self.build_version,
            "DeviceClass": self.device_class,
            "DeviceName": self.device_name,
            "ProductType": self.product_type,
            "ProductVersion": self.product_version,
            "UniqueDeviceID": self.udid,
            "UniqueChipID": int(self.udid.replace("-", "")[-16:], 16),
            "WiFiAddress": self.wifi_address,
            "HardwareModel": "D16AP",
            "ProtocolVersion": "2",
        }

    def all_values(self) -> dict[str, Any]:
        """What lockdown tells a paired host in a session."""
        values = self.public_values()
        values.update(
            {
                "ActivationState": self.activation_state,
                "SerialNumber": self.serial,
                "ModelNumber": self.model_number,
                "RegionInfo": self.region,
                "DeviceColor": self.front_colour,
                "DeviceEnclosureColor": self.enclosure_colour,
                "DevicePublicKey": public_key_pem(shared_key("device")),
                "PasswordProtected": self.screen_locked or self.pairing is PairingState.PASSCODE_LOCKED,
                "ProductName": "iPhone OS",
            }
        )
        for key, imei in zip(
            ("InternationalMobileEquipmentIdentity", "InternationalMobileEquipmentIdentity2"), self.imeis, strict=False
        ):
            values[key] = imei
        return values

    def domain(self, name: str) -> dict[str, Any] | None:
        """A lockdown domain's values, or None when the device has no such domain."""
        if name == "com.apple.fmip":
            return {} if self.fmip_associated is None else {"IsAssociated": self.fmip_associated}
        if name == "com.apple.disk_usage":
            if self.total_disk_capacity is None:
                return {}
            return {
                "TotalDiskCapacity": self.total_disk_capacity,
                "TotalDataCapacity": self.total_disk_capacity - 9_000_000_000,
            }
        if name == "com.apple.mobile.chaperone":
            return {"DeviceIsChaperoned": self.supervised}
        if name == "com.apple.mobile.battery":
            current = (self.battery or {}).get("CurrentCapacity")
            return {} if current is None else {"BatteryCurrentCapacity": current}
        return None

    def wipe(self) -> None:
        """What "Erase All Content and Settings" leaves: Setup Assistant, no trusted host, no Find My session."""
        with self.lock:
            self.erased += 1
            self.activation_state = "Unactivated"
            self.fmip_associated = False  # reads false in Setup Assistant even when activation_lock stays on
            self.supervised = False
            self.cloud_configuration = {}
            self.trusted_hosts.clear()
            self.pairing = PairingState.TRUST_PENDING

    # what the person at the bench does, from a test (or the simulator's console) at any time -----------------------

    def tap_trust(self) -> None:
        """The technician taps "Trust" (and enters the passcode): the next Pair request succeeds."""
        with self.lock:
            if self.pairing is not PairingState.PAIRED:
                self.pairing = PairingState.WILL_TRUST

    def tap_dont_trust(self) -> None:
        with self.lock:
            if self.pairing is not PairingState.PAIRED:
                self.pairing = PairingState.USER_DENIED

    def lock_screen(self) -> None:
        with self.lock:
            self.screen_locked = True

    def unlock(self) -> None:
        """The passcode is entered: locked services start again, and an unpaired device now shows the Trust dialog."""
        with self.lock:
            self.screen_locked = False
            if self.pairing is PairingState.PASSCODE_LOCKED:
                self.pairing = PairingState.TRUST_PENDING

    def refuses_while_locked(self, service: str) -> bool:
        with self.lock:
            return self.screen_locked and service in self.services_needing_unlock

    def trust(self, host_id: str, record: dict[str, Any]) -> None:
        with self.lock:
            self.trusted_hosts[host_id] = record
            self.pairing = PairingState.PAIRED


def new_session_id() -> str:
    return str(uuid.uuid4()).upper()

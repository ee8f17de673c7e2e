"""The shipped udev rules cover every vendor the station knows, so bays work without root on Linux."""

from __future__ import annotations

import json
import re
from importlib import resources


def test_every_known_vendor_has_a_rule() -> None:
    vendors = json.loads((resources.files("resources") / "usb_vendors.json").read_text(encoding="utf-8"))["vendors"]
    rules = (resources.files("resources") / "udev" / "60-refurb-station.rules").read_text(encoding="utf-8")
    covered = set(re.findall(r'ATTR\{idVendor\}=="([0-9a-f]{4})"', rules))
    assert covered == set(vendors)
    for line in rules.splitlines():
        if line and not line.startswith("#"):
            assert line.startswith('SUBSYSTEM=="usb", ')
            assert 'GROUP="plugdev"' in line

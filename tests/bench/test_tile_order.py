"""Tiles stand in bay order (numbered bays numerically, then named ones), then devices in no bay by attach order."""

from __future__ import annotations

from app.bench.events import Platform
from app.bench.status import TileStatus


def test_bays_sort_numerically_and_unmapped_devices_come_last() -> None:
    tiles = [
        TileStatus("a", 1, Platform.IOS, "udid-a", order=0, bay=None),
        TileStatus("b", 1, Platform.IOS, "udid-b", order=1, bay="10"),
        TileStatus("c", 1, Platform.ANDROID, "serial-c", order=2, bay="2"),
        TileStatus("d", 1, Platform.ANDROID, "serial-d", order=3, bay="top-left"),
        TileStatus("e", 1, Platform.IOS, "udid-e", order=4, bay=None),
    ]
    assert [t.key for t in sorted(tiles, key=lambda t: t.sort_key)] == ["c", "b", "d", "a", "e"]

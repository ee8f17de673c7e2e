"""The bench view's grid, fed with the bench's own events: tiles stand in bay order, row by row, whether they came one
by one (appended) or had to go between others (laid out again); a tile that leaves closes the ranks; a narrower
window re-flows the grid; Tab walks the tiles in the order shown; a pass builds one tile at most, so that a full hub
plugged at once never holds the event loop for all of them."""

from __future__ import annotations

import typing

import pytest
from pytestqt.qtbot import QtBot

from app.bench.actions import ActionCode, NextAction
from app.bench.events import DeviceEvent, DeviceSeen, NeedsAction, Platform, Unplugged
from app.gui import bench_view
from app.gui.bench_view import BenchView
from app.gui.device_tile import TILE_WIDTH, DeviceTile

pytestmark = pytest.mark.gui

WIDE = 3 * TILE_WIDTH + 200  # three columns
NARROW = TILE_WIDTH + 100  # one column


@pytest.fixture
def view(qtbot: QtBot) -> BenchView:
    view = BenchView()
    qtbot.addWidget(view)
    view.resize(WIDE, 900)
    view.show()
    qtbot.waitExposed(view)
    return view


def seen(key: str, order: int, bay: str | None = None, session: int = 1) -> DeviceSeen:
    return DeviceSeen(key, session, Platform.IOS, f"udid-{key}", order, bay)


def settle(qtbot: QtBot, view: BenchView) -> None:
    """Wait until every device on the bench has its tile, placed."""

    def placed() -> bool:
        return set(view.tiles) == set(view.statuses) and all(view.grid.indexOf(t) >= 0 for t in view.tiles.values())

    qtbot.waitUntil(placed, timeout=5_000)


def grid(view: BenchView) -> list[tuple[int, int, str]]:
    """(row, column, key) of every placed tile, row by row."""
    cells: list[tuple[int, int, str]] = []
    for key, tile in view.tiles.items():
        row, column, _rows, _columns = typing.cast(
            tuple[int, int, int, int], view.grid.getItemPosition(view.grid.indexOf(tile))
        )
        cells.append((row, column, key))
    return sorted(cells)


def assert_row_major(view: BenchView, keys: list[str]) -> None:
    """The tiles fill the grid row by row, in ``keys`` order, with the same number of columns on every full row."""
    cells = grid(view)
    assert [key for _row, _column, key in cells] == keys
    columns = max(column for _row, column, _key in cells) + 1
    assert [(row, column) for row, column, _key in cells] == [(i // columns, i % columns) for i in range(len(keys))]
    rows = (len(keys) + columns - 1) // columns
    stretched = [row for row in range(view.grid.rowCount()) if view.grid.rowStretch(row)]
    assert stretched == [rows]  # the spare height goes below the tiles, never between them


def tab_order(first: DeviceTile, count: int) -> list[str]:
    """The keys of the tiles Tab reaches from ``first`` (their labels take no focus, so they are skipped)."""
    keys, widget = [first.status.key], first.nextInFocusChain()
    while len(keys) < count and widget is not None and widget is not first:
        if isinstance(widget, DeviceTile):
            keys.append(widget.status.key)
        widget = widget.nextInFocusChain()
    return keys


def feed(view: BenchView, events: list[DeviceEvent]) -> None:
    for event in events:
        view.on_device_event(event)


@pytest.mark.parametrize(
    ("arrivals", "expected"),
    [
        pytest.param([("a", 0, None), ("b", 1, None), ("c", 2, None), ("d", 3, None)], "abcd", id="attach-order"),
        pytest.param([("a", 0, "3"), ("b", 1, "1"), ("c", 2, "2")], "bca", id="bays-out-of-order"),
        pytest.param([("a", 0, None), ("b", 1, "10"), ("c", 2, "2"), ("d", 3, None)], "cbad", id="bays-then-unmapped"),
        pytest.param([(k, i, None) for i, k in enumerate("abcdefgh")], "abcdefgh", id="three-rows"),
    ],
)
def test_tiles_stand_in_bay_order_row_by_row_whether_appended_or_laid_out_again(
    qtbot: QtBot, view: BenchView, arrivals: list[tuple[str, int, str | None]], expected: str
) -> None:
    for key, order, bay in arrivals:  # one at a time: each may be appended, or must go between the others
        view.on_device_event(seen(key, order, bay))
        settle(qtbot, view)
    assert_row_major(view, list(expected))


def test_a_full_hub_at_once_is_built_a_tile_per_pass_and_placed_in_order(qtbot: QtBot, view: BenchView) -> None:
    keys = [f"d{i:02d}" for i in range(9)]
    feed(view, [seen(key, i) for i, key in enumerate(keys)])
    view.flush()
    assert len(view.tiles) == bench_view.NEW_TILES_PER_PASS
    settle(qtbot, view)
    assert_row_major(view, keys)


def test_a_tile_that_leaves_closes_the_ranks_and_tab_follows_the_grid(qtbot: QtBot, view: BenchView) -> None:
    feed(view, [seen(key, i) for i, key in enumerate("abcde")])
    settle(qtbot, view)
    view.on_device_event(Unplugged("b", 1, None))
    view.on_device_event(seen("f", 5))
    settle(qtbot, view)

    assert_row_major(view, list("acdef"))
    assert tab_order(view.tiles["a"], 5) == list("acdef")


def test_a_narrower_window_reflows_the_grid(qtbot: QtBot, view: BenchView) -> None:
    feed(view, [seen(key, i) for i, key in enumerate("abcd")])
    settle(qtbot, view)
    assert {column for _row, column, _key in grid(view)} == {0, 1, 2}

    view.resize(NARROW, 900)
    qtbot.waitUntil(lambda: {column for _row, column, _key in grid(view)} == {0}, timeout=5_000)
    view.on_device_event(seen("e", 4))  # appended in the one column
    settle(qtbot, view)
    assert_row_major(view, list("abcde"))


def test_a_replugged_device_gets_a_fresh_tile_in_its_place(qtbot: QtBot, view: BenchView) -> None:
    feed(view, [seen(key, i) for i, key in enumerate("abc")])
    feed(view, [NeedsAction("b", 1, NextAction(ActionCode.READY_TO_GRADE))])
    settle(qtbot, view)
    first = view.tiles["b"]
    qtbot.waitUntil(lambda: first.action.text() == "Ready to grade", timeout=5_000)

    feed(view, [Unplugged("b", 1, None), seen("b", 3, session=2)])
    settle(qtbot, view)

    assert view.tiles["b"] is not first
    assert view.tiles["b"].action.text() == "Connecting…"
    assert_row_major(view, list("acb"))  # attach order: it came back last


def test_late_events_of_an_earlier_session_change_nothing(qtbot: QtBot, view: BenchView) -> None:
    feed(view, [seen("a", 0, session=2)])
    settle(qtbot, view)
    feed(view, [NeedsAction("a", 1, NextAction(ActionCode.FAILED, "gone")), Unplugged("a", 1, None)])
    qtbot.wait(2 * bench_view.REFRESH_MS)
    assert "a" in view.tiles
    assert view.tiles["a"].action.text() == "Connecting…"

"""The snapshot graph's layout (Qt-free): positions, lanes, the Now path, day marks."""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone

import pytest

from xsnap_gui.ui.snapshot_graph import samples
from xsnap_gui.ui.snapshot_graph.layout import (
    BASE,
    DISK,
    NOW,
    GraphNode,
    Layout,
    day_marks,
    layout,
)

T0 = datetime(2025, 1, 30, 12, 0, tzinfo=UTC)


def snap(key: str, parent: str | None, hours: float, kind: str = DISK) -> GraphNode:
    return GraphNode(key, parent, key, T0 + timedelta(hours=hours), kind)


def base() -> GraphNode:
    return GraphNode(BASE, None, "vm", None, BASE)


def now(parent: str | None, hours: float = 1000) -> GraphNode:
    return GraphNode(NOW, parent, "Now", T0 + timedelta(hours=hours), NOW)


def assert_well_formed(result: Layout, nodes: list[GraphNode]) -> None:
    """The invariants every layout keeps, whatever the input."""
    keys = {n.key for n in nodes}
    assert set(result.positions) == keys
    cells = [(p.column, p.row) for p in result.positions.values()]
    assert len(set(cells)) == len(cells), "two nodes share a position"
    assert sorted(p.column for p in result.positions.values()) == list(range(len(keys)))
    for parent, child in result.edges():
        assert result.positions[parent].column < result.positions[child].column
        assert result.positions[parent].row <= result.positions[child].row
    if result.now_key is not None:
        for key in result.main_path:
            assert result.positions[key].row == 0, f"{key} is on the Now path but off lane 0"
    assert_no_crossings(result)


def assert_no_crossings(result: Layout) -> None:
    """Connectors run along lanes and turn down on column boundaries (half-columns
    here): no connector may cross another one or run through a node."""
    pos = result.positions
    horizontal: dict[int, list[tuple[int, int, str]]] = defaultdict(list)  # row -> spans
    vertical: list[tuple[int, int, int, str]] = []  # x, top row, bottom row, parent
    for parent, child in result.edges():
        p, c = pos[parent], pos[child]
        if p.row == c.row:
            horizontal[c.row].append((2 * p.column, 2 * c.column, parent))
        else:
            horizontal[c.row].append((2 * p.column + 1, 2 * c.column, parent))
            vertical.append((2 * p.column + 1, p.row, c.row, parent))
    nodes_by_row: dict[int, list[int]] = defaultdict(list)
    for p in pos.values():
        nodes_by_row[p.row].append(2 * p.column)
    for row, spans in horizontal.items():
        for lo, hi, _ in spans:
            inside = [x for x in nodes_by_row[row] if lo < x < hi]
            assert not inside, f"a connector on row {row} runs through a node"
        for i, (lo1, hi1, p1) in enumerate(spans):
            for lo2, hi2, p2 in spans[i + 1:]:
                if p1 != p2:  # siblings share their trunk; others meet only at nodes
                    assert hi1 <= lo2 or hi2 <= lo1, f"connectors overlap on row {row}"
    for x, top, bottom, parent in vertical:
        for row in range(top + 1, bottom):
            for lo, hi, other in horizontal.get(row, []):
                if other != parent:
                    assert not lo < x < hi, f"a connector crosses row {row}"


# --- shapes -------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "seed", "orphans"),
                         [(0, 1, 0), (1, 1, 0), (12, 4, 0), (60, 7, 2), (300, 3, 1),
                          (500, 11, 3)])
def test_sample_histories_are_well_formed(count: int, seed: int, orphans: int) -> None:
    nodes = samples.history(count, seed=seed, orphans=orphans)
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert result.now_key == NOW
    assert result.main_path  # base ... Now
    assert BASE in result.main_path and NOW in result.main_path


def test_a_deep_chain_is_one_straight_lane() -> None:
    nodes = samples.chain(28)
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert result.row_count == 1
    assert [n.key for n in nodes] == list(result.columns)
    assert result.main_path == {n.key for n in nodes}


def test_now_sits_under_its_parent_on_lane_zero() -> None:
    nodes = [base(), snap("a", BASE, 1), snap("b", "a", 2), snap("c", "a", 3),
             snap("d", "c", 4), now("b")]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert result.parents[NOW] == "b"
    assert result.main_path == {BASE, "a", "b", NOW}
    assert result.positions[NOW].row == result.positions["b"].row == 0
    # The newer branch c-d hangs below although it is later than b.
    assert result.positions["c"].row == result.positions["d"].row == 1
    assert result.children["a"] == ("b", "c")


def test_now_without_a_parent_goes_right_of_base() -> None:
    nodes = [base(), snap("a", BASE, 1), snap("b", "a", 2), now(None, hours=0.5)]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert result.parents[NOW] == BASE
    assert result.positions[NOW] .row == 0
    assert result.positions[NOW].column > result.positions[BASE].column
    assert result.positions["a"].row == 1


def test_now_with_an_unknown_parent_goes_under_base() -> None:
    nodes = [base(), snap("a", BASE, 1), now("OpaqueRef:gone")]
    result = layout(nodes)
    assert result.parents[NOW] == BASE
    assert_well_formed(result, nodes)


def test_now_alone_without_base_is_the_main_root() -> None:
    nodes = [snap("a", None, 1), snap("b", "a", 2), now(None)]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert result.positions[NOW].row == 0
    assert result.positions["a"].row == 1
    assert result.tree_starts == (1,)


def test_orphans_are_separate_trees_stacked_below() -> None:
    nodes = [base(), snap("a", BASE, 1), snap("x", "a", 2), snap("b", "a", 3), now("b"),
             snap("orphan1", None, 0.5), snap("orphan2", "OpaqueRef:missing", 1.5),
             snap("orphan1-child", "orphan1", 2.5)]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    main_rows = {result.positions[k].row for k in (BASE, "a", "x", "b", NOW)}
    assert result.tree_starts and min(result.tree_starts) > max(main_rows)
    assert result.positions["orphan1-child"].row == result.positions["orphan1"].row
    assert result.parents["orphan2"] is None
    assert len(result.tree_starts) == 2
    assert result.row_count == max(p.row for p in result.positions.values()) + 1


def test_without_now_the_base_tree_comes_first() -> None:
    nodes = [snap("orphan", None, -5), base(), snap("a", BASE, 1), snap("b", "a", 2)]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert result.now_key is None and not result.main_path
    assert result.positions[BASE].row == 0
    assert result.positions["orphan"].row == 1


def test_side_branches_reuse_a_lane_once_it_is_free() -> None:
    # Two dead ends off the main line, far apart in time: one lane holds both.
    nodes = [base(), snap("a", BASE, 1), snap("dead1", "a", 2), snap("b", "a", 3),
             snap("c", "b", 4), snap("d", "c", 5), snap("e", "d", 6), snap("dead2", "e", 7),
             snap("f", "e", 8), now("f")]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert result.positions["dead1"].row == result.positions["dead2"].row == 1
    assert result.row_count == 1 + 1


def test_overlapping_side_branches_get_their_own_lanes() -> None:
    nodes = [base(), snap("a", BASE, 1), snap("b", "a", 2), snap("long1", "a", 3),
             snap("long2", "long1", 9), snap("c", "b", 4), snap("short", "c", 5),
             snap("d", "c", 6), now("d")]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert result.positions["long1"].row != result.positions["short"].row


def test_children_of_one_node_fan_out_in_time_order() -> None:
    nodes = [base(), *(snap(f"s{i}", BASE, i) for i in range(1, 6)), now(BASE)]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    rows = [result.positions[f"s{i}"].row for i in range(1, 6)]
    assert rows == sorted(rows) and len(set(rows)) == 5
    assert result.children[BASE][0] == NOW


# --- awkward input ------------------------------------------------------------------------


def test_layout_is_deterministic_whatever_the_input_order() -> None:
    nodes = samples.history(200, seed=9, orphans=2)
    shuffled = list(nodes)
    random.Random(1).shuffle(shuffled)
    assert layout(nodes).positions == layout(shuffled).positions


def test_clock_skew_never_puts_a_child_left_of_its_parent() -> None:
    nodes = [base(), snap("a", BASE, 10), snap("b", "a", 5), snap("c", "b", -3), now("c", 2)]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert list(result.columns) == [BASE, "a", "b", "c", NOW]


def test_nodes_without_time_follow_their_parent() -> None:
    nodes = [base(), snap("a", BASE, 1), GraphNode("t", "a", "t", None, DISK),
             snap("b", "a", 2), now("b")]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert result.positions["t"].column == result.positions["a"].column + 1


def test_parent_cycles_are_cut_instead_of_losing_nodes() -> None:
    nodes = [base(), snap("a", "c", 1), snap("b", "a", 2), snap("c", "b", 3),
             snap("self", "self", 4), now(BASE)]
    result = layout(nodes)
    assert_well_formed(result, nodes)
    assert result.parents["a"] is None  # the smallest key of the loop becomes a root
    assert result.parents["self"] is None


def test_duplicate_keys_keep_the_first_node() -> None:
    nodes = [base(), snap("a", BASE, 1), snap("a", None, 9), now("a")]
    result = layout(nodes)
    assert result.parents["a"] == BASE
    assert len(result.positions) == 3


def test_is_ancestor() -> None:
    nodes = [base(), snap("a", BASE, 1), snap("b", "a", 2), snap("c", "a", 3), now("b")]
    result = layout(nodes)
    assert result.is_ancestor("a", "b") and result.is_ancestor(BASE, NOW)
    assert result.is_ancestor("b", "b")
    assert not result.is_ancestor("b", "c") and not result.is_ancestor("b", "a")


# --- day marks ----------------------------------------------------------------------------


def test_day_marks_follow_calendar_days_in_the_given_zone() -> None:
    nodes = [base(), snap("a", BASE, 0), snap("b", "a", 5), snap("c", "b", 13),
             snap("d", "c", 24 * 2), now("d", 24 * 40)]
    result = layout(nodes)
    utc = day_marks(result, nodes, UTC)
    # 12:00 and 17:00 on the 30th; 01:00 on the 31st; 1 Feb; 11 March.
    assert [(m.column, m.day.isoformat()) for m in utc] == [
        (1, "2025-01-30"), (3, "2025-01-31"), (4, "2025-02-01"), (5, "2025-03-11")]
    assert [m.new_month for m in utc] == [True, False, True, True]
    assert utc[0].new_year and not any(m.new_year for m in utc[1:])
    # Twelve hours east, a, b and c all fall on the 31st and d starts 2 February.
    east = day_marks(result, nodes, timezone(timedelta(hours=12)))
    assert [(m.column, m.day.isoformat()) for m in east][:2] == [
        (1, "2025-01-31"), (4, "2025-02-02")]


# --- scale ----------------------------------------------------------------------------------


def test_two_thousand_nodes_lay_out() -> None:
    nodes = samples.history(2000, seed=5, orphans=3)
    started = time.perf_counter()
    result = layout(nodes)
    elapsed = time.perf_counter() - started
    print(f"\nlayout of {len(nodes)} nodes: {elapsed * 1000:.1f} ms, {result.row_count} lanes")
    assert_well_formed(result, nodes)


def test_awkward_shapes_at_scale() -> None:
    """A 2000-deep chain (no recursion limit) and 2000 children of one node."""
    limit = sys.getrecursionlimit()
    deep = samples.chain(2000)
    assert layout(deep).row_count == 1
    assert sys.getrecursionlimit() == limit
    star = [base(), *(snap(f"s{i:04d}", BASE, i) for i in range(2000)), now(BASE, 5000)]
    result = layout(star)
    assert result.row_count == 2001
    assert_no_crossings(result)
    # Leaves hanging off a long main line, each ending late, need a lane each.
    comb = [base()]
    for i in range(600):
        comb.append(snap(f"m{i:03d}", f"m{i - 1:03d}" if i else BASE, i))
        comb.append(snap(f"late{i:03d}", f"m{i:03d}", 10_000 + i))
    comb.append(now("m599", 20_000))
    result = layout(comb)
    assert_well_formed(result, comb)

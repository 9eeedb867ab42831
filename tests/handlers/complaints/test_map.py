"""The complaint map's parts: which building a complaint is about, hot spots, the plan, building positions."""
from __future__ import annotations

from sqlmodel import select

from handlers.complaints import hotspots, places, plan
from handlers.complaints.places import Spot
from handlers.households.positions import PositionRow, save_positions
from models import Binding, Building, Household, Resident

LAT, LNG = 38.0418, 114.5041
M = 1 / 111_320  # about a metre of latitude, in degrees


def building(db_session, community, name: str) -> Building:
    return db_session.exec(select(Building).where(Building.community_id == community.id,
                                                  Building.name == name)).one()


def bind(db_session, openid: str, building_row: Building) -> None:
    resident = db_session.exec(select(Resident).where(Resident.openid == openid)).one()
    household = db_session.exec(select(Household).where(Household.building_id == building_row.id)).first()
    db_session.add(Binding(resident_id=resident.id, household_id=household.id, role="owner"))
    db_session.commit()


def test_named_building_beats_gps_which_beats_the_reporters_home(db_session, roster, make_complaint):
    one, two = building(db_session, roster, "1号楼"), building(db_session, roster, "2号楼")
    spots = [Spot(one.id, "1号楼", latitude=LAT, longitude=LNG), Spot(two.id, "2号楼", latitude=LAT + 60 * M,
                                                                  longitude=LNG)]
    named = make_complaint(community_id=roster.id, openid="oA", description="2号楼楼道堆满杂物", lat=LAT, lng=LNG)
    by_gps = make_complaint(community_id=roster.id, openid="oB", description="路灯不亮", lat=LAT + 55 * M, lng=LNG)
    at_home = make_complaint(community_id=roster.id, openid="oC", description="楼下有垃圾")
    far = make_complaint(community_id=roster.id, openid="oD", description="门口有垃圾", lat=LAT + 500 * M, lng=LNG)
    bind(db_session, "oC", one)
    placed = places.place_all([named, by_gps, at_home, far], spots, roster.id, near_m=50, session=db_session)
    assert placed == {named.id: two.id, by_gps.id: two.id, at_home.id: one.id, far.id: None}


def test_a_building_name_is_not_read_inside_another_number():
    spots = [Spot(1, "1"), Spot(11, "11"), Spot(3, "3号楼")]
    assert places.named_building("11号楼东侧下水道堵了", spots) == 11
    assert places.named_building("1栋门口", spots) == 1
    assert places.named_building("13号楼", spots) is None
    assert places.named_building("3号楼楼道", spots) == 3


def test_hot_spots_are_same_category_same_place(make_complaint, roster):
    rows = [make_complaint(community_id=roster.id, openid=f"o{n}", category="water", lat=LAT + n * 10 * M, lng=LNG)
            for n in range(3)]  # 0, 10, 20 m apart
    rows.append(make_complaint(community_id=roster.id, openid="oFar", category="water", lat=LAT + 400 * M, lng=LNG))
    rows.append(make_complaint(community_id=roster.id, openid="oOther", category="parking", lat=LAT, lng=LNG))
    a = make_complaint(community_id=roster.id, openid="oX", category="facility", description="1号楼路灯")
    b = make_complaint(community_id=roster.id, openid="oY", category="facility", description="1号楼门禁坏了",
                       lat=LAT + 300 * M, lng=LNG)  # far from the others, but the same building
    found = hotspots.hot_spots(rows + [a, b], {a.id: 7, b.id: 7}, radius_m=50)
    assert [(h.category, h.count, h.building_id) for h in found] == [("water", 3, None), ("facility", 2, 7)]
    assert {c.id for c in found[0].complaints} == {c.id for c in rows[:3]}


def test_grid_plan_puts_markers_on_their_building_and_counts_the_rest(make_complaint, roster):
    spots = [Spot(1, "1号楼", plan_x=1, plan_y=1), Spot(2, "2号楼", plan_x=2, plan_y=1), Spot(3, "3号楼")]
    open_one = make_complaint(community_id=roster.id, openid="oA")
    other = make_complaint(community_id=roster.id, openid="oB")
    nowhere = make_complaint(community_id=roster.id, openid="oC")
    drawn = plan.layout(spots, [open_one, other, nowhere], {open_one.id: 1, other.id: 2, nowhere.id: 3})
    assert drawn.mode == "grid" and [b.name for b in drawn.blocks] == ["1号楼", "2号楼"]
    assert drawn.unplaced == [nowhere]
    blocks = {b.id: b for b in drawn.blocks}
    for marker, building_id in zip(drawn.markers, (1, 2)):
        block = blocks[building_id]
        assert block.x <= marker.x <= block.x + block.w and block.y <= marker.y <= block.y + block.h
        assert marker.group == "review" and marker.colour == plan.COLOUR_OF["review"]
    assert all(0 < v < plan.WIDTH for b in drawn.blocks for v in (b.x, b.x + b.w))


def test_without_positions_complaints_are_projected_from_their_coordinates(make_complaint, roster):
    west = make_complaint(community_id=roster.id, openid="oW", lat=LAT, lng=LNG)
    east = make_complaint(community_id=roster.id, openid="oE", lat=LAT, lng=LNG + 100 * M / 0.787)  # ~100 m east
    north = make_complaint(community_id=roster.id, openid="oN", lat=LAT + 100 * M, lng=LNG)
    again = make_complaint(community_id=roster.id, openid="oW2", lat=LAT, lng=LNG)  # the very same spot
    drawn = plan.layout([], [west, east, north, again], {})
    at = {m.complaint.id: (m.x, m.y) for m in drawn.markers}
    assert drawn.mode == "geo" and drawn.unplaced == [] and len(at) == 4
    assert at[east.id][0] - at[west.id][0] > 100 and abs(at[east.id][1] - at[west.id][1]) < 1
    assert at[west.id][1] - at[north.id][1] > 100  # north is up
    assert abs((at[east.id][0] - at[west.id][0]) - (at[west.id][1] - at[north.id][1])) < 5  # same scale both ways
    assert at[again.id] != at[west.id]  # stepped aside, not hidden underneath
    assert drawn.scale_m in (10, 20, 50, 100, 200) and drawn.scale_px > 0
    assert plan.layout([], [make_complaint(community_id=roster.id, openid="oQ")], {}).mode == "empty"


def test_positions_are_saved_whole_or_not_at_all(db_session, roster):
    one, two = building(db_session, roster, "1号楼"), building(db_session, roster, "2号楼")
    errors = save_positions(roster.id, [PositionRow(one.id, "1", "2"), PositionRow(two.id, "3", "")],
                            session=db_session)
    assert errors == ["2号楼：平面位置要两个数都填，或都不填"] and one.plan_x is None
    errors = save_positions(roster.id, [PositionRow(two.id, latitude="北纬38", longitude="114")], session=db_session)
    assert errors == ["2号楼：经纬度只能填数字"]
    assert save_positions(roster.id, [PositionRow(two.id, latitude="138", longitude="114")], session=db_session)
    assert save_positions(roster.id, [PositionRow(one.id, "1", "2"),
                                                  PositionRow(two.id, "2.5", "2", "38.0418056", "114.5041667")],
                                                  session=db_session) == []
    db_session.commit()
    db_session.refresh(two)
    assert (one.plan_x, one.plan_y, two.plan_x, two.latitude, two.longitude) == (1, 2, 2.5, 38.0418056, 114.5041667)
    assert save_positions(roster.id, [PositionRow(one.id)], session=db_session) == [] and one.plan_x is None

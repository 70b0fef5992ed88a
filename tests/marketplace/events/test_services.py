"""Event services: time slots and tables, registration, shortlist, schedule, publishing and
outcomes. The matcher's scores are replaced by a table the tests write (``fake_pair_values``)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from marketplace.events import scheduling as matching_events
from marketplace.events import services as event_services
from marketplace.models import (
    Event,
    EventParticipant,
    EventTable,
    Meeting,
    Notification,
    ShortlistEntry,
)
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.marketplace.event_world import (
    Fair,
    PairScores,
    all_fit,
    build_fair,
    fake_pair_values,
)
from tests.marketplace.factories import CapabilityFactory, NeedFactory

# The matcher's catalogue and real model, for the one test that ranks for real.

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(olga: User, alice: User, bob: User, victor: User) -> Fair:
    return build_fair(olga=olga, alice=alice, bob=bob, victor=victor)


@pytest.fixture
def upcoming(olga: User, alice: User, bob: User, victor: User) -> Fair:
    """The fair, tomorrow: members may still register and withdraw themselves."""
    return build_fair(
        olga=olga,
        alice=alice,
        bob=bob,
        victor=victor,
        date=timezone.localdate() + datetime.timedelta(days=1),
    )


@pytest.fixture
def scores(monkeypatch: pytest.MonkeyPatch) -> Callable[[PairScores], None]:
    return fake_pair_values(monkeypatch)


def _pairs(event: Event) -> set[tuple[int, int]]:
    return set(
        ShortlistEntry.objects.filter(event=event)
        .exclude(state=ShortlistEntry.State.REMOVED)
        .values_list("demand_id", "vendor_id")
    )


# --- Parsing and time slots ------------------------------------------------------------------


def test_breaks_are_parsed_sorted_and_accept_single_digit_hours_and_chinese_punctuation() -> None:
    assert event_services.parse_breaks("12:00-13:00，9:40～10:00") == [
        ["09:40", "10:00"],
        ["12:00", "13:00"],
    ]
    assert event_services.parse_breaks("  ") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10:40-10:20", "休息时段“10:40-10:20”的结束时间应晚于开始时间。"),
        ("上午十点", "休息时段“上午十点”格式不对，应写成 10:20-10:40。"),
        ("10:20-25:00", "休息时段“10:20-25:00”格式不对，应写成 10:20-10:40。"),
    ],
)
def test_a_bad_break_is_refused_with_a_message_quoting_it(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        event_services.parse_breaks(text)
    assert caught.value.message_dict == {"breaks": [message]}


def test_tables_are_parsed_with_capacity_one_by_default() -> None:
    assert event_services.parse_tables("1号桌\n\n洽谈室A，3\n") == [("1号桌", 1), ("洽谈室A", 3)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1号桌\n洽谈室A, 三", "第 2 行：容量应为整数。"),
        ("1号桌, 0", "第 1 行：容量应在 1–50 之间。"),
        ("1号桌\n1号桌, 2", "第 2 行：名称“1号桌”重复。"),
        (", 2", "第 1 行：请填写桌号或洽谈室名称。"),
        ("\n  \n", "至少需要一张洽谈桌。"),
    ],
)
def test_bad_tables_are_refused_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        event_services.parse_tables(text)
    assert caught.value.message_dict == {"tables": [message]}


def test_slots_skip_the_breaks(fair: Fair) -> None:
    assert [slot.label for slot in fair.event.slots] == [
        "09:00–09:20",
        "09:20–09:40",
        "10:00–10:20",
        "10:20–10:40",
    ]


def test_a_slot_that_would_overlap_a_break_starts_after_it(fair: Fair) -> None:
    fair.event.breaks = [["09:30", "09:50"]]
    assert [slot.label for slot in fair.event.slots] == [
        "09:00–09:20",
        "09:50–10:10",
        "10:10–10:30",
    ]


def test_an_event_with_no_room_for_a_single_meeting_is_refused(olga: User) -> None:
    with pytest.raises(ValidationError) as caught:
        event_services.event_create(
            user=olga,
            fields={
                "name": "太短的活动",
                "date": timezone.localdate(),
                "starts_at": datetime.time(9, 0),
                "ends_at": datetime.time(9, 15),
                "meeting_minutes": 20,
            },
            breaks=[],
            tables=[("1号桌", 1)],
        )
    assert caught.value.message_dict == {"ends_at": ["按当前时间和会谈时长排不出任何时段。"]}
    assert not Event.objects.exists()


def test_only_organisers_create_events(alice: User) -> None:
    with pytest.raises(PermissionDenied):
        event_services.event_create(
            user=alice,
            fields={"name": "x", "date": timezone.localdate()},
            breaks=[],
            tables=[("1号桌", 1)],
        )
    assert not Event.objects.exists()


# --- Dates: no event in the past, registration closes at the start ---------------------------

PAST_DATE = "活动日期不能早于今天：不能把活动创建或改期到过去的日期。"


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def test_an_event_cannot_be_created_in_the_past(olga: User) -> None:
    with pytest.raises(ValidationError) as caught:
        event_services.event_create(
            user=olga,
            fields={"name": "昨天的对接会", "date": _yesterday()},
            breaks=[],
            tables=[("1号桌", 1)],
        )

    assert caught.value.message_dict == {"date": [PAST_DATE]}
    assert not Event.objects.exists()


def test_an_event_cannot_be_moved_into_the_past(fair: Fair) -> None:
    before = Event.objects.filter(pk=fair.event.pk).values().get()

    with pytest.raises(ValidationError) as caught:
        event_services.event_update(
            fair.event,
            user=fair.olga,
            fields={"date": _yesterday(), "name": "改期的对接会"},
            breaks=fair.event.breaks,
            tables=[("1号桌", 1), ("洽谈室A", 2)],
        )

    assert caught.value.message_dict == {"date": [PAST_DATE]}
    assert Event.objects.filter(pk=fair.event.pk).values().get() == before


def test_a_past_event_keeps_its_date_and_can_still_be_edited(
    olga: User, alice: User, bob: User, victor: User
) -> None:
    past = build_fair(olga=olga, alice=alice, bob=bob, victor=victor, date=_yesterday())

    event_services.event_update(
        past.event,
        user=olga,
        fields={"date": _yesterday(), "name": "已举办的对接会"},
        breaks=past.event.breaks,
        tables=[("1号桌", 1), ("洽谈室A", 2)],
    )

    past.event.refresh_from_db()
    assert (past.event.name, past.event.date) == ("已举办的对接会", _yesterday())


def test_an_event_starts_at_its_first_meeting(fair: Fair) -> None:
    start = fair.event.start()

    assert timezone.localtime(start).replace(tzinfo=None) == datetime.datetime.combine(
        fair.event.date, datetime.time(9, 0)
    )
    assert not fair.event.has_started(now=start - datetime.timedelta(minutes=1))
    assert fair.event.has_started(now=start)


def test_registration_closes_when_the_event_starts(
    olga: User, alice: User, bob: User, victor: User
) -> None:
    # given an event that started yesterday, its registration switch still on
    past = build_fair(olga=olga, alice=alice, bob=bob, victor=victor, date=_yesterday())
    newcomer = OrganizationFactory.create(name="新城颐养院", kind="demand")
    member = UserFactory.create(organization=newcomer)
    need = NeedFactory.create(organization=newcomer)
    assert past.event.registration_open is True
    rule = f"报名已截止：报名在活动开始时（{_yesterday():%Y-%m-%d} 09:00）截止。"

    # when a member registers, then the rule is named and nothing is stored
    with pytest.raises(ValidationError) as caught:
        event_services.participant_register(
            past.event, user=member, organization=newcomer, needs=[need]
        )
    assert caught.value.messages == [rule]
    assert not EventParticipant.objects.filter(organization=newcomer).exists()

    # and a participant can no longer withdraw itself
    with pytest.raises(ValidationError):
        event_services.participant_remove(past.yihe, user=past.alice)
    assert EventParticipant.objects.filter(pk=past.yihe.pk).exists()

    # and the organiser cannot open registration again
    event_services.event_registration_set(past.event, user=olga, open_=False)
    with pytest.raises(ValidationError) as reopened:
        event_services.event_registration_set(past.event, user=olga, open_=True)
    assert reopened.value.messages == ["活动已开始，不能重新开放报名：报名在活动开始时截止。"]
    assert Event.objects.get(pk=past.event.pk).registration_open is False


# --- Registration ------------------------------------------------------------------------------


def test_a_member_registers_its_own_organisation_while_registration_is_open(fair: Fair) -> None:
    assert fair.yihe.role == EventParticipant.Role.DEMAND
    assert fair.yihe.registered_by == fair.alice
    assert fair.yihe.on_behalf is False
    assert list(fair.yihe.needs.all()) == [fair.needs["yihe"]]
    assert list(fair.kangtu.capabilities.all()) == [fair.capabilities["kangtu"]]


def test_registration_closed_refuses_members_but_not_the_organiser(upcoming: Fair) -> None:
    # given
    newcomer = OrganizationFactory.create(name="新城颐养院", kind="demand")
    member = UserFactory.create(organization=newcomer)
    need = NeedFactory.create(organization=newcomer)
    event_services.event_registration_set(upcoming.event, user=upcoming.olga, open_=False)

    # when / then: the member is refused and nothing is stored
    with pytest.raises(ValidationError) as caught:
        event_services.participant_register(
            upcoming.event, user=member, organization=newcomer, needs=[need]
        )
    assert caught.value.messages == ["报名已截止，请联系组织方。"]
    assert not EventParticipant.objects.filter(organization=newcomer).exists()

    # the organiser registers it on its behalf all the same
    participant = event_services.participant_register(
        upcoming.event, user=upcoming.olga, organization=newcomer, needs=[need]
    )
    assert participant.on_behalf is True
    assert participant.registered_by == upcoming.olga


def test_a_member_cannot_register_another_organisation(fair: Fair) -> None:
    with pytest.raises(PermissionDenied):
        event_services.participant_register(
            fair.event,
            user=fair.victor,
            organization=fair.bob.organization,
            capabilities=[fair.capabilities["rival"]],
        )
    assert list(fair.kangtu.capabilities.all()) == [fair.capabilities["kangtu"]]


def test_needs_of_another_organisation_or_unpublished_ones_are_refused(upcoming: Fair) -> None:
    draft = NeedFactory.create(organization=upcoming.alice.organization, status="draft")
    for wrong in (upcoming.needs["haijing"], draft):
        with pytest.raises(ValidationError) as caught:
            event_services.participant_register(
                upcoming.event,
                user=upcoming.alice,
                organization=upcoming.alice.organization,
                needs=[wrong],
            )
        assert caught.value.message_dict == {"needs": ["只能选择本机构已发布的需求。"]}
    assert list(upcoming.participant(upcoming.alice.organization).needs.all()) == [
        upcoming.needs["yihe"]
    ]


def test_a_vendor_must_bring_a_published_profile(upcoming: Fair) -> None:
    draft = CapabilityFactory.create(organization=upcoming.bob.organization, status="draft")
    with pytest.raises(ValidationError) as caught:
        event_services.participant_register(
            upcoming.event,
            user=upcoming.bob,
            organization=upcoming.bob.organization,
            capabilities=[draft],
        )
    assert caught.value.message_dict == {"capabilities": ["只能选择本机构已发布的能力档案。"]}


def test_a_meeting_cap_out_of_range_is_refused(upcoming: Fair) -> None:
    with pytest.raises(ValidationError) as caught:
        event_services.participant_register(
            upcoming.event,
            user=upcoming.bob,
            organization=upcoming.bob.organization,
            capabilities=[upcoming.capabilities["kangtu"]],
            max_meetings=0,
        )
    assert caught.value.message_dict == {"max_meetings": ["会谈上限应在 1–100 之间。"]}
    assert upcoming.participant(upcoming.bob.organization).max_meetings is None


def test_a_participant_withdraws_while_open_but_not_after_the_close(upcoming: Fair) -> None:
    event_services.participant_remove(upcoming.haijing, user=upcoming.dora)
    assert not EventParticipant.objects.filter(pk=upcoming.haijing.pk).exists()

    event_services.event_registration_set(upcoming.event, user=upcoming.olga, open_=False)
    with pytest.raises(ValidationError):
        event_services.participant_remove(upcoming.yihe, user=upcoming.alice)
    assert EventParticipant.objects.filter(pk=upcoming.yihe.pk).exists()


# --- Shortlist -----------------------------------------------------------------------------------


def test_the_shortlist_takes_the_best_pairs_with_their_need_and_profile(
    fair: Fair, scores: Callable[[PairScores], None]
) -> None:
    scores(all_fit(fair))

    result = matching_events.event_shortlist_generate(fair.event, fair.olga)

    assert len(result.pairs) == 4
    entry = ShortlistEntry.objects.get(event=fair.event, demand=fair.yihe, vendor=fair.kangtu)
    assert entry.value == 0.9
    assert entry.state == ShortlistEntry.State.PROPOSED
    assert entry.best_need == fair.needs["yihe"]
    assert entry.best_capability == fair.capabilities["kangtu"]


def test_the_shortlist_leaves_out_removed_pairs_and_keeps_pins(
    fair: Fair, scores: Callable[[PairScores], None]
) -> None:
    # given: one pair removed by hand, one pinned although the matcher gives it nothing
    scores({(fair.yihe, fair.kangtu): 0.9, (fair.yihe, fair.rival): 0.6})
    matching_events.shortlist_pair_set(
        fair.event, fair.olga, demand=fair.yihe, vendor=fair.rival, state="removed"
    )
    matching_events.shortlist_pair_set(
        fair.event, fair.olga, demand=fair.haijing, vendor=fair.kangtu, state="pinned"
    )

    # when
    matching_events.event_shortlist_generate(fair.event, fair.olga)

    # then
    assert _pairs(fair.event) == {(fair.yihe.pk, fair.kangtu.pk), (fair.haijing.pk, fair.kangtu.pk)}
    pinned = ShortlistEntry.objects.get(demand=fair.haijing, vendor=fair.kangtu)
    assert (pinned.state, pinned.manual) == (ShortlistEntry.State.PINNED, True)
    removed = ShortlistEntry.objects.get(demand=fair.yihe, vendor=fair.rival)
    assert removed.state == ShortlistEntry.State.REMOVED


def test_a_pinned_pair_gets_the_need_and_profile_behind_it_when_the_matcher_knows_it(
    fair: Fair, scores: Callable[[PairScores], None]
) -> None:
    scores(all_fit(fair))
    matching_events.shortlist_pair_set(
        fair.event, fair.olga, demand=fair.haijing, vendor=fair.kangtu, state="pinned"
    )

    matching_events.event_shortlist_generate(fair.event, fair.olga)

    pinned = ShortlistEntry.objects.get(demand=fair.haijing, vendor=fair.kangtu)
    assert (pinned.value, pinned.best_need, pinned.best_capability) == (
        0.5,
        fair.needs["haijing"],
        fair.capabilities["kangtu"],
    )


def test_pairs_that_met_at_an_earlier_event_are_not_proposed_again(
    fair: Fair, scores: Callable[[PairScores], None]
) -> None:
    # given: 颐和苑 and 康途 met at last year's event
    earlier = Event.objects.create(
        organizer=fair.event.organizer,
        name="去年的对接会",
        date=fair.event.date.replace(year=fair.event.date.year - 1),
    )
    table = EventTable.objects.create(event=earlier, name="1号桌")
    demand = EventParticipant.objects.create(
        event=earlier, organization=fair.yihe.organization, role="demand"
    )
    vendor = EventParticipant.objects.create(
        event=earlier, organization=fair.kangtu.organization, role="vendor"
    )
    Meeting.objects.create(
        event=earlier, demand=demand, vendor=vendor, slot=0, table=table, attendance="met"
    )
    scores(all_fit(fair))

    # when
    matching_events.event_shortlist_generate(fair.event, fair.olga)

    # then
    assert (fair.yihe.pk, fair.kangtu.pk) not in _pairs(fair.event)
    assert (fair.yihe.pk, fair.rival.pk) in _pairs(fair.event)


def test_the_vendor_cap_is_respected(upcoming: Fair, scores: Callable[[PairScores], None]) -> None:
    # given: three institutions all want 康途 most, and 康途 takes at most two meetings
    extra = OrganizationFactory.create(name="福寿养老院", kind="demand")
    need = NeedFactory.create(organization=extra)
    third = event_services.participant_register(
        upcoming.event, user=upcoming.olga, organization=extra, needs=[need]
    )
    event_services.participant_register(
        upcoming.event,
        user=upcoming.bob,
        organization=upcoming.bob.organization,
        capabilities=[upcoming.capabilities["kangtu"]],
        max_meetings=2,
    )
    scores(
        {
            (upcoming.yihe, upcoming.kangtu): 0.9,
            (upcoming.haijing, upcoming.kangtu): 0.9,
            (third, upcoming.kangtu): 0.9,
            (upcoming.yihe, upcoming.rival): 0.3,
            (upcoming.haijing, upcoming.rival): 0.3,
            (third, upcoming.rival): 0.3,
        }
    )

    # when
    matching_events.event_shortlist_generate(upcoming.event, upcoming.olga)

    # then
    per_vendor = Counter(vendor for _demand, vendor in _pairs(upcoming.event))
    assert per_vendor[upcoming.kangtu.pk] == 2
    assert per_vendor[upcoming.rival.pk] == 3  # the event's default cap


def test_regenerating_the_shortlist_discards_the_draft_schedule(
    fair: Fair, scores: Callable[[PairScores], None]
) -> None:
    scores(all_fit(fair))
    matching_events.event_shortlist_generate(fair.event, fair.olga)
    matching_events.event_schedule_generate(fair.event, fair.olga)
    assert Meeting.objects.filter(event=fair.event).count() == 4

    matching_events.event_shortlist_generate(fair.event, fair.olga)

    fair.event.refresh_from_db()
    assert not Meeting.objects.filter(event=fair.event).exists()
    assert fair.event.schedule_status == Event.ScheduleStatus.NONE


# --- Schedule ----------------------------------------------------------------------------------


@pytest.fixture
def scheduled(fair: Fair, scores: Callable[[PairScores], None]) -> Fair:
    scores(all_fit(fair))
    matching_events.event_shortlist_generate(fair.event, fair.olga)
    matching_events.event_schedule_generate(fair.event, fair.olga)
    return fair


def test_the_schedule_places_every_pair_without_double_booking_within_capacity(
    scheduled: Fair,
) -> None:
    event = scheduled.event
    meetings = list(Meeting.objects.filter(event=event).select_related("table"))
    event.refresh_from_db()

    assert event.schedule_status == Event.ScheduleStatus.DRAFT
    assert {(m.demand_id, m.vendor_id) for m in meetings} == _pairs(event)
    # nobody twice in one slot
    assert max(Counter((m.demand_id, m.slot) for m in meetings).values()) == 1
    assert max(Counter((m.vendor_id, m.slot) for m in meetings).values()) == 1
    # no table over its capacity
    per_cell = Counter((m.slot, m.table) for m in meetings)
    assert all(count <= table.capacity for (_slot, table), count in per_cell.items())
    assert {m.slot for m in meetings} <= {slot.index for slot in event.slots}


def test_no_meeting_falls_in_a_break(scheduled: Fair) -> None:
    event = scheduled.event
    break_start, break_end = datetime.time(9, 40), datetime.time(10, 0)
    for meeting in Meeting.objects.filter(event=event):
        start, end = event.slot_datetimes(meeting.slot)
        assert end.time() <= break_start or start.time() >= break_end


def _layout(
    fair: Fair, places: dict[tuple[EventParticipant, EventParticipant], tuple[int, str]]
) -> None:
    """Put the meetings exactly where a test wants them (parked first, so no step collides)."""
    meetings = {(m.demand_id, m.vendor_id): m for m in Meeting.objects.filter(event=fair.event)}
    for offset, meeting in enumerate(meetings.values()):
        Meeting.objects.filter(pk=meeting.pk).update(slot=100 + offset)
    for (demand, vendor), (slot, table) in places.items():
        Meeting.objects.filter(pk=meetings[(demand.pk, vendor.pk)].pk).update(
            slot=slot, table=EventTable.objects.get(event=fair.event, name=table)
        )


@pytest.fixture
def laid_out(scheduled: Fair) -> Fair:
    """09:00: 颐和苑 × 康途 at 1号桌, 海景 × 另一家 in 洽谈室A; 09:20: the other two pairs."""
    fair = scheduled
    _layout(
        fair,
        {
            (fair.yihe, fair.kangtu): (0, "1号桌"),
            (fair.haijing, fair.rival): (0, "洽谈室A"),
            (fair.yihe, fair.rival): (1, "1号桌"),
            (fair.haijing, fair.kangtu): (1, "洽谈室A"),
        },
    )
    return fair


def _meeting(fair: Fair, demand: EventParticipant, vendor: EventParticipant) -> Meeting:
    return Meeting.objects.select_related("table").get(
        event=fair.event, demand=demand, vendor=vendor
    )


def test_a_move_onto_a_busy_participant_is_refused_naming_the_rule(laid_out: Fair) -> None:
    fair = laid_out
    mover = _meeting(fair, fair.yihe, fair.rival)
    room = EventTable.objects.get(event=fair.event, name="洽谈室A")

    with pytest.raises(ValidationError) as caught:
        matching_events.meeting_move(mover, fair.olga, slot=0, table=room)

    assert caught.value.messages == [
        "颐和苑养老中心 在09:00–09:20已有会谈（与 康途机器人）",
        "另一家供应商 在09:00–09:20已有会谈（与 海景养老院）",
    ]
    mover.refresh_from_db()
    assert (mover.slot, mover.table.name) == (1, "1号桌")


def test_a_move_onto_a_full_table_is_refused_naming_the_table(laid_out: Fair) -> None:
    fair = laid_out
    mover = _meeting(fair, fair.haijing, fair.rival)
    table = EventTable.objects.get(event=fair.event, name="1号桌")

    with pytest.raises(ValidationError) as caught:
        matching_events.meeting_move(mover, fair.olga, slot=0, table=table)

    assert caught.value.messages == ["1号桌在09:00–09:20已满（最多同时 1 场会谈）"]
    mover.refresh_from_db()
    assert (mover.slot, mover.table.name) == (0, "洽谈室A")


def test_a_move_to_a_free_slot_and_table_is_saved(laid_out: Fair) -> None:
    fair = laid_out
    mover = _meeting(fair, fair.yihe, fair.rival)
    room = EventTable.objects.get(event=fair.event, name="洽谈室A")

    matching_events.meeting_move(mover, fair.olga, slot=2, table=room)

    mover.refresh_from_db()
    assert (mover.slot, mover.table_id) == (2, room.pk)


def test_a_move_into_a_break_is_refused(laid_out: Fair) -> None:
    fair = laid_out
    mover = _meeting(fair, fair.yihe, fair.rival)

    with pytest.raises(ValidationError) as caught:
        matching_events.meeting_move(mover, fair.olga, slot=7, table=mover.table)

    assert caught.value.messages == ["第 7 时段不能安排会谈（休息时段或不在活动日程内）"]
    mover.refresh_from_db()
    assert mover.slot == 1


@pytest.fixture
def left_out(laid_out: Fair) -> tuple[Fair, ShortlistEntry]:
    """laid_out, with 颐和苑 × 另一家 left out of the schedule (as when the tables run short)."""
    fair = laid_out
    _meeting(fair, fair.yihe, fair.rival).delete()
    entry = ShortlistEntry.objects.get(event=fair.event, demand=fair.yihe, vendor=fair.rival)
    return fair, entry


def test_a_left_out_pair_is_placed_in_a_free_slot_and_table(
    left_out: tuple[Fair, ShortlistEntry],
) -> None:
    fair, entry = left_out
    room = EventTable.objects.get(event=fair.event, name="洽谈室A")

    meeting = matching_events.meeting_place(entry, fair.olga, slot=2, table=room)

    meeting.refresh_from_db()
    assert (meeting.demand_id, meeting.vendor_id) == (entry.demand_id, entry.vendor_id)
    assert (meeting.slot, meeting.table_id, meeting.value) == (2, room.pk, entry.value)
    assert Notification.objects.count() == 0  # a draft: nobody sees it yet


def test_placing_where_someone_is_busy_is_refused_naming_the_rule(
    left_out: tuple[Fair, ShortlistEntry],
) -> None:
    fair, entry = left_out
    room = EventTable.objects.get(event=fair.event, name="洽谈室A")
    before = Meeting.objects.filter(event=fair.event).count()

    with pytest.raises(ValidationError) as caught:
        matching_events.meeting_place(entry, fair.olga, slot=0, table=room)

    assert caught.value.messages == [
        "颐和苑养老中心 在09:00–09:20已有会谈（与 康途机器人）",
        "另一家供应商 在09:00–09:20已有会谈（与 海景养老院）",
    ]
    assert Meeting.objects.filter(event=fair.event).count() == before


def test_a_pair_already_in_the_schedule_or_removed_is_not_placed(
    left_out: tuple[Fair, ShortlistEntry],
) -> None:
    fair, entry = left_out
    room = EventTable.objects.get(event=fair.event, name="洽谈室A")
    placed = ShortlistEntry.objects.get(event=fair.event, demand=fair.yihe, vendor=fair.kangtu)
    ShortlistEntry.objects.filter(pk=entry.pk).update(state=ShortlistEntry.State.REMOVED)
    before = Meeting.objects.filter(event=fair.event).count()

    with pytest.raises(ValidationError) as in_schedule:
        matching_events.meeting_place(placed, fair.olga, slot=2, table=room)
    with pytest.raises(ValidationError) as removed:
        matching_events.meeting_place(entry, fair.olga, slot=2, table=room)

    assert in_schedule.value.messages == ["该配对已在日程中，请直接调整它的时段或洽谈桌。"]
    assert removed.value.messages == ["该配对已从推荐名单中移除。"]
    assert Meeting.objects.filter(event=fair.event).count() == before


def test_nothing_is_placed_before_a_schedule_exists(fair: Fair) -> None:
    vendor_entry = ShortlistEntry.objects.create(
        event=fair.event, demand=fair.yihe, vendor=fair.rival, value=0.6
    )
    table = EventTable.objects.filter(event=fair.event).first()
    assert table is not None

    with pytest.raises(ValidationError) as caught:
        matching_events.meeting_place(vendor_entry, fair.olga, slot=0, table=table)

    assert caught.value.messages == ["还没有日程，请先生成日程。"]
    assert not Meeting.objects.filter(event=fair.event).exists()


def test_placing_in_a_published_schedule_tells_both_sides(
    left_out: tuple[Fair, ShortlistEntry],
) -> None:
    fair, entry = left_out
    matching_events.event_schedule_publish(fair.event, fair.olga)
    Notification.objects.all().delete()
    room = EventTable.objects.get(event=fair.event, name="洽谈室A")

    matching_events.meeting_place(entry, fair.olga, slot=2, table=room)

    told = {n.user.email: n.title for n in Notification.objects.select_related("user")}
    assert set(told) == {fair.alice.email, fair.victor.email}
    assert all("洽谈室A" in title for title in told.values())


def test_another_organiser_cannot_place(left_out: tuple[Fair, ShortlistEntry]) -> None:
    fair, entry = left_out
    office = OrganizationFactory.create(name="别的组织方", kind="organizer", sub_type="city_office")
    oscar = UserFactory.create(email="oscar@other.example.com", organization=office)
    room = EventTable.objects.get(event=fair.event, name="洽谈室A")

    with pytest.raises(PermissionDenied):
        matching_events.meeting_place(entry, oscar, slot=2, table=room)

    assert not Meeting.objects.filter(event=fair.event, demand=fair.yihe, vendor=fair.rival)


def test_tables_cannot_shrink_below_the_meetings_placed_at_them(laid_out: Fair) -> None:
    # given: 洽谈室A holds two meetings at 09:00
    fair = laid_out
    _layout(
        fair,
        {
            (fair.yihe, fair.kangtu): (0, "洽谈室A"),
            (fair.haijing, fair.rival): (0, "洽谈室A"),
            (fair.yihe, fair.rival): (1, "1号桌"),
            (fair.haijing, fair.kangtu): (1, "洽谈室A"),
        },
    )

    with pytest.raises(ValidationError) as caught:
        event_services.event_update(
            fair.event,
            user=fair.olga,
            fields={},
            breaks=fair.event.breaks,
            tables=[("1号桌", 1), ("洽谈室A", 1)],
        )

    assert caught.value.message_dict == {
        "tables": ["洽谈桌“洽谈室A”同一时段已排的会谈多于新的容量。"]
    }
    assert EventTable.objects.get(event=fair.event, name="洽谈室A").capacity == 2


def test_the_timing_of_a_published_schedule_cannot_change(laid_out: Fair) -> None:
    fair = laid_out
    matching_events.event_schedule_publish(fair.event, fair.olga)

    with pytest.raises(ValidationError) as caught:
        event_services.event_update(
            fair.event,
            user=fair.olga,
            fields={"meeting_minutes": 30},
            breaks=fair.event.breaks,
            tables=[("1号桌", 1), ("洽谈室A", 2)],
        )

    assert caught.value.messages == ["日程已发布，不能再改时间安排。请先撤回日程。"]
    assert Event.objects.get(pk=fair.event.pk).meeting_minutes == 20


# --- Publishing --------------------------------------------------------------------------------


def test_publishing_notifies_every_participants_members_once_with_a_link_to_their_agenda(
    scheduled: Fair,
) -> None:
    # given: 颐和苑 has two members; 对接办 is no participant
    colleague = UserFactory.create(organization=scheduled.alice.organization)

    # when
    matching_events.event_schedule_publish(scheduled.event, scheduled.olga)

    # then
    received = Counter(Notification.objects.values_list("user__email", flat=True))
    assert received == {
        scheduled.alice.email: 1,
        colleague.email: 1,
        scheduled.bob.email: 1,
        scheduled.victor.email: 1,
        scheduled.dora.email: 1,
    }
    note = Notification.objects.get(user=scheduled.alice)
    assert note.kind == Notification.Kind.SCHEDULE
    assert note.url == reverse("events:event_agenda", args=[scheduled.event.pk, scheduled.yihe.pk])
    assert note.title == "青岛养老机器人供需对接会 会谈日程已发布：贵方共 2 场会谈"
    scheduled.event.refresh_from_db()
    assert scheduled.event.schedule_status == Event.ScheduleStatus.PUBLISHED


def test_a_published_schedule_cannot_be_published_twice_or_regenerated(scheduled: Fair) -> None:
    matching_events.event_schedule_publish(scheduled.event, scheduled.olga)

    with pytest.raises(ValidationError):
        matching_events.event_schedule_publish(scheduled.event, scheduled.olga)
    with pytest.raises(ValidationError):
        matching_events.event_schedule_generate(scheduled.event, scheduled.olga)
    assert Notification.objects.filter(user=scheduled.alice).count() == 1


def test_another_organiser_cannot_publish(scheduled: Fair) -> None:
    other_office = OrganizationFactory.create(
        name="别的组织方", kind="organizer", sub_type="city_office"
    )
    stranger = UserFactory.create(organization=other_office)

    with pytest.raises(PermissionDenied):
        matching_events.event_schedule_publish(scheduled.event, stranger)
    scheduled.event.refresh_from_db()
    assert scheduled.event.schedule_status == Event.ScheduleStatus.DRAFT
    assert not Notification.objects.exists()


# --- Outcomes ------------------------------------------------------------------------------------


@pytest.fixture
def meeting(scheduled: Fair) -> Meeting:
    return Meeting.objects.get(
        event=scheduled.event, demand=scheduled.yihe, vendor=scheduled.kangtu
    )


def test_a_pilot_needs_its_site_and_both_dates(scheduled: Fair, meeting: Meeting) -> None:
    with pytest.raises(ValidationError) as caught:
        event_services.meeting_record_outcome(
            meeting, user=scheduled.alice, attendance="met", outcome="pilot"
        )
    assert set(caught.value.message_dict) == {"pilot_site", "pilot_start", "pilot_end"}
    assert caught.value.message_dict["pilot_site"] == ["试点需要填写试点地点。"]
    meeting.refresh_from_db()
    assert meeting.outcome == Meeting.Outcome.NONE


def test_a_pilot_cannot_end_before_it_starts(scheduled: Fair, meeting: Meeting) -> None:
    with pytest.raises(ValidationError) as caught:
        event_services.meeting_record_outcome(
            meeting,
            user=scheduled.bob,
            attendance="met",
            outcome="pilot",
            pilot_site="颐和苑二楼",
            pilot_start=datetime.date(2027, 6, 1),
            pilot_end=datetime.date(2027, 1, 1),
        )
    assert caught.value.message_dict == {"pilot_end": ["试点结束日期不能早于开始日期。"]}
    meeting.refresh_from_db()
    assert meeting.outcome == Meeting.Outcome.NONE


def test_a_pilot_is_recorded_by_either_side(scheduled: Fair, meeting: Meeting) -> None:
    event_services.meeting_record_outcome(
        meeting,
        user=scheduled.bob,
        attendance="met",
        outcome="pilot",
        pilot_site=" 颐和苑二楼 ",
        pilot_start=datetime.date(2027, 1, 1),
        pilot_end=datetime.date(2027, 6, 30),
    )
    meeting.refresh_from_db()
    assert (meeting.outcome, meeting.pilot_site, meeting.pilot_end) == (
        Meeting.Outcome.PILOT,
        "颐和苑二楼",
        datetime.date(2027, 6, 30),
    )
    assert meeting.outcome_recorded_at is not None


def test_a_no_show_has_no_outcome(scheduled: Fair, meeting: Meeting) -> None:
    with pytest.raises(ValidationError) as caught:
        event_services.meeting_record_outcome(
            meeting, user=scheduled.olga, attendance="no_show", outcome="follow_up"
        )
    assert caught.value.message_dict == {"outcome": ["未会谈的记录不能填写对接结果。"]}


def test_outcomes_wait_for_the_event_day(scheduled: Fair, meeting: Meeting) -> None:
    Event.objects.filter(pk=scheduled.event.pk).update(
        date=timezone.localdate() + datetime.timedelta(days=1)
    )
    meeting.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        event_services.meeting_record_outcome(
            meeting, user=scheduled.olga, attendance="met", outcome="follow_up"
        )
    assert caught.value.messages == ["活动尚未举行，不能记录会谈结果。"]


def test_a_third_party_cannot_record_an_outcome(scheduled: Fair, meeting: Meeting) -> None:
    # 海景养老院 takes part in the event but not in this meeting
    with pytest.raises(PermissionDenied):
        event_services.meeting_record_outcome(
            meeting, user=scheduled.dora, attendance="met", outcome="follow_up"
        )
    meeting.refresh_from_db()
    assert meeting.attendance == Meeting.Attendance.UNKNOWN


# --- On the real matcher -------------------------------------------------------------------------


def test_the_real_matcher_pairs_the_rehab_need_with_the_certified_exoskeleton(
    request: pytest.FixtureRequest, olga: User, alice: User, bob: User, victor: User
) -> None:
    """The catalogue of tests/matching: 颐和苑's rehab need, 康途's certified exoskeleton,
    另一家's uncertified one and its delivery robot, embedded by the real model."""
    world: dict[str, Any] = request.getfixturevalue("embedded")
    # given
    event = event_services.event_create(
        user=olga,
        fields={
            "name": "康复机器人对接会",
            "date": timezone.localdate() + datetime.timedelta(days=1),
        },
        breaks=[],
        tables=[("1号桌", 1), ("2号桌", 1)],
    )
    demand = event_services.participant_register(
        event, user=alice, organization=alice.organization, needs=[world["need"]]
    )
    certified = event_services.participant_register(
        event, user=bob, organization=bob.organization, capabilities=[world["certified"]]
    )
    event_services.participant_register(
        event,
        user=victor,
        organization=victor.organization,
        capabilities=[world["uncertified"], world["delivery"]],
    )

    # when
    matching_events.event_shortlist_generate(event, olga)

    # then: the certified vendor is proposed for the need, with the need and profile behind it
    entry = ShortlistEntry.objects.get(event=event, demand=demand, vendor=certified)
    assert (entry.best_need, entry.best_capability) == (world["need"], world["certified"])
    assert 0 < entry.value <= 1
    ranked = ShortlistEntry.objects.filter(event=event, demand=demand).order_by("-value")
    assert ranked[0].vendor == certified

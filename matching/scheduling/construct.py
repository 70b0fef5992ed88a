"""A fast constructive schedule: bipartite edge colouring with Kempe-chain repairs.

Meetings are edges between a demand org and a vendor, slots are colours. Edges go in by value,
each into the earliest slot free for both sides with room left. When there is none, an
alternating a/b path (a Kempe chain) is swapped to free a slot, or, when the only common free
slots are full, an a/b path with one more a-edge than b-edges is swapped to move one meeting out
of a full slot. With no unavailability, no fixed meetings, every participant in at most
``len(slots)`` meetings and no more meetings than the room holds, this places every meeting
(König's edge-colouring theorem and de Werra's balanced colourings: see ``construct``);
otherwise it is a good start that CP-SAT improves on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matching.scheduling.types import PairKey

Vertex = tuple[str, str]  # ("d", ref) or ("v", ref): a demand and a vendor may share a ref


class Colouring:
    def __init__(
        self,
        slots: Sequence[int],
        room: Mapping[int, int],
        blocked: Mapping[Vertex, frozenset[int] | set[int]],
    ) -> None:
        self.slots = sorted(slots)
        self.room = dict(room)
        self.blocked = blocked
        self.count = dict.fromkeys(self.slots, 0)
        self.at: dict[Vertex, dict[int, int]] = {}
        self.ends: list[tuple[Vertex, Vertex]] = []
        self.keys: list[PairKey] = []
        self.slot_of: dict[int, int] = {}

    def free(self, vertex: Vertex, slot: int) -> bool:
        return slot not in self.blocked.get(vertex, ()) and slot not in self.at.get(vertex, {})

    def _set(self, edge: int, slot: int) -> None:
        for vertex in self.ends[edge]:
            self.at.setdefault(vertex, {})[slot] = edge
        self.slot_of[edge] = slot
        self.count[slot] += 1

    def _unset(self, edge: int) -> None:
        slot = self.slot_of.pop(edge)
        for vertex in self.ends[edge]:
            del self.at[vertex][slot]
        self.count[slot] -= 1

    def _other(self, edge: int, vertex: Vertex) -> Vertex:
        first, second = self.ends[edge]
        return second if vertex == first else first

    def _walk(
        self, start: Vertex, first: int, second: int, stop: int = -1
    ) -> tuple[list[int], Vertex, int]:
        """Edges of the path leaving ``start`` by its ``first`` edge, alternating colours.

        Meeting edge ``stop`` again means the path is an even cycle: the colour returned is -1.
        """
        path: list[int] = []
        vertex, colour = start, first
        while (edge := self.at.get(vertex, {}).get(colour)) is not None:
            if edge == stop:
                return path, vertex, -1
            path.append(edge)
            vertex = self._other(edge, vertex)
            colour = second if colour == first else first
        last = first if len(path) % 2 else second  # colour of the last edge
        return path, vertex, last

    def _swap(self, path: list[int], a: int, b: int) -> None:
        slots = [self.slot_of[edge] for edge in path]
        for edge in path:
            self._unset(edge)
        for edge, slot in zip(path, slots, strict=True):
            self._set(edge, b if slot == a else a)

    def add(self, demand: str, vendor: str) -> int | None:
        """Place one meeting; its slot, or None if no repair found one."""
        d, v = ("d", demand), ("v", vendor)
        edge = len(self.ends)
        self.ends.append((d, v))
        self.keys.append((demand, vendor))
        slot = self._place(edge, d, v)
        if slot is None:  # never placed, so nothing points at it
            self.ends.pop()
            self.keys.pop()
        return slot

    def placement(self) -> dict[PairKey, int]:
        return {self.keys[edge]: slot for edge, slot in self.slot_of.items()}

    def _place(self, edge: int, d: Vertex, v: Vertex, eject: bool = True) -> int | None:
        free_d = [s for s in self.slots if self.free(d, s)]
        free_v = {s for s in self.slots if self.free(v, s)}
        common = [s for s in free_d if s in free_v]
        for slot in common:
            if self.count[slot] < self.room[slot]:
                self._set(edge, slot)
                return slot
        for slot in common:  # free for both but full: move one meeting out of it
            if self._relieve(slot, d, v):
                self._set(edge, slot)
                return slot
        for a in free_d:
            for b in sorted(free_v):
                if a != b and self._kempe(v, a, b):
                    self._set(edge, a)
                    return a
        for b in sorted(free_v):
            for a in free_d:
                if a != b and self._kempe(d, b, a):
                    self._set(edge, b)
                    return b
        return self._eject(edge, d, v) if eject else None

    def _eject(self, edge: int, d: Vertex, v: Vertex) -> int | None:
        """Take the meetings in the way out of a slot, place this one, put them back elsewhere."""
        for slot in self.slots:
            if slot in self.blocked.get(d, ()) or slot in self.blocked.get(v, ()):
                continue
            if self.room[slot] <= 0:
                continue
            saved = (dict(self.slot_of), dict(self.count), {k: dict(a) for k, a in self.at.items()})
            ejected = sorted(
                {
                    e
                    for e in (self.at.get(d, {}).get(slot), self.at.get(v, {}).get(slot))
                    if e is not None
                }
            )
            for other in ejected:
                self._unset(other)
            # Still full: make room with one more move.
            if self.count[slot] >= self.room[slot] and not self._relieve(slot, d, v):
                self.slot_of, self.count, self.at = saved
                continue
            self._set(edge, slot)
            if all(
                self._place(other, *self.ends[other], eject=False) is not None for other in ejected
            ):
                return slot
            self.slot_of, self.count, self.at = saved
        return None

    def _kempe(self, vertex: Vertex, a: int, b: int) -> bool:
        """Free ``vertex`` (free at b) at ``a`` by swapping its a/b path; False if not allowed."""
        if a in self.blocked.get(vertex, ()):
            return False  # it cannot attend slot a at all
        path, end, last = self._walk(vertex, a, b)
        swapped_last = b if last == a else a
        if path and swapped_last in self.blocked.get(end, ()):
            return False
        gain_b = sum(1 if self.slot_of[edge] == a else -1 for edge in path)
        if self.count[b] + gain_b > self.room[b] or self.count[a] - gain_b + 1 > self.room[a]:
            return False
        self._swap(path, a, b)
        return True

    def _relieve(self, full: int, d: Vertex, v: Vertex) -> bool:
        """Move one meeting out of slot ``full`` by swapping a path with one more full-edge."""
        for other in self.slots:
            if other == full or self.count[other] >= self.room[other]:
                continue
            seen: set[int] = set()
            for edge, slot in list(self.slot_of.items()):
                if slot != full or edge in seen:
                    continue
                x, y = self.ends[edge]
                left, x_end, x_last = self._walk(x, other, full, stop=edge)
                right, y_end, y_last = self._walk(y, other, full, stop=edge)
                seen.update(left, right, (edge,))
                if x_last != full or y_last != full:
                    continue  # an a/b path with as many b-edges: swapping gains nothing
                if {x_end, y_end} & {d, v}:
                    continue
                if other in self.blocked.get(x_end, ()) or other in self.blocked.get(y_end, ()):
                    continue
                self._swap([*left, edge, *right], full, other)
                return True
        return False


def construct(
    meetings: Sequence[PairKey],
    slots: Sequence[int],
    room: Mapping[int, int],
    blocked: Mapping[Vertex, frozenset[int] | set[int]],
) -> dict[PairKey, int]:
    """Slots for as many of ``meetings`` (in the given order) as it can place.

    First meeting by meeting within the room. If some are left out, once more the textbook
    way: colour every meeting ignoring the room (König: always possible when nobody has more
    meetings than slots and nothing is blocked), then move meetings out of over-full slots one
    alternating path at a time (de Werra: always possible when the slots hold the same number
    and all of them fit). Whichever places more wins.
    """
    incremental = Colouring(slots, room, blocked)
    for demand, vendor in meetings:
        incremental.add(demand, vendor)
    if len(incremental.slot_of) == len(meetings):
        return incremental.placement()

    textbook = Colouring(slots, dict.fromkeys(slots, len(meetings)), blocked)
    for demand, vendor in meetings:
        textbook.add(demand, vendor)
    textbook.room = dict(room)
    nobody = ("-", "")
    while over := [slot for slot in textbook.slots if textbook.count[slot] > room[slot]]:
        if not textbook._relieve(over[0], nobody, nobody):
            return incremental.placement()
    if len(textbook.slot_of) > len(incremental.slot_of):
        return textbook.placement()
    return incremental.placement()

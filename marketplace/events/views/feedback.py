"""Messages said next to the thing they are about.

After a meeting is moved or placed, the schedule page opens at that meeting (``#meeting-N``),
far below the page's message list; the result is shown in the meeting's card instead. A view
tags such a message with the element's id; the page that renders the element takes its messages
out of the list at the top. A message whose element is not on the page stays at the top.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest

PREFIX = "at-"


def next_to(element_id: str) -> str:
    """``extra_tags`` for a message shown next to the element with this id."""
    return f"{PREFIX}{element_id}"


def split_messages(
    request: HttpRequest, element_ids: Collection[str]
) -> tuple[list[Message], dict[str, list[Message]]]:
    """The request's messages: those for the top of the page, and those for each element on it."""
    top: list[Message] = []
    beside: dict[str, list[Message]] = defaultdict(list)
    for message in messages.get_messages(request):
        tags = (message.extra_tags or "").split()
        element_id = next(
            (tag.removeprefix(PREFIX) for tag in tags if tag.startswith(PREFIX)), None
        )
        if element_id is not None and element_id in element_ids:
            beside[element_id].append(message)
        else:
            top.append(message)
    return top, dict(beside)

"""bench/load.py's reads and writes in its fresh database, run by it in a child process.

    python bench/load_world.py world --users N   # accounts for N institutions and N vendors
    python bench/load_world.py audit < ids.json   # which of the posted needs went missing

Either prints one JSON object on its last line of output. Django is set up from the
environment bench/load.py passes (DJANGO_SETTINGS_MODULE, DATABASE_URL and the rest).
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from typing import Any

from load_services import ROOT


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def world(count: int) -> dict[str, Any]:
    """Accounts for the simulated people, one each, and the ids and shapes they pick from."""
    django_setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from accounts.models import Organization, User
    from marketplace.models import Capability, Need

    password = secrets.token_urlsafe(16)
    hashed = make_password(password)  # once: hashing per account would cost a second each
    approved = Organization.objects.filter(review_status=Organization.ReviewStatus.APPROVED)
    institutions = list(
        approved.filter(kind=Organization.Kind.DEMAND)
        .annotate(published=Count("needs"))
        .filter(published__gt=0)
        .order_by("pk")
    )
    vendors = list(
        approved.filter(kind=Organization.Kind.VENDOR)
        .annotate(leads=Count("capabilities__leads"))
        .order_by("-leads", "pk")
    )
    vendors = [vendor for vendor in vendors if getattr(vendor, "leads", 0) > 0] or vendors
    accounts: dict[str, list[dict[str, Any]]] = {"institution": [], "vendor": []}
    users = []
    for kind, organizations in (("institution", institutions), ("vendor", vendors)):
        for number in range(count):
            organization = organizations[number % len(organizations)]
            email = f"load-{kind}-{number}@load.robomatch.test"
            users.append(User(email=email, password=hashed, organization=organization))
            need_ids = list(
                Need.objects.filter(organization=organization).values_list("pk", flat=True)
            )
            accounts[kind].append({"email": email, "need_ids": need_ids})
    User.objects.bulk_create(users)
    public_needs = Need.objects.visible_to(AnonymousUser())
    shapes = [
        {
            "title": need.title,
            "description": need.description,
            "domain": need.domain.code,
            "categories": [category.code for category in need.categories.all()],
            "region": need.region.name,
        }
        for need in public_needs.select_related("domain", "region").prefetch_related("categories")
    ]
    return {
        "password": password,
        "accounts": accounts,
        "public_need_ids": list(public_needs.values_list("pk", flat=True)),
        "public_capability_ids": list(
            Capability.objects.visible_to(AnonymousUser()).values_list("pk", flat=True)
        ),
        "need_shapes": [shape for shape in shapes if shape["categories"]],
    }


def audit(need_ids: list[int]) -> dict[str, Any]:
    """Which posted needs are missing from the database or lack a current-model vector."""
    django_setup()
    from marketplace.models import Need
    from matching.encoders import encoder_name
    from matching.models import Embedding

    present = set(Need.objects.filter(pk__in=need_ids).values_list("pk", flat=True))
    embedded = set(
        Embedding.objects.of_kind(Embedding.Kind.NEED)
        .filter(object_id__in=need_ids, model_name=encoder_name())
        .values_list("object_id", flat=True)
    )
    return {
        "model_name": encoder_name(),
        "missing": sorted(set(need_ids) - present),
        "not_embedded": sorted(present - embedded),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    world_parser = commands.add_parser("world", help="create the accounts; print the world")
    world_parser.add_argument("--users", type=int, required=True, help="accounts per side")
    commands.add_parser("audit", help="read posted need ids (a JSON list) from stdin")
    options = parser.parse_args()
    if options.command == "world":
        print(json.dumps(world(options.users)))
    else:
        print(json.dumps(audit(json.loads(sys.stdin.read()))))


if __name__ == "__main__":
    main()

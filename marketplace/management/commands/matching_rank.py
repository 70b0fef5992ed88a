import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from marketplace.matches.ranking import MatchContext, rank_capability, rank_need
from marketplace.models import Capability, Need
from matching.engine import RankedMatch, reason_objects


class Command(BaseCommand):
    help = "Rank profiles for needs (--need, --all-needs) or needs for a profile (--capability)."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--need", help="a need's ref (or id)")
        target.add_argument("--capability", help="a capability profile's ref (or id)")
        target.add_argument("--all-needs", action="store_true", help="every published need")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--format", choices=("json", "table"), default="table")
        parser.add_argument(
            "--language",
            choices=("zh-hans", "en"),
            default="zh-hans",
            help="the language of the reasons' texts (default zh-hans)",
        )

    def _find(self, model: type[Need] | type[Capability], key: str) -> Any:
        found = model.objects.filter(ref=key).first()
        if found is None and key.isdigit():
            found = model.objects.filter(pk=int(key)).first()
        if found is None:
            raise CommandError(f"No {model.__name__.lower()} with ref or id {key!r}")
        return found

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._rank(options)

    def _rank(self, options: dict[str, Any]) -> None:
        context = MatchContext.load()
        top = options["top"]
        results: dict[str, list[dict[str, Any]]] = {}
        if options["capability"]:
            capability = self._find(Capability, options["capability"])
            matches = rank_capability(capability, top=top, context=context)
            refs = dict(
                Need.objects.filter(pk__in=[m.need_id for m in matches]).values_list("pk", "ref")
            )
            results[capability.ref or str(capability.pk)] = [
                self._item("need", refs.get(m.need_id) or str(m.need_id), m) for m in matches
            ]
        else:
            needs = (
                [self._find(Need, options["need"])]
                if options["need"]
                else list(Need.objects.published().order_by("pk"))
            )
            for need in needs:
                matches = rank_need(need, top=top, context=context)
                refs = dict(
                    Capability.objects.filter(
                        pk__in=[m.capability_id for m in matches]
                    ).values_list("pk", "ref")
                )
                results[need.ref or str(need.pk)] = [
                    self._item("capability", refs.get(m.capability_id) or str(m.capability_id), m)
                    for m in matches
                ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False))
            return
        for key, items in results.items():
            self.stdout.write(self.style.MIGRATE_HEADING(key))
            for position, item in enumerate(items, start=1):
                other = item.get("capability") or item.get("need")
                flag = (
                    ""
                    if item["eligible"]
                    else "  ["
                    + translation.gettext("不符合")
                    + ": "
                    + ",".join(item["failed"])
                    + "]"
                )
                self.stdout.write(f"{position:>3}. {other:<24} {item['score']:.4f}{flag}")

    @staticmethod
    def _item(key: str, ref: str, match: RankedMatch) -> dict[str, Any]:
        return {
            key: ref,
            "score": match.score,
            "eligible": match.eligible,
            "failed": list(match.failed_requirements),
            "reasons": reason_objects(match.aspects),
            "breakdown": {c.name: round(c.contribution, 4) for c in match.breakdown.components},
        }

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from marketplace.matches.reconcile import KindDrift, drift_total, matching_reconcile

COLUMNS = (
    ("missing", "缺失 missing"),
    ("stale", "过期 stale"),
    ("orphaned", "孤儿 orphaned"),
    ("unembedded", "无当前向量 unembedded"),
)


class Command(BaseCommand):
    help = (
        "比对数据库与搜索索引的差异（缺失、过期、孤儿、无当前向量）；--fix 修复。 "
        "Compare the database with the search index in use and report drift; --fix repairs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="修复差异 / repair the drift")
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        report = matching_reconcile(fix=options["fix"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, sort_keys=True))
            return
        self.stdout.write(f"模型 model: {report.model_name}  索引 backend: {report.backend}")
        self._table(report.drift)
        if report.remaining is None:
            return
        fixed = report.total
        remaining = drift_total(report.remaining)
        self.stdout.write(f"已修复 fixed: {fixed}  剩余 remaining: {remaining}")
        if remaining:
            self._table(report.remaining)

    def _table(self, drift: dict[str, KindDrift]) -> None:
        for kind, found in drift.items():
            self.stdout.write(
                f"{kind}: 对象 objects {found.objects} (已发布 published {found.published}), "
                f"索引 indexed {found.indexed}"
            )
            for key, label in COLUMNS:
                ids: list[int] = getattr(found, key)
                listed = ", ".join(str(object_id) for object_id in ids) or "-"
                self.stdout.write(f"  {label}: {len(ids)}  {listed}")

"""Static files storage: WhiteNoise's compressed storage, compressing only what changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whitenoise.storage import CompressedStaticFilesStorage

COMPRESSED_SUFFIXES = (".gz", ".br")
# WhiteNoise gives a compressed copy its source's modification time, through a float.
MTIME_TOLERANCE_NS = 1_000


class IncrementalCompressedStaticFilesStorage(CompressedStaticFilesStorage):
    """WhiteNoise compresses every collected file on every ``collectstatic``, the unchanged
    ones too (a minute of brotli for Swagger UI, ReDoc and the admin on a busy machine, each
    ``make run``). This leaves out a file whose compressed copies are there and as new as it;
    ``collectstatic`` copies a changed file again, which makes it newer, so it is compressed
    again."""

    def post_process(
        self, paths: dict[str, Any], dry_run: bool = False, **options: Any
    ) -> Iterator[Any]:
        changed = {path: value for path, value in paths.items() if not self._compressed(path)}
        yield from super().post_process(changed, dry_run=dry_run, **options)

    def _compressed(self, path: str) -> bool:
        source = Path(self.path(path))
        try:
            modified = source.stat().st_mtime_ns
        except OSError:
            return False
        copies = [source.with_name(source.name + suffix) for suffix in COMPRESSED_SUFFIXES]
        present = [copy for copy in copies if copy.is_file()]
        return bool(present) and all(
            copy.stat().st_mtime_ns >= modified - MTIME_TOLERANCE_NS for copy in present
        )

"""collectstatic compresses a static file once, and again only when it changed."""

from __future__ import annotations

import os
from pathlib import Path

from config.storage import IncrementalCompressedStaticFilesStorage


def _compress(storage: IncrementalCompressedStaticFilesStorage, name: str) -> list[str]:
    return [compressed for _, compressed, _ in storage.post_process({name: (storage, name)})]


def test_an_unchanged_file_is_not_compressed_again(tmp_path: Path) -> None:
    storage = IncrementalCompressedStaticFilesStorage(location=str(tmp_path))
    source = tmp_path / "site.css"
    source.write_text("body { color: #123456; }\n" * 200)

    assert ".gz" in {Path(name).suffix for name in _compress(storage, "site.css")}
    gzipped = tmp_path / "site.css.gz"
    first = gzipped.stat().st_mtime_ns

    assert _compress(storage, "site.css") == []
    assert gzipped.stat().st_mtime_ns == first

    # collectstatic copies a changed file again, which makes it newer than its copies
    source.write_text("body { color: #654321; }\n" * 200)
    os.utime(source, ns=(first + 10**9, first + 10**9))
    assert _compress(storage, "site.css") != []
    assert b"654321" in __import__("gzip").decompress(gzipped.read_bytes())

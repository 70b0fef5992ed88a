"""The default encoder factory (MATCHING_ENCODER): the runtime that ``options.backend`` names.

Each runtime is imported only when chosen: the ONNX path never imports sentence_transformers."""

from __future__ import annotations

from matching.encoders.base import DEFAULT_OPTIONS, Encoder, EncoderOptions


def encoder_for(model: str, *, options: EncoderOptions = DEFAULT_OPTIONS) -> Encoder:
    if options.backend == "onnx":
        from matching.encoders.onnx_runtime import OnnxEncoder

        return OnnxEncoder(model, options=options)
    from matching.encoders.sentence_transformer import SentenceTransformerEncoder

    return SentenceTransformerEncoder(model, options=options)

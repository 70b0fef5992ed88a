"""BM25 over character n-grams (Chinese) and words (Latin), as a sparse matrix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from matching.ranking.text import char_ngrams

K1 = 1.2
B = 0.75


class BM25:
    def __init__(self, documents: Sequence[str]):
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        lengths = np.zeros(len(documents), dtype=np.float32)
        for row, document in enumerate(documents):
            tokens = char_ngrams(document)
            lengths[row] = len(tokens)
            for token in tokens:
                rows.append(row)
                cols.append(vocabulary.setdefault(token, len(vocabulary)))
        counts = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(documents), max(1, len(vocabulary))),
        )
        counts.sum_duplicates()
        self.vocabulary = vocabulary
        frequency = np.asarray((counts > 0).sum(axis=0)).ravel().astype(np.float32)
        n = max(1, len(documents))
        self.idf = np.log(1.0 + (n - frequency + 0.5) / (frequency + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if len(documents) else 1.0
        norm = K1 * (1 - B + B * lengths / max(average, 1e-9))
        # Precompute each (document, term) BM25 weight, so a query is one sparse column sum.
        weights = counts.tocoo()
        tf = weights.data
        weights.data = tf * (K1 + 1) / (tf + norm[weights.row]) * self.idf[weights.col]
        self.matrix = weights.tocsc()

    def scores(self, query: str) -> np.ndarray:
        terms = {self.vocabulary[t] for t in char_ngrams(query) if t in self.vocabulary}
        if not terms:
            return np.zeros(self.matrix.shape[0], dtype=np.float32)
        column = self.matrix[:, sorted(terms)].sum(axis=1)
        return np.asarray(column, dtype=np.float32).ravel()

"""BM25 over character n-grams (Chinese) and words (Latin), as a sparse matrix.

Common terms (single Chinese characters such as 机 or 人 occur in most documents) hold most of
the postings a query touches. Each one found in at least DENSE_SHARE of the documents is kept
as a dense row of weights instead of a sparse column: adding a dense row is several times faster
than summing that many postings, for at most twice their memory. The scores are the same sums
(to float32 rounding: common terms are added first, then the rest).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from matching.ranking.text import char_ngrams

K1 = 1.2
B = 0.75
DENSE_SHARE = 0.25


class BM25:
    def __init__(self, documents: Sequence[str]):
        vocabulary: dict[str, int] = {}
        # Term ids as 4-byte ints, not a list of Python ints: 100k documents hold ~10M postings.
        cols = array("i")
        lengths = np.zeros(len(documents), dtype=np.float32)
        for row, document in enumerate(documents):
            tokens = char_ngrams(document)
            lengths[row] = len(tokens)
            cols.extend([vocabulary.setdefault(token, len(vocabulary)) for token in tokens])
        rows = np.repeat(np.arange(len(documents), dtype=np.int32), lengths.astype(np.int64))
        counts = sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), (rows, np.frombuffer(cols, dtype=np.int32))),
            shape=(len(documents), max(1, len(vocabulary))),
        )
        del rows, cols
        counts.sum_duplicates()
        self.vocabulary = vocabulary
        frequency = np.asarray((counts > 0).sum(axis=0)).ravel().astype(np.float32)
        n = max(1, len(documents))
        self.idf = np.log(1.0 + (n - frequency + 0.5) / (frequency + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if len(documents) else 1.0
        norm = K1 * (1 - B + B * lengths / max(average, 1e-9))
        # Precompute each (document, term) BM25 weight, so a query is a sum of term columns.
        weights = counts.tocoo()
        del counts
        tf = weights.data
        weights.data = tf * (K1 + 1) / (tf + norm[weights.row]) * self.idf[weights.col]
        matrix = weights.tocsc()
        del weights
        # Common terms move from the sparse columns to dense rows (see the module docstring).
        common = np.flatnonzero(frequency >= max(1.0, DENSE_SHARE * n))
        # term -> its row in self.dense, or -1 when the term stays in the sparse matrix.
        self.dense_row = np.full(matrix.shape[1], -1, dtype=np.int64)
        self.dense_row[common] = np.arange(len(common))
        self.dense = np.zeros((len(common), matrix.shape[0]), dtype=np.float32)
        for row, term in enumerate(common):
            postings = slice(matrix.indptr[term], matrix.indptr[term + 1])
            self.dense[row, matrix.indices[postings]] = matrix.data[postings]
        is_common = np.zeros(matrix.shape[1], dtype=bool)
        is_common[common] = True
        matrix.data[np.repeat(is_common, np.diff(matrix.indptr))] = 0
        matrix.eliminate_zeros()
        self.matrix = matrix

    def scores(self, query: str) -> np.ndarray:
        terms = sorted({self.vocabulary[t] for t in char_ngrams(query) if t in self.vocabulary})
        scores = np.zeros(self.matrix.shape[0], dtype=np.float32)
        rare = []
        for term in terms:
            row = self.dense_row[term]
            if row >= 0:
                scores += self.dense[row]
            else:
                rare.append(term)
        if rare:
            scores += np.asarray(self.matrix[:, rare].sum(axis=1), dtype=np.float32).ravel()
        return scores

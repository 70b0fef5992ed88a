"""Ranking quality on the labelled development set (bench/data/devset.json).

Builds a throwaway database (taxonomy + the dev set, nothing else), embeds it with the configured
model, and compares four rankers on every need: character n-gram TF-IDF, dense only, dense with
the hard requirements (ineligible profiles last: the raw embedding's baseline), and the
full ranker (hybrid retrieval + hard requirements + structured fit). Prints a table, or one JSON
object with --json.

    python bench/quality.py [--json] [--devset bench/data/devset.json] [--floor]
        [--needs bench/data/heldout.json [--with-devset-needs]] [--folds K [--candidates]]

``--needs`` ranks the needs of another labelled file (organisations, needs, judgements) against
the dev set's profiles instead of the dev set's own needs: needs the weights were not tuned on.
``--folds K`` fits the fusion weights by cross-validation (bench/fitting.py) and reports, per
ranker, the mean and worst fold: the full ranker fitted, the hand-set weights, dense only,
lexical only, dense and lexical alone, and each component left out in turn; ``--candidates`` adds
each score part that was removed (bench/candidates.py) back in turn. With ``--needs`` and
``--with-devset-needs`` it also fits the weights on the dev set's needs alone and scores them on
the other file's needs.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from throwaway import throwaway_django  # noqa: E402


def ndcg_at(ranked: Sequence[str], gains: dict[str, int], k: int) -> float:
    def dcg(values: Sequence[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values))

    ideal = dcg(sorted(gains.values(), reverse=True)[:k])
    return dcg([gains.get(ref, 0) for ref in ranked[:k]]) / ideal if ideal else 0.0


def recall_at(ranked: Sequence[str], gains: dict[str, int], k: int) -> float:
    right = {ref for ref, gain in gains.items() if gain == 2}
    return len(right & set(ranked[:k])) / len(right) if right else 1.0


def reciprocal_rank(ranked: Sequence[str], gains: dict[str, int]) -> float:
    for position, ref in enumerate(ranked, start=1):
        if gains.get(ref, 0) == 2:
            return 1.0 / position
    return 0.0


def violations(ranked: Sequence[str], gains: dict[str, int], eligible: dict[str, bool]) -> int:
    """Ineligible profiles ranked above the lowest-placed eligible gain-2 profile."""
    right = [i for i, ref in enumerate(ranked) if gains.get(ref) == 2 and eligible.get(ref)]
    if not right:
        return 0
    return sum(1 for ref in ranked[: max(right)] if not eligible.get(ref, True))


def evaluate(
    rankings: dict[str, list[str]],
    judgements: dict[str, dict[str, int]],
    eligibility: dict[str, dict[str, bool]],
) -> dict[str, float]:
    needs = list(judgements)
    return {
        "ndcg@5": sum(ndcg_at(rankings[n], judgements[n], 5) for n in needs) / len(needs),
        "recall@3": sum(recall_at(rankings[n], judgements[n], 3) for n in needs) / len(needs),
        "mrr": sum(reciprocal_rank(rankings[n], judgements[n]) for n in needs) / len(needs),
        "violations": float(
            sum(violations(rankings[n], judgements[n], eligibility[n]) for n in needs)
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=ROOT / "bench" / "data" / "devset.json")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--needs", type=Path, help="labelled needs to rank instead of the dev set's"
    )
    parser.add_argument(
        "--with-devset-needs", action="store_true", help="with --needs: rank both sets"
    )
    parser.add_argument("--folds", type=int, default=0, help="cross-validate fitted weights")
    parser.add_argument(
        "--candidates",
        action="store_true",
        help="with --folds: add each removed score part back in turn (bench/candidates.py)",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="score distribution of eligible pairs by label, for the leads' score floor",
    )
    args = parser.parse_args(argv)

    document = json.loads(args.devset.read_text("utf-8"))
    throwaway_django("quality")

    import numpy as np
    from candidates import CANDIDATES, robot_types_named
    from django.core.management import call_command
    from fitting import NeedTable, cross_validate, fit, folds_of, mean, only
    from sklearn.feature_extraction.text import TfidfVectorizer

    from marketplace.imports.loading import catalog_import
    from marketplace.imports.parsing import parse_import_file
    from marketplace.matches.embeddings import embeddings_refresh
    from marketplace.matches.features import (
        capabilities_with_relations,
        capability_features,
        need_features,
        needs_with_relations,
    )
    from marketplace.matches.ranking import MatchContext
    from marketplace.models import Capability, Need
    from marketplace.seeding import SEEDS_DIR, taxonomy_load
    from matching.models import Embedding
    from matching.ranking.eligibility import failed_keys, failed_requirements, hard_aspects
    from matching.ranking.ranker import rank_capabilities
    from matching.ranking.scoring import (
        COMPONENTS,
        component_values,
        component_weights,
        rescaled_signals,
    )
    from matching.ranking.types import Signals
    from matching.ranking.weights import DEFAULT_WEIGHTS, Weights
    from matching.store import embedded_sync

    call_command("migrate", verbosity=0)
    taxonomy_load(data=json.loads((SEEDS_DIR / "taxonomy.json").read_text("utf-8")))
    catalog = {k: document[k] for k in ("organizations", "needs", "capabilities")}
    judgements: dict[str, dict[str, int]] = document["judgements"]
    if args.needs:
        extra = json.loads(args.needs.read_text("utf-8"))
        if not args.with_devset_needs:
            catalog["needs"], judgements = [], {}
        catalog["organizations"] = catalog["organizations"] + extra["organizations"]
        catalog["needs"] = catalog["needs"] + extra["needs"]
        judgements = {**judgements, **extra["judgements"]}
    content = json.dumps(catalog, ensure_ascii=False).encode()
    catalog_import(payload=parse_import_file(content=content, filename="devset.json"))
    report = embeddings_refresh()

    context = MatchContext.load()
    needs = {n.ref or "": n for n in needs_with_relations(Need.objects.filter(ref__in=judgements))}
    capabilities = list(capabilities_with_relations(Capability.objects.order_by("pk")))
    cap_refs = [c.ref or "" for c in capabilities]
    cap_features = [capability_features(c) for c in capabilities]
    need_feats = {ref: need_features(need, context.lineages) for ref, need in needs.items()}
    vectors = {(row.kind, row.object_id): row.as_array() for row in Embedding.objects.all()}
    texts = {(row.kind, row.object_id): row.text for row in Embedding.objects.all()}
    cap_matrix = np.vstack([vectors[("capability", c.pk)] for c in capabilities])
    eligibility = {
        ref: {
            cap_refs[i]: not failed_requirements(hard_aspects(need_feats[ref], feature))
            for i, feature in enumerate(cap_features)
        }
        for ref in needs
    }

    tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
    cap_tfidf = tfidf.fit_transform([texts[("capability", c.pk)] for c in capabilities])

    def order_by(scores: np.ndarray) -> list[str]:
        return [cap_refs[i] for i in np.lexsort((np.arange(len(scores)), -scores))]

    baselines: dict[str, Callable[[str], list[str]]] = {
        "tfidf": lambda ref: order_by(
            (cap_tfidf @ tfidf.transform([texts[("need", needs[ref].pk)]]).T).toarray().ravel()
        ),
        "dense": lambda ref: order_by(cap_matrix @ vectors[("need", needs[ref].pk)]),
        # The raw embedding's baseline: cosine order, ineligible profiles after eligible ones.
        "dense+rules": lambda ref: order_by(
            cap_matrix @ vectors[("need", needs[ref].pk)]
            + np.array([0.0 if eligibility[ref][c] else -10.0 for c in cap_refs])
        ),
    }
    index = embedded_sync("capability", report.model_name)

    def full(weights: Weights) -> Callable[[str], list[str]]:
        def rank(ref: str) -> list[str]:
            need = needs[ref]
            hits = index.search(
                "capability",
                vector=vectors[("need", need.pk)],
                text=texts[("need", need.pk)],
                limit=200,
            )
            by_id = {feature.id: feature for feature in cap_features}
            ranked = rank_capabilities(
                need_feats[ref],
                [(by_id[h.object_id], Signals(h.dense, h.lexical)) for h in hits],
                weights=weights,
                vocabulary=context.vocabulary,
                explain=False,
            )
            refs = {feature.id: feature.ref or "" for feature in cap_features}
            return [refs[m.capability_id] for m in ranked]

        return rank

    def floor_pairs() -> list[tuple[float, int]]:
        """(score, gain) of every eligible pair the full ranker returns; unlabelled is 0."""
        by_id = {feature.id: feature for feature in cap_features}
        refs = {feature.id: feature.ref or "" for feature in cap_features}
        pairs = []
        for ref, need in needs.items():
            hits = index.search(
                "capability",
                vector=vectors[("need", need.pk)],
                text=texts[("need", need.pk)],
                limit=200,
            )
            for match in rank_capabilities(
                need_feats[ref],
                [(by_id[h.object_id], Signals(h.dense, h.lexical)) for h in hits],
                vocabulary=context.vocabulary,
                explain=False,
            ):
                if match.eligible:
                    gain = judgements[ref].get(refs[match.capability_id], 0)
                    pairs.append((match.score, gain))
        return pairs

    results: dict[str, dict[str, float]] = {}
    for name, ranker in (*baselines.items(), ("full", full(DEFAULT_WEIGHTS))):
        rankings = {ref: ranker(ref) for ref in needs}
        results[name] = evaluate(rankings, judgements, eligibility)

    if args.floor:
        _print_floor(floor_pairs(), file=sys.stderr)

    def need_table(ref: str, extra: Sequence[str] = ()) -> NeedTable:
        """Every candidate's component values (then the ``extra`` removed parts named),
        hard-requirement failure and label."""
        need = needs[ref]
        hits = index.search(
            "capability",
            vector=vectors[("need", need.pk)],
            text=texts[("need", need.pk)],
            limit=200,
        )
        by_id = {feature.id: feature for feature in cap_features}
        features = [by_id[h.object_id] for h in hits]
        scaled = rescaled_signals([Signals(h.dense, h.lexical) for h in hits])
        need_feat = need_feats[ref]
        named = robot_types_named(need_feat, context.vocabulary)
        values = [
            (
                *component_values(f, dense=d, lexical=x),
                *(CANDIDATES[name](need_feat, f, named) for name in extra),
            )
            for f, (d, x) in zip(features, scaled, strict=True)
        ]
        return NeedTable(
            ref=ref,
            values=np.array(values),
            failed=np.array([bool(failed_keys(need_feats[ref], f)) for f in features]),
            ids=np.array([f.id for f in features]),
            gains=np.array([judgements[ref].get(f.ref or "", 0) for f in features]),
        )

    cross_validated: list[dict[str, Any]] = []
    if args.folds:
        tables = {ref: need_table(ref) for ref in needs}
        folds = folds_of(sorted(tables), args.folds)
        names = [name for name, _label in COMPONENTS]
        hand = np.array(component_weights(DEFAULT_WEIGHTS))
        runs = [
            cross_validate("full, fitted", tables, folds, hand),
            cross_validate("full, hand-set", tables, folds, hand, fitted=False),
            cross_validate("dense only", tables, folds, only(0, len(names)), fitted=False),
            cross_validate("lexical only", tables, folds, only(1, len(names)), fitted=False),
        ]
        two = hand.copy()
        two[2:] = 0.0
        runs.append(cross_validate("dense + lexical", tables, folds, two, free=[0, 1]))
        for index_out, name in enumerate(names):
            start = hand.copy()
            start[index_out] = 0.0
            free = [i for i in range(len(names)) if i != index_out]
            runs.append(cross_validate(f"without {name}", tables, folds, start, free=free))
        if args.candidates:
            for name in CANDIDATES:
                extended = {ref: need_table(ref, extra=(name,)) for ref in needs}
                start = np.append(hand, 0.05)
                runs.append(cross_validate(f"with {name}", extended, folds, start))
        cross_validated = [run.__dict__ for run in runs]
        final = fit(list(tables.values()), hand)
        print(f"{args.folds}-fold cross-validation over {len(tables)} needs", file=sys.stderr)
        print(
            f"{'ranker':<24} {'nDCG@5 mean':>12} {'worst':>7} {'R@3 mean':>9} {'worst':>7}",
            file=sys.stderr,
        )
        for run in runs:
            print(
                f"{run.name:<24} {run.ndcg_mean:>12.3f} {run.ndcg_worst:>7.3f} "
                f"{run.recall_mean:>9.3f} {run.recall_worst:>7.3f}",
                file=sys.stderr,
            )
        fitted_all = ", ".join(f"{n}={w:g}" for n, w in zip(names, final, strict=True))
        print(f"weights fitted on all {len(tables)} needs: {fitted_all}", file=sys.stderr)
        dev_refs = [ref for ref in tables if ref.startswith("dev-")]
        other_refs = [ref for ref in tables if not ref.startswith("dev-")]
        if dev_refs and other_refs:
            # Fitted on the dev set, scored on needs it never saw: the honest transfer figure.
            on_dev = fit([tables[ref] for ref in dev_refs], hand)
            unseen = [tables[ref] for ref in other_refs]
            for label, vector in (("fitted on dev set", on_dev), ("hand-set", hand)):
                print(
                    f"{label:<18} on the {len(unseen)} other needs: "
                    f"nDCG@5 {mean('ndcg@5', unseen, vector):.3f}, "
                    f"R@3 {mean('recall@3', unseen, vector):.3f}",
                    file=sys.stderr,
                )
            weights_text = ", ".join(f"{n}={w:g}" for n, w in zip(names, on_dev, strict=True))
            print(f"weights fitted on the dev set: {weights_text}", file=sys.stderr)

    summary = {
        "model": report.model_name,
        "needs": len(needs),
        "profiles": len(capabilities),
        "rankers": results,
        "cross_validated": cross_validated,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    print(f"model {report.model_name}; {len(needs)} needs, {len(capabilities)} profiles")
    print(f"{'ranker':<12} {'nDCG@5':>8} {'Recall@3':>9} {'MRR':>7} {'violations':>11}")
    for name, metrics in results.items():
        print(
            f"{name:<12} {metrics['ndcg@5']:>8.3f} {metrics['recall@3']:>9.3f} "
            f"{metrics['mrr']:>7.3f} {int(metrics['violations']):>11d}"
        )
    print("target       nDCG@5 >= 0.90, Recall@3 >= 0.95, violations 0 (full ranker)")
    return 0


def _print_floor(pairs: Sequence[tuple[float, int]], *, file: Any) -> None:
    """Per label, the eligible pairs' score quantiles; and for candidate floors, how many
    irrelevant pairs and how many relevant ones stay above."""
    import numpy as np

    print("gain  pairs    p05    p50    p95    max", file=file)
    for gain in (0, 1, 2):
        scores = np.array([score for score, g in pairs if g == gain])
        if len(scores):
            q = np.quantile(scores, [0.05, 0.5, 0.95])
            print(
                f"{gain:>4} {len(scores):>6} {q[0]:>6.3f} {q[1]:>6.3f} {q[2]:>6.3f} "
                f"{scores.max():>6.3f}",
                file=file,
            )
    print("floor  irrelevant kept  partly kept  right kept", file=file)
    for floor in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        kept = [sum(1 for s, g in pairs if g == gain and s >= floor) for gain in (0, 1, 2)]
        total = [max(1, sum(1 for _, g in pairs if g == gain)) for gain in (0, 1, 2)]
        print(
            f"{floor:>5.2f} {kept[0] / total[0]:>16.3f} {kept[1] / total[1]:>12.3f} "
            f"{kept[2] / total[2]:>11.3f}",
            file=file,
        )


if __name__ == "__main__":
    raise SystemExit(main())

"""How often the reading of a free-text need (matching/ranking/reading.py) names its labelled
service categories, robot type and product class: keywords only against keywords + the model.

Each need is read from its title and description alone (the domain is known: the need form asks
it first), and compared with:
- categories: the need's own ``categories`` where it states them; for needs without, the
  categories of its gain-2 profiles in the need's domain ("categories, from the answers");
- robot type: the robot types of its gain-2 profiles;
- product class: the need's own ``product_classes`` where it states them.

Precision and recall are micro-averaged over the needs; "top-1" is the share of needs whose
first suggestion is right. The model reads the text as the worker does (title, description and
the domain's name, with the query prompt) against the taxonomy terms (document prompt).

    python bench/reading.py [--set dev|heldout|both] [--model PATH] [--tune] [--json]

``--tune`` grid-searches the reading's weights on the dev set only (never on heldout.json) and
prints the best; the defaults in ``ReadingWeights`` were set that way.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"

from throwaway import throwaway_django  # noqa: E402


@dataclass
class Case:
    ref: str
    text: str  # what the model reads
    reading_text: str  # what the keywords read
    domain: str
    categories: frozenset[str]
    categories_from_answers: bool
    robot_types: frozenset[str]
    product_classes: frozenset[str]


def cases_of(document: dict[str, Any], profiles: dict[str, dict[str, Any]]) -> list[Case]:
    taxonomy = json.loads((ROOT / "seeds" / "taxonomy.json").read_text("utf-8"))
    domain_names = {d["code"]: d["name_zh"] for d in taxonomy["domains"]}
    cases = []
    for need in document["needs"]:
        right = [
            profiles[ref]
            for ref, gain in document["judgements"].get(need["ref"], {}).items()
            if gain == 2 and ref in profiles
        ]
        domain = need["domain"]
        stated = frozenset(need.get("categories") or ())
        answers = frozenset(
            code
            for profile in right
            for code in profile.get("categories") or ()
            if code in _domain_categories(taxonomy, domain)
        )
        reading_text = "\n".join(p for p in (need["title"], need.get("description", "")) if p)
        cases.append(
            Case(
                ref=need["ref"],
                text="\n".join((reading_text, domain_names.get(domain, ""))),
                reading_text=reading_text,
                domain=domain,
                categories=stated or answers,
                categories_from_answers=not stated,
                robot_types=frozenset(p["robot_type"] for p in right if p.get("robot_type")),
                product_classes=frozenset(need.get("product_classes") or ()),
            )
        )
    return cases


def _domain_categories(taxonomy: dict[str, Any], domain: str) -> frozenset[str]:
    return frozenset(c["code"] for c in taxonomy["service_categories"] if c["domain"] == domain)


@dataclass
class Score:
    hits: int = 0
    predicted: int = 0
    labelled: int = 0
    top1: int = 0
    needs: int = 0

    def add(self, predicted: Sequence[str], labels: frozenset[str]) -> None:
        if not labels:
            return
        self.needs += 1
        self.predicted += len(predicted)
        self.labelled += len(labels)
        self.hits += len(set(predicted) & labels)
        self.top1 += bool(predicted) and predicted[0] in labels

    def row(self) -> dict[str, float | int]:
        precision = self.hits / self.predicted if self.predicted else 0.0
        recall = self.hits / self.labelled if self.labelled else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "needs": self.needs,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "top1": round(self.top1 / self.needs, 3) if self.needs else 0.0,
        }


KINDS = ("categories (stated)", "categories (from the answers)", "robot type", "product class")


def evaluate(cases: Sequence[Case], read: Any) -> dict[str, Score]:
    scores = {kind: Score() for kind in KINDS}
    for case in cases:
        reading = read(case)
        categories = [g.code for g in reading.categories]
        kind = KINDS[1] if case.categories_from_answers else KINDS[0]
        scores[kind].add(categories, case.categories)
        scores[KINDS[2]].add(
            [reading.robot_type.code] if reading.robot_type else [], case.robot_types
        )
        scores[KINDS[3]].add(
            [reading.product_class.code] if reading.product_class else [], case.product_classes
        )
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("dev", "heldout", "both"), default="both")
    parser.add_argument("--model", help="the encoder's folder (default: MATCHING_MODEL)")
    parser.add_argument("--tune", action="store_true", help="grid-search weights on dev only")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    throwaway_django("reading", model=args.model)

    from matching.encoders import encoder_name, get_encoder
    from matching.ranking.reading import (
        DEFAULT_READING_WEIGHTS,
        ReadingWeights,
        TermVectors,
        read_need,
        taxonomy_terms,
    )

    taxonomy = json.loads((ROOT / "seeds" / "taxonomy.json").read_text("utf-8"))
    terms = taxonomy_terms(
        categories=[
            (c["code"], c["domain"], c["name_zh"], c["name_en"], c.get("keywords", []))
            for c in taxonomy["service_categories"]
        ],
        robot_types=[(r["code"], r["name_zh"], r["name_en"]) for r in taxonomy["robot_types"]],
        product_classes=[
            (p["code"], p["name_zh"], p["name_en"]) for p in taxonomy["product_classes"]
        ],
    )
    devset = json.loads((DATA / "devset.json").read_text("utf-8"))
    profiles = {p["ref"]: p for p in devset["capabilities"]}
    sets = {"dev": cases_of(devset, profiles)}
    if args.set in ("heldout", "both") and not args.tune:
        sets["heldout"] = cases_of(json.loads((DATA / "heldout.json").read_text("utf-8")), profiles)
    if args.set == "heldout" and not args.tune:
        del sets["dev"]

    encoder = get_encoder()
    term_matrix = encoder.encode([t.text for t in terms], role="document")
    term_vectors = {(t.kind.value, t.code): v for t, v in zip(terms, term_matrix, strict=True)}
    need_vectors: dict[str, Any] = {}
    for cases in sets.values():
        matrix = encoder.encode([c.text for c in cases], role="query")
        need_vectors.update({c.ref: v for c, v in zip(cases, matrix, strict=True)})

    def reader(weights: ReadingWeights, with_model: bool) -> Any:
        def read(case: Case) -> Any:
            vectors = (
                TermVectors(need=need_vectors[case.ref], terms=term_vectors) if with_model else None
            )
            return read_need(
                case.reading_text, terms, domain=case.domain, vectors=vectors, weights=weights
            )

        return read

    if args.tune:
        results = []
        grid = itertools.product(
            (0.3, 0.5, 0.7, 0.9), (0.0, 0.25, 0.5), (0.35, 0.45, 0.55, 0.65), (0.7, 0.8, 0.9)
        )
        for model, robot_model, threshold, second in grid:
            weights = ReadingWeights(
                model=model, robot_model=robot_model, threshold=threshold, second=second
            )
            scores = evaluate(sets["dev"], reader(weights, True))
            f1 = sum(float(scores[kind].row()["f1"]) for kind in KINDS) / len(KINDS)
            results.append((round(f1, 4), model, robot_model, threshold, second))
        for f1, model, robot_model, threshold, second in sorted(results, reverse=True)[:8]:
            print(
                f"mean F1 {f1:.4f}  model={model} robot_model={robot_model}"
                f" threshold={threshold} second={second}"
            )
        return 0

    report: dict[str, Any] = {"model": encoder_name(), "sets": {}}
    for name, cases in sets.items():
        report["sets"][name] = {
            method: {kind: score.row() for kind, score in evaluate(cases, read).items()}
            for method, read in (
                ("keywords", reader(DEFAULT_READING_WEIGHTS, False)),
                ("keywords+model", reader(DEFAULT_READING_WEIGHTS, True)),
            )
        }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"model: {report['model']}")
    header = (
        f"{'set':8} {'method':15} {'label':30} {'needs':>5} {'P':>6} {'R':>6} {'F1':>6} {'top1':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, methods in report["sets"].items():
        for method, kinds in methods.items():
            for kind, row in kinds.items():
                print(
                    f"{name:8} {method:15} {kind:30} {row['needs']:>5} {row['precision']:>6.3f}"
                    f" {row['recall']:>6.3f} {row['f1']:>6.3f} {row['top1']:>6.3f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The position trade-off of the default ranking, measured on two kinds of news in one run.

bbc-dev's long extractive references reward long central sentences (TextRank is the best baseline there); on
lead-style news (wire copy, highlights, key points) the lead is. This prints, for position settings (prior weight x
lead slot x second slot, the other weights as committed), ROUGE-1 F1 on the tune parts that ``tune_default`` uses:
bbc-dev tune, GUM news + interview tune (human summary), keypoints tune (.ref and .points); with the baselines
TextRank and Lead-3 measured in the same run, and each setting's worst margin against the aims (bbc-dev: Lead-3
+ 10; lead-style sets: lead). Held-out parts are left to ``bench/quality.py``.

Run: ``python bench/frontier.py`` (needs ../shared/data and rouge-score; about 15 seconds).
"""

from __future__ import annotations

import dataclasses

import tune_default as tune

from briefing.analyse.facts import DEFAULT_WEIGHTS, FEATURES, select_key_facts

SETTINGS = (
    (0.0, 0, 0), (0.0, 3, 0), (1.0, 3, 0), (2.0, 3, 0), (0.0, 1, 0), (0.0, 2, 3), (0.0, 1, 3), (0.0, 1, 4), (0.0, 3, 4),
    (1.0, 2, 3),
)


def main() -> int:
    tune.prepare()
    print("articles: " + ", ".join(f"{name} {len(p)}" for name, p in tune._TUNE.items()))
    print(f"{'setting':<28}" + "".join(f"{name:>16}" for name in tune._TUNE) + f"{'worst margin':>14}")

    def row(label: str, values: dict[str, float]) -> None:
        worst = min(values[name] - tune._TARGET[name] for name in values)
        print(f"{label:<28}" + "".join(f"{values[name]:16.2f}" for name in values) + f"{worst:+14.2f}")

    row("lead-3", {name: tune.lead_score(p) for name, p in tune._TUNE.items()})
    row("textrank", {name: 100 * sum(p.rouge1(select_key_facts(p.sentences, 3, "textrank")) for p in prepared)
                     / len(prepared) for name, prepared in tune._TUNE.items()})
    row("default (committed)", {name: tune.score(p, DEFAULT_WEIGHTS) for name, p in tune._TUNE.items()})
    position = FEATURES.index("position")
    for prior, slot, second in SETTINGS:
        w = dataclasses.replace(tune.with_value(DEFAULT_WEIGHTS, "features", position, prior), lead_slot=slot,
                                second_slot=second)
        mark = " (default)" if w == DEFAULT_WEIGHTS else ""
        row(f"prior {prior} slots {slot}/{second}{mark}", {name: tune.score(p, w) for name, p in tune._TUNE.items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

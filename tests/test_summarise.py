"""Key-fact selection: the registry, the default ranking and the top lines of the day."""

from __future__ import annotations

from briefing.summarise import SUMMARIZERS, select_key_facts

ARTICLE = [
    "The dollar has hit its highest level against the euro in almost three months.",
    "Traders said the Federal Reserve head had calmed fears about the US trade deficit.",
    "The euro fell to $1.2871 in late trading in New York.",
    "Analysts expect the dollar to stay strong while the deficit stabilises.",
    "Meanwhile, the weather in London was mild.",
]


def test_default_is_registered_and_returns_sorted_indices() -> None:
    assert "default" in SUMMARIZERS
    chosen = select_key_facts(ARTICLE, 3, "default")
    assert len(chosen) == 3
    assert chosen == sorted(set(chosen))
    assert all(0 <= i < len(ARTICLE) for i in chosen)

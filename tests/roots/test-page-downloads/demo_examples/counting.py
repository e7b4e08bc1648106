"""Counting helpers the demo page imports."""

from __future__ import annotations

from demo_examples.words import WORDS


def count_up(start: int, stop: int) -> list[int]:
    return list(range(start, stop))


def name_of(n: int) -> str:
    return WORDS[n]


if __name__ == "__main__":
    print("never printed by the downloads")

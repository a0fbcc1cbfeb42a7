"""Seeded, realistic typos: dropped, doubled, swapped or neighbouring-key letters.

:func:`typo` makes one typo in a word, :func:`inject_typos` puts typos in a text at a given
rate (the same text always gets the same typos), and :func:`changed_words` lists the words
that changed, so that their pieces can be compared before and after.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


@lru_cache(maxsize=1)
def _neighbours() -> dict[str, str]:
    """Letters next to each letter on a QWERTY keyboard."""
    where = {c: (r, i) for r, row in enumerate(_KEYBOARD) for i, c in enumerate(row)}
    return {c: "".join(d for d, (r2, i2) in where.items()
                       if d != c and abs(r2 - r) <= 1 and abs(i2 - i) <= 1)
            for c, (r, i) in where.items()}


def typo(word: str, rng: random.Random) -> str:
    """One realistic typo: a dropped, doubled, swapped or neighbouring-key letter."""
    for _ in range(10):
        i = rng.randrange(len(word))
        kind = rng.choice(("drop", "double", "swap", "key"))
        if kind == "drop" and len(word) > 2:
            new = word[:i] + word[i + 1:]
        elif kind == "double":
            new = word[:i] + word[i] + word[i:]
        elif kind == "swap" and i + 1 < len(word):
            new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif kind == "key" and word[i].lower() in _neighbours():
            key = rng.choice(_neighbours()[word[i].lower()])
            new = word[:i] + (key.upper() if word[i].isupper() else key) + word[i + 1:]
        else:
            continue
        if new != word:
            return new
    return word + word[-1]


def inject_typos(text: str, rate: float = 0.2, seed: int = 0, min_length: int = 3) -> str:
    """``text`` with a typo in each word of at least ``min_length`` letters, with probability
    ``rate``. Seeded by ``seed`` and the text itself, so the same text always gets the same
    typos (in any order, in any process)."""
    rng = random.Random(f"{seed}:{text}")
    pattern = re.compile(rf"[A-Za-z]{{{min_length},}}")
    return pattern.sub(lambda m: typo(m.group(), rng) if rng.random() < rate else m.group(),
                       text)


def changed_words(clean: str, noisy: str) -> list[tuple[str, str]]:
    """(original, typo) pairs of the words that :func:`inject_typos` changed."""
    return [(a, b) for a, b in zip(clean.split(), noisy.split()) if a != b]

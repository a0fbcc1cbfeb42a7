"""The one interface every tokenizer is measured through, and the shared constants.

:class:`CourseTokenizer` wraps a ``tokenizers.Tokenizer`` with a name, an algorithm and its
unknown token; :func:`from_transformers` wraps a ``transformers`` fast tokenizer and
:func:`real_tokenizers` loads the real ones available in this mode. The constants (vocabulary
sizes, training-corpus size, Zipf bands, brand names, probe texts, the shared ``UNCASED``
normaliser) are used by the other modules of :mod:`course_utils.tokenization`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tokenizers import Tokenizer, normalizers

from ..core.runtime import current_mode

VOCAB_SIZES = (30_000, 8_000)
"""The vocabulary sizes compared: BERT's and ALBERT's 30,000, and a smaller one for the trend."""

TRAINING_WORDS = 60_000
"""Train on the most frequent English words, down to a Zipf frequency of about 2.4."""

COUNT_SCALE = 1_000_000
"""Word counts are frequencies times this (at least 1): a corpus of about a million words."""

ALGORITHMS = ("WordPiece", "byte-level BPE", "Unigram")

ZIPF_BANDS = ((6.0, 8.0), (5.0, 6.0), (4.0, 5.0), (3.0, 4.0), (2.0, 3.0), (1.0, 2.0))
"""Zipf frequency bands (log10 of occurrences per billion words): 7 is "the", 1 is very rare."""

BRAND_NAMES = (
    "airbnb", "spotify", "nespresso", "lululemon", "husqvarna", "peloton", "sennheiser",
    "logitech", "xiaomi", "ryanair", "lufthansa", "zalando", "duolingo", "fitbit", "roomba",
    "vitamix", "kitchenaid", "sephora", "uniqlo", "shopify",
    "aerlume", "skyvane", "velmarrow", "vorlaxx", "brambleforth", "quillstead", "brontelle",
    "fjallmark", "vorrendahl", "grisholm",
)
"""Twenty real brands and the ten invented ones of the challenge reviews (lower-case)."""

PROBES: dict[str, tuple[str, ...]] = {
    "emoji": ("Love it 😍🔥", "Broke on day two 😡👎", "Battery 🪫 dead, 🫠",
              "Best pizza 🍕🇮🇹 ever", "5/5 ⭐⭐⭐⭐⭐", "meh 🤷‍♀️"),
    "accented words": ("café au lait", "a naïve fiancée", "Zürich to São Paulo",
                       "crème brûlée", "Dvořák in Łódź", "piñata for Señor Muñoz"),
    "other scripts": ("你好，很好吃", "とても良い製品です", "정말 좋아요", "Очень хорошо",
                      "ممتاز جدا", "बहुत अच्छा", "πολύ καλό", "ดีมาก"),
    "code": ("def f(x): return x ** 2", "for (int i = 0; i < n; i++) { s += a[i]; }",
             "SELECT * FROM reviews WHERE stars <= 2;", "x = {'a': [1, 2]}  # ok",
             "if err != nil { return err }", "console.log(`${a} ~ ${b}`);"),
    "URLs": ("https://example.com/p?id=42&ref=mail", "www.shop-online.co.uk/returns",
             "http://bit.ly/3xYz_Q9", "mailto:help@kettles.example",
             "https://en.wikipedia.org/wiki/Byte_pair_encoding#History"),
}
"""Short texts that stress a vocabulary: emoji, accents, other scripts, code and URLs."""

ASCII_SYMBOLS = [chr(code) for code in range(33, 127)]
"""Printable ASCII: letters, digits and punctuation. A word list has no punctuation, so the
trained WordPiece and Unigram get these characters up front, as running text would give them."""

UNCASED = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
"""The normalisation of the trained WordPiece and Unigram (uncased, like bert-base-uncased and
albert-base-v2; accents kept so that accented words can be measured). The trained byte-level
BPE has none: cased, like GPT-2's and RoBERTa's."""


@dataclass(frozen=True)
class CourseTokenizer:
    """A named tokenizer: ``backend`` is a ``tokenizers.Tokenizer`` (no padding/truncation)."""

    name: str
    algorithm: str
    backend: Tokenizer
    unk_token: str | None = None

    @property
    def vocab_size(self) -> int:
        return self.backend.get_vocab_size(with_added_tokens=True)

    @property
    def unk_id(self) -> int | None:
        return None if self.unk_token is None else self.backend.token_to_id(self.unk_token)

    def pieces(self, text: str) -> list[str]:
        """The pieces of ``text``, without special tokens."""
        return self.backend.encode(text, add_special_tokens=False).tokens

    def ids(self, texts: list[str], special: bool = False) -> list[list[int]]:
        """Token ids of each text (with ``[CLS]``/``<s>`` and friends when ``special``)."""
        return [e.ids for e in self.backend.encode_batch(list(texts), add_special_tokens=special)]

    def round_trip(self, text: str) -> str:
        """Encode ``text`` and decode it again."""
        ids = self.backend.encode(text, add_special_tokens=False).ids
        return self.backend.decode(ids, skip_special_tokens=False)

    def normalize(self, text: str) -> str:
        """``text`` as the tokenizer's normaliser sees it (lower-cased, accents, ...)."""
        normalizer = self.backend.normalizer
        return normalizer.normalize_str(text) if normalizer is not None else text

    def __repr__(self) -> str:
        return f"CourseTokenizer({self.name!r}, {self.algorithm}, {self.vocab_size:,} tokens)"


def from_transformers(name: str, algorithm: str, tokenizer) -> CourseTokenizer:
    """Wrap a ``transformers`` fast tokenizer (its backend copied, padding switched off)."""
    backend = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
    backend.no_padding()
    backend.no_truncation()
    return CourseTokenizer(name, algorithm, backend, tokenizer.unk_token)


def real_tokenizers() -> dict[str, CourseTokenizer]:
    """The real tokenizers available in this mode.

    Offline: bert-base-uncased's WordPiece vocabulary, shipped with the packaged encoder.
    Online: the real bert-base-uncased, roberta-base and albert-base-v2 tokenizers.
    """
    from ..models import load_tokenizer

    found = {"BERT (real)": from_transformers("BERT (real)", "WordPiece", load_tokenizer())}
    if current_mode() == "online":
        for name, key, algorithm in (("RoBERTa (real)", "roberta-base", "byte-level BPE"),
                                     ("ALBERT (real)", "albert-base-v2", "Unigram")):
            found[name] = from_transformers(name, algorithm, load_tokenizer(key))
    return found

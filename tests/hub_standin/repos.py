"""The stand-in's repositories, built at test time under the real names: tiny random models of
each family (hidden size 32, 2 layers) from the course's own reference configs, with tiny
tokenizers trained on the course's reviews corpus, laid out as the real repositories are:

- the four base checkpoints (masked-LM heads, safetensors; BERT also ``pytorch_model.bin``),
  each also reachable by its legacy name (``bert-base-uncased`` -> ``google-bert/...``);
- the SST-2 checkpoints: DistilBERT's (safetensors, NEGATIVE/POSITIVE) and the three
  ``textattack`` ones (only ``pytorch_model.bin``, LABEL_0/LABEL_1, no ``tokenizer.json``;
  RoBERTa's ``.bin`` in torch's legacy, pre-1.6 file format, as the 2020 uploads are);
- ``nyu-mll/glue`` (legacy name ``glue``) with a small ``sst2`` configuration in parquet.

RoBERTa keeps its 514 position embeddings and no ``model_max_length`` (as the real one), ALBERT
has a SentencePiece model and no ``tokenizer.json`` (loading it needs sentencepiece).
"""

from __future__ import annotations

import io
from pathlib import Path

from course_utils.core.evaluation import ID2LABEL as SST2_LABELS

from .server import Repo

TINY = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
        "intermediate_size": 64}
TINY_DISTILBERT = {"dim": 32, "n_layers": 2, "n_heads": 2, "hidden_dim": 64}
WORDPIECE_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
BPE_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]

EXTRA_WORDS = "the battery lasts all day and the kettle boils fast . great terrible " * 100
"""Words the online tests rely on being one token in every tiny vocabulary."""


def _texts() -> list[str]:
    from course_utils.data import load_reviews

    return list(load_reviews()["train"]["text"]) + [EXTRA_WORDS]


def _folder_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def wordpiece(texts: list[str], folder: Path):
    """An uncased WordPiece tokenizer (``vocab.txt`` in ``folder``), as BERT's."""
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertTokenizer

    trainer = BertWordPieceTokenizer(lowercase=True)
    trainer.train_from_iterator(texts, vocab_size=800, special_tokens=WORDPIECE_SPECIALS)
    trainer.save_model(str(folder))
    return BertTokenizer(vocab=str(folder / "vocab.txt"), model_max_length=512)


def byte_level_bpe(texts: list[str], folder: Path):
    """A byte-level BPE tokenizer (``vocab.json``, ``merges.txt``), as RoBERTa's."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import RobertaTokenizer

    trainer = ByteLevelBPETokenizer()
    trainer.train_from_iterator(texts, vocab_size=800, special_tokens=BPE_SPECIALS)
    trainer.save_model(str(folder))
    return RobertaTokenizer(vocab=str(folder / "vocab.json"), merges=str(folder / "merges.txt"))


def sentencepiece(texts: list[str], folder: Path):
    """A SentencePiece unigram model (``spiece.model``), with ALBERT's special ids."""
    import sentencepiece as spm
    from transformers import AlbertTokenizer

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(texts), model_writer=model, vocab_size=600, model_type="unigram",
        pad_id=0, unk_id=1, bos_id=2, eos_id=3, pad_piece="<pad>", unk_piece="<unk>",
        bos_piece="[CLS]", eos_piece="[SEP]", user_defined_symbols=["[MASK]"],
        normalization_rule_name="nmt_nfkc_cf", minloglevel=2)
    (folder / "spiece.model").write_bytes(model.getvalue())
    return AlbertTokenizer.from_pretrained(str(folder))


def _model(name: str, head: str, vocab_size: int, seed: int, **fields):
    """A tiny random ``name`` (one of the course's reference configs) with ``head``
    (``MaskedLM`` or ``SequenceClassification``)."""
    import torch
    import transformers

    from course_utils.models import reference_config

    tiny = TINY_DISTILBERT if name.startswith("distilbert") else TINY
    config = reference_config(name, vocab_size=vocab_size, **tiny, **fields)
    if config.model_type == "albert":
        config.embedding_size = 16
    torch.manual_seed(seed)
    model_class = getattr(transformers, f"AutoModelFor{head}")
    return model_class.from_config(config).eval()


def _repo(repo_id: str, model, tokenizer_files: dict[str, bytes], folder: Path,
          weights: str = "safetensors", aliases: tuple[str, ...] = ()) -> Repo:
    """Save ``model`` (``weights``: "safetensors", "bin", "legacy bin" (torch's pre-1.6
    format) or "both") beside the tokenizer's files and read the folder back as a
    :class:`Repo`."""
    import torch

    target = folder / repo_id
    model.save_pretrained(target)
    if weights in ("bin", "legacy bin", "both"):
        torch.save(model.state_dict(), target / "pytorch_model.bin",
                   _use_new_zipfile_serialization=weights != "legacy bin")
    if weights in ("bin", "legacy bin"):
        (target / "model.safetensors").unlink()
    return Repo(repo_id, {**_folder_files(target), **tokenizer_files}, aliases=aliases)


def _glue(folder: Path, texts: list[str]) -> Repo:
    """``nyu-mll/glue`` with its ``sst2`` configuration: sentence, label, idx per split."""
    from datasets import ClassLabel, Dataset, Features, Value

    from course_utils.data import split_sentences

    sentences = [s for text in texts[:60] for s in split_sentences(text)][:96]
    features = Features({"sentence": Value("string"),
                         "label": ClassLabel(names=["negative", "positive"]),
                         "idx": Value("int32")})
    splits = {"train": sentences[:64], "validation": sentences[64:88], "test": sentences[88:]}
    files = {"README.md": _glue_card().encode()}
    for split, rows in splits.items():
        labels = [-1] * len(rows) if split == "test" else [i % 2 for i in range(len(rows))]
        table = Dataset.from_dict({"sentence": rows, "label": labels,
                                   "idx": list(range(len(rows)))}, features=features)
        buffer = io.BytesIO()
        table.to_parquet(buffer)
        files[f"sst2/{split}-00000-of-00001.parquet"] = buffer.getvalue()
    return Repo("nyu-mll/glue", files, repo_type="dataset", aliases=("glue",))


def _glue_card() -> str:
    splits = "".join(f"  - split: {s}\n    path: sst2/{s}-*\n"
                     for s in ("train", "validation", "test"))
    return f"---\nconfigs:\n- config_name: sst2\n  data_files:\n{splits}---\n# GLUE (tiny)\n"


def build_repos(folder: Path) -> list[Repo]:
    """Every repository of the stand-in, built in ``folder`` (a few seconds)."""
    texts = _texts()
    tokenizers = {}
    for family, train in (("wordpiece", wordpiece), ("bpe", byte_level_bpe),
                          ("spm", sentencepiece)):
        (folder / family).mkdir(parents=True)
        tokenizer = train(texts, folder / family)
        tokenizers[family] = tokenizer, _folder_files(folder / family)
    wp, wp_files = tokenizers["wordpiece"]
    bpe, bpe_files = tokenizers["bpe"]
    spm, spm_files = tokenizers["spm"]
    wp.save_pretrained(folder / "wordpiece-fast")  # tokenizer.json + tokenizer_config.json
    bpe.save_pretrained(folder / "bpe-fast", )
    wp_fast = {**wp_files, **_folder_files(folder / "wordpiece-fast")}
    bpe_fast = {**bpe_files, "tokenizer.json": (folder / "bpe-fast/tokenizer.json").read_bytes()}
    wp_config = {"tokenizer_config.json": b'{"do_lower_case": true, "model_max_length": 512}'}
    sizes = {"wp": len(wp), "bpe": len(bpe), "spm": len(spm)}

    def mlm(name, vocab):
        return _model(name, "MaskedLM", sizes[vocab], seed=1)

    def sst2(name, vocab, **fields):
        return _model(name, "SequenceClassification", sizes[vocab], seed=2, num_labels=2,
                      **fields)

    return [
        _repo("google-bert/bert-base-uncased", mlm("bert-base-uncased", "wp"), wp_fast, folder,
              weights="both", aliases=("bert-base-uncased",)),
        _repo("FacebookAI/roberta-base", mlm("roberta-base", "bpe"), bpe_fast, folder,
              aliases=("roberta-base",)),
        _repo("distilbert/distilbert-base-uncased", mlm("distilbert-base-uncased", "wp"),
              wp_fast, folder, aliases=("distilbert-base-uncased",)),
        _repo("albert/albert-base-v2", mlm("albert-base-v2", "spm"), spm_files, folder,
              aliases=("albert-base-v2",)),
        _repo("distilbert/distilbert-base-uncased-finetuned-sst-2-english",
              sst2("distilbert-base-uncased", "wp", id2label=SST2_LABELS,
                   label2id={v: k for k, v in SST2_LABELS.items()}),
              {**wp_files, **wp_config}, folder,
              aliases=("distilbert-base-uncased-finetuned-sst-2-english",)),
        _repo("textattack/bert-base-uncased-SST-2", sst2("bert-base-uncased", "wp"),
              {**wp_files, **wp_config}, folder, weights="bin"),
        _repo("textattack/roberta-base-SST-2", sst2("roberta-base", "bpe"), bpe_files, folder,
              weights="legacy bin"),
        _repo("textattack/albert-base-v2-SST-2", sst2("albert-base-v2", "spm"), spm_files,
              folder, weights="bin"),
        _glue(folder, texts),
    ]

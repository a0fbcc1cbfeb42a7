"""Online mode, run for real against a local Hub stand-in (tests/hub_standin/).

The stand-in serves tiny repositories under the real names on 127.0.0.1. A separate process
(``huggingface_hub`` reads ``HF_ENDPOINT`` on import) runs with ``HF_ENDPOINT`` pointed at it,
``COURSE_MODE=online``, no offline switch and fresh caches, and calls every online function of
every lesson. A guard fails any test that tries to reach another host, here or in the child.

Each defect of issue 16 has its test (the name says which):

- weights: a checkpoint with only ``pytorch_model.bin`` loads, without the conversion service
  (``test_bin_only_checkpoint_loads_without_the_conversion_service``; and in test_models.py
  ``test_a_bin_checkpoint_loads_only_as_tensors``)
- generic labels: ``test_textattack_labels_tell_positive_from_negative``
- RoBERTa's 512 tokens: ``test_roberta_long_review_is_cut_at_512_tokens_not_514``
- canonical names: ``test_canonical_hub_names_load_and_legacy_names_skip_the_redirect``
- torch >= 2.6: ``test_pyproject_torch_floor_is_the_one_transformers_needs_for_bin_weights``
  (test_models.py)
- ``auto`` mode: ``test_auto_probes_hf_endpoint_and_goes_online``,
  ``test_auto_reads_hf_hub_offline_false_as_online``,
  ``test_auto_obeys_transformers_offline_without_a_probe``,
  ``test_auto_is_offline_within_the_probe_timeout_when_the_endpoint_is_silent``
- sentencepiece/protobuf: ``test_albert_tokenizer_from_spiece_model_alone_with_declared_deps``
  (and test_packaging.py ``test_core_dependencies_include_what_albert_tokenizers_need``)
- Colab: ``test_colab_setup_cell_installs_only_what_colab_lacks`` (test_packaging.py)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hub_standin import HubStandIn, OnlineProcess
from hub_standin.repos import build_repos

pytestmark = pytest.mark.slow  # a child process and a built Hub: about 30 s for the module

ROOT = Path(__file__).resolve().parents[1]
LONG_REVIEW = "The kettle boils fast and the battery lasts all day. " * 60
"""About 700 tokens in every tiny vocabulary: longer than any model takes."""

UNSET = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE",
         "DISABLE_SAFETENSORS_CONVERSION", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_CACHE",
         "HUGGINGFACE_HUB_CACHE", "HF_DATASETS_CACHE", "HF_XET_CACHE", "HF_ASSETS_CACHE",
         "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
"""Variables the online environment must not inherit (offline switches, caches, proxies)."""


def online_environment(endpoint: str, folder: Path, mode: str = "online") -> dict[str, str]:
    """The environment of an online run: the Hub at ``endpoint``, caches in ``folder``; files
    over plain HTTP (the stand-in serves no Xet storage, whose client's own networking the
    guard could not see)."""
    return {"HF_ENDPOINT": endpoint, "HF_HOME": str(folder / "hf"), "COURSE_MODE": mode,
            "COURSE_CACHE_DIR": str(folder / "course"),
            "COURSE_OUTPUT_DIR": str(folder / "output"), "HF_UPDATE_DOWNLOAD_COUNTS": "0",
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
            "TOKENIZERS_PARALLELISM": "false", "HF_HUB_DISABLE_XET": "1"}


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """The stand-in, serving every repository of :mod:`hub_standin.repos`."""
    stand_in = HubStandIn(build_repos(tmp_path_factory.mktemp("repos"))).start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="module")
def online(hub, tmp_path_factory):
    """The child process with the online environment (one for the module)."""
    child = OnlineProcess(online_environment(hub.url, tmp_path_factory.mktemp("online")),
                          UNSET)
    yield child
    child.close()


@pytest.fixture(autouse=True)
def child_only_this_machine(online):
    """Fail the test if the child, while running it, tried to reach another host (this
    process is guarded by tests/conftest.py)."""
    yield
    blocked = online.blocked_hosts()
    assert not blocked, "the child tried to reach:\n" + "\n".join(
        f"{host}\n{stack}" for host, stack in blocked)


def run(hub, online, function, *args):
    """``function(*args)`` in the child: its value and the requests the stand-in got."""
    start = len(hub.requests)
    value = online.run(function, *args)
    return value, hub.requests_since(start)


def paths(requests) -> list[str]:
    return [r.path for r in requests]


# -- functions run in the child (module level, so that they can be sent to it) ----------------

def _analyze(key: str) -> dict:
    """Lessons 00 and 06: an SST-2 checkpoint through the analyzer, a long review included."""
    import torch

    from course_utils.core.sentiment import SentimentAnalyzer
    from course_utils.zoo import load_sst2_model

    model, tokenizer = load_sst2_model(key)
    analyzer = SentimentAnalyzer(model, tokenizer)
    long, short = analyzer.predict([LONG_REVIEW, "Great kettle."])
    with torch.inference_mode():  # the same review, straight through the model
        direct = model(**tokenizer("Great kettle.", return_tensors="pt").to(model.device)
                       ).logits.softmax(-1).cpu()
    return {"labels": analyzer.labels, "positive": analyzer.positive_index,
            "direct positive": float(direct[0, analyzer.positive_index]),
            "max_length": analyzer.max_length, "long": long, "short": short,
            "polarity": analyzer.predict_polarity([LONG_REVIEW, "Great kettle."])}


def _load_without_conversion(name: str) -> dict:
    """Load ``name`` with transformers' conversion entry points made to fail if called."""
    from transformers import AutoModelForSequenceClassification, modeling_utils
    from transformers import safetensors_conversion as conversion

    from course_utils.models import load_pretrained

    calls, real = [], (modeling_utils.auto_conversion, conversion.spawn_conversion)

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("the safetensors conversion service was called")

    modeling_utils.auto_conversion = conversion.spawn_conversion = refuse
    try:
        model = load_pretrained(name, AutoModelForSequenceClassification)
    finally:
        modeling_utils.auto_conversion, conversion.spawn_conversion = real
    return {"class": type(model).__name__, "conversion calls": calls,
            "variable left": os.environ.get("DISABLE_SAFETENSORS_CONVERSION")}


def _load_names(names: list[str]) -> dict:
    """Tokenizer and encoder of each name: their classes and vocabulary sizes."""
    from course_utils.models import load_pretrained, load_tokenizer, resolve_checkpoint

    return {name: (resolve_checkpoint(name), type(load_pretrained(name)).__name__,
                   len(load_tokenizer(name))) for name in names}


def _default_tokenizer_and_encoder() -> tuple[str, str, list[str]]:
    """Lessons 01 and 02: the mode's default tokenizer and encoder (bert-base-uncased)."""
    from course_utils.models import load_pretrained, load_tokenizer

    tokenizer = load_tokenizer()
    return (type(tokenizer).__name__, type(load_pretrained()).__name__,
            tokenizer.tokenize("The kettle boils fast."))


def _albert_tokenizer() -> tuple[str, list[str], bool]:
    """albert-base-v2's tokenizer, from a repository with only ``spiece.model``."""
    from transformers.utils import is_protobuf_available, is_sentencepiece_available

    from course_utils.models import load_tokenizer

    tokenizer = load_tokenizer("albert-base-v2")
    return (type(tokenizer).__name__, tokenizer.tokenize("The battery lasts."),
            is_sentencepiece_available() and is_protobuf_available())


def _real_tokenizer_rows() -> dict[str, tuple[str, int, list[str]]]:
    """Lessons 02 and 05: the real tokenizers of this mode, as the lessons wrap them."""
    from course_utils.tokenization import real_tokenizers

    return {name: (t.algorithm, t.vocab_size, t.pieces("The kettle boils fast!"))
            for name, t in real_tokenizers().items()}


def _fill_mask() -> dict:
    """Lesson 02: real BERT and RoBERTa side by side on a fill-in-the-blank."""
    from course_utils.pretraining import online_fill_mask

    table = online_fill_mask({"The battery [MASK] all day.": "lasts",
                              "The kettle [MASK] fast.": None})
    return table.to_dict(orient="index")


def _context_gain() -> dict:
    """Lesson 02: what the context is worth to the real BERT and RoBERTa, each on the held-out
    reviews in its own tokenizer's blocks, the models shared with the fill-mask table as the
    lesson shares them."""
    from course_utils.pretraining import online_context_gain, online_fill_mask, online_mlms

    models = online_mlms()
    table = online_fill_mask({"The battery [MASK] all day.": "lasts"}, models)
    return {name: (gain.blocks, gain.with_context, gain.without_context, gain.low, gain.high,
                   table.loc["The battery [MASK] all day.", f"{name}: rank of expected"])
            for name, gain in online_context_gain(models).items()}


def _distil() -> tuple[str, list[dict]]:
    """Lesson 03: the online distillation, one teacher layer's worth, as the lesson calls it
    (the bounded default subset: all 64 of the stand-in's sentences), then 32 rows."""
    import contextlib
    import io

    from course_utils.distillation import distil_online

    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        distil_online(layers=[0])
    student, log = distil_online(layers=[0], epochs=1, examples=32)
    return type(student).__name__, log, said.getvalue()


def _deploy_variants() -> dict:
    """Lesson 06: every ``sst2-*`` variant through the deploy interface."""
    from course_utils import deploy

    return {name: (deploy.load_analyzer(name).predict(["Great kettle.", LONG_REVIEW]),
                   deploy.load_analyzer(name).predict_polarity(["Great kettle."]))
            for name in deploy.ONLINE_VARIANTS}


def _lesson_06_online_rows() -> dict:
    """Lesson 06's online rows: the ``sst2-*`` variants measured by the lesson's own functions
    (the lexicon beside them; the course's checkpoints are offline's). (Their fresh-process
    profiles build them through the same ``build_analyzer``; the child that runs this is a
    daemon, which may not start processes.)"""
    from course_utils import application as app
    from course_utils import deploy
    from course_utils.data import load_reviews

    names = [*deploy.ONLINE_VARIANTS, "vader"]
    reviews = load_reviews()
    results = app.measure_variants({n: deploy.load_analyzer(n) for n in names}, reviews,
                                   app.machine_peaks(), reference=names[0])
    return {"table": app.variants_table(results).to_dict(orient="index"),
            "front": app.pareto_front(results)}


def _hub_errors() -> dict[str, str]:
    """The Hub's three kinds of 404, as huggingface_hub reports them."""
    from huggingface_hub import hf_hub_download

    asked = {"missing file": ("google-bert/bert-base-uncased", "nope.json", None),
             "missing repo": ("nobody/nothing", "config.json", None),
             "missing revision": ("google-bert/bert-base-uncased", "config.json", "v9")}
    errors = {}
    for case, (repo, filename, revision) in asked.items():
        try:
            hf_hub_download(repo, filename, revision=revision)
        except Exception as error:  # noqa: BLE001 (the class is the answer)
            errors[case] = type(error).__name__
    return errors


def _legacy_download(repo: str, filename: str) -> bytes:
    from huggingface_hub import hf_hub_download

    return Path(hf_hub_download(repo, filename)).read_bytes()


# -- the stand-in behaves as the Hub ----------------------------------------------------------

def test_stand_in_answers_missing_files_repos_and_revisions_as_the_hub_does(hub, online):
    errors, requests = run(hub, online, _hub_errors)
    assert errors == {"missing file": "RemoteEntryNotFoundError",
                      "missing repo": "RepositoryNotFoundError",
                      "missing revision": "RevisionNotFoundError"}
    assert {r.status for r in requests} == {404}


def test_stand_in_redirects_renamed_repositories(hub, online):
    content, requests = run(hub, online, _legacy_download, "bert-base-uncased", "config.json")
    assert json.loads(content)["model_type"] == "bert"
    assert [(r.method, r.status) for r in requests][:2] == [("HEAD", 307), ("HEAD", 200)]
    assert requests[1].path == "/google-bert/bert-base-uncased/resolve/main/config.json"


# -- the defects of issue 16 ------------------------------------------------------------------

@pytest.mark.parametrize("key", ["roberta", "albert", "bert"])
def test_bin_only_checkpoint_loads_without_the_conversion_service(hub, online, key):
    """The textattack checkpoints have only pytorch_model.bin: it loads (weights_only), no
    conversion function is called, no bot pull request is looked for, the switch is put back."""
    from course_utils.models import SST2_CHECKPOINTS

    name = SST2_CHECKPOINTS[key]
    result, requests = run(hub, online, _load_without_conversion, name)
    assert result == {"class": result["class"], "conversion calls": [], "variable left": None}
    assert result["class"].endswith("ForSequenceClassification")
    assert f"/{name}/resolve/" in next(p for p in paths(requests) if "pytorch_model.bin" in p)
    assert not [p for p in paths(requests) if "/discussions" in p or "/commits" in p]
    assert {r.host.split(":")[0] for r in requests} <= {"127.0.0.1", "localhost"}


def test_safetensors_preferred_where_a_checkpoint_has_both(hub, online):
    _, requests = run(hub, online, _load_names, ["bert-base-uncased"])
    weights = [p for p in paths(requests) if p.endswith((".bin", ".safetensors"))]
    assert weights and all(p.endswith("model.safetensors") for p in weights)


@pytest.mark.parametrize("key", ["roberta", "albert", "bert"])
def test_textattack_labels_tell_positive_from_negative(hub, online, key):
    """LABEL_0/LABEL_1 in the checkpoint: the label table names them, SST-2's 1 is positive."""
    result, _ = run(hub, online, _analyze, key)
    assert result["labels"] == ["NEGATIVE", "POSITIVE"] and result["positive"] == 1
    assert result["polarity"] == [int(p.label == "POSITIVE")
                                  for p in (result["long"], result["short"])]


def test_roberta_long_review_is_cut_at_512_tokens_not_514(hub, online):
    """roberta-base: 514 positions, 2 of them the padding offset, so 512 tokens at most."""
    result, _ = run(hub, online, _analyze, "roberta")
    assert result["max_length"] == 512
    assert result["long"].truncated and result["long"].n_tokens > 512


def test_canonical_hub_names_load_and_legacy_names_skip_the_redirect(hub, online):
    canonical = ["google-bert/bert-base-uncased", "FacebookAI/roberta-base",
                 "distilbert/distilbert-base-uncased", "albert/albert-base-v2",
                 "distilbert/distilbert-base-uncased-finetuned-sst-2-english"]
    legacy = [name.partition("/")[2] for name in canonical]
    loaded, _ = run(hub, online, _load_names, canonical)
    assert [loaded[name][0] for name in canonical] == canonical
    again, requests = run(hub, online, _load_names, legacy)
    assert [again[name] for name in legacy] == [loaded[name] for name in canonical]
    assert not [r for r in requests if r.status == 307]  # the current name, straight away


def test_albert_tokenizer_from_spiece_model_alone_with_declared_deps(hub, online):
    """No tokenizer.json in the repository: the tokenizer is built from spiece.model, which
    needs sentencepiece and protobuf; both are core dependencies now."""
    assert "tokenizer.json" not in hub.repos[("model", "albert/albert-base-v2")].files
    (name, pieces, available), _ = run(hub, online, _albert_tokenizer)
    assert name == "AlbertTokenizer" and available and pieces[0] == "▁the"
    # downloaded by this call or by an earlier test's (transformers then reads its cache)
    assert any(p.startswith("/albert/albert-base-v2/resolve/") and p.endswith("/spiece.model")
               for p in paths(hub.requests))


# -- every online function of every lesson ----------------------------------------------------

@pytest.mark.parametrize("key", ["distilbert", "roberta", "albert", "bert"])
def test_lessons_00_06_every_sst2_checkpoint_scores_reviews(hub, online, key):
    from course_utils.models import SST2_CHECKPOINTS, hub_id

    result, requests = run(hub, online, _analyze, key)
    assert {result["long"].label, result["short"].label} <= {"NEGATIVE", "POSITIVE"}
    short, positive = result["short"], result["direct positive"]
    assert not short.truncated
    assert short.label == ("POSITIVE" if positive > 0.5 else "NEGATIVE")
    assert short.score == pytest.approx(max(positive, 1 - positive), abs=1e-4)
    name = hub_id(SST2_CHECKPOINTS[key])  # asked for by its current name, of the stand-in
    assert any(p == f"/api/models/{name}" or p.startswith(f"/{name}/") for p in paths(requests))


def test_lessons_01_02_default_tokenizer_and_encoder_are_bert_base_uncased(hub, online):
    tokenizer, encoder, pieces = run(hub, online, _default_tokenizer_and_encoder)[0]
    assert (tokenizer, encoder) == ("BertTokenizer", "BertModel")
    assert pieces == ["the", "kettle", "boils", "fast", "."]


def test_lesson_02_fill_mask_compares_real_bert_and_roberta(hub, online):
    table, _ = run(hub, online, _fill_mask)
    row = table["The battery [MASK] all day."]
    assert row["expected"] == "lasts"
    for model in ("bert-base-uncased", "roberta-base"):
        words = [entry.rsplit(" ", 1)[0] for entry in row[f"{model}: top 3"].split(", ")]
        rank = row[f"{model}: rank of expected"]
        assert len(set(words)) == 3 and rank >= 1
        assert (rank <= 3) == ("lasts" in words)  # the rank and the top words agree
        if rank <= 3:
            assert words[rank - 1] == "lasts"


def test_lesson_02_context_gain_of_real_bert_and_roberta_on_their_own_blocks(hub, online):
    import math

    gains, _ = run(hub, online, _context_gain)
    assert set(gains) == {"bert-base-uncased", "roberta-base"}
    for blocks, with_context, without_context, low, high, rank in gains.values():
        # every held-out review in blocks of 64 of the model's own tokens: a small vocabulary
        # (the stand-in's) cuts them into more blocks than the miniature's 64
        assert blocks >= 64 and rank >= 1
        assert all(math.isfinite(v) for v in (with_context, without_context, low, high))
        assert low <= without_context - with_context <= high


def test_lesson_03_online_distillation_runs_in_a_tiny_configuration(hub, online):
    """SST-2 comes from the stand-in's nyu-mll/glue (the legacy name ``glue`` fails in
    huggingface_hub 2), the teacher from textattack/bert-base-uncased-SST-2."""
    (student, log, said), requests = run(hub, online, _distil)
    assert student == "DistilBertForSequenceClassification"
    import torch

    from course_utils.distillation.recipe import ONLINE_EXAMPLES

    bounded = ONLINE_EXAMPLES["cuda" if torch.cuda.is_available() else "cpu"]
    assert f"on the first {bounded:,} of SST-2's 67,349" in said and "1 epoch" in said
    assert ONLINE_EXAMPLES["cuda"] <= 20_000 and ONLINE_EXAMPLES["cpu"] <= 2_000
    assert any("eval_accuracy" in entry for entry in log)
    assert any(p.startswith("/datasets/nyu-mll/glue/resolve/") for p in paths(requests))


def test_lesson_05_real_tokenizer_rows_include_roberta_and_albert(hub, online):
    rows, _ = run(hub, online, _real_tokenizer_rows)
    assert {name: algorithm for name, (algorithm, _, _) in rows.items()} == {
        "BERT (real)": "WordPiece", "RoBERTa (real)": "byte-level BPE",
        "ALBERT (real)": "Unigram"}
    assert rows["BERT (real)"][2] == ["the", "kettle", "boils", "fast", "!"]
    assert all(size > 100 for _, size, _ in rows.values())


def test_lesson_06_sst2_variants_score_reviews(hub, online):
    results, _ = run(hub, online, _deploy_variants)
    assert list(results) == ["sst2-distilbert", "sst2-roberta", "sst2-albert", "sst2-bert"]
    for predictions, polarity in results.values():
        assert polarity == [int(predictions[0].label == "POSITIVE")]
        assert predictions[1].truncated


@pytest.mark.slow  # measures five variants
def test_lesson_06_measures_the_sst2_rows(hub, online):
    """What lesson 06 adds online: its table's SST-2 rows, measured by the lesson's functions
    (the whole lesson runs offline under nbval; lesson 00 runs whole online below)."""
    rows, _ = run(hub, online, _lesson_06_online_rows)
    table = rows["table"]
    assert list(table) == ["sst2-distilbert", "sst2-roberta", "sst2-albert", "sst2-bert", "vader"]
    for name in ("sst2-distilbert", "sst2-roberta", "sst2-albert", "sst2-bert"):
        row = table[name]
        assert "(n=100" in row["validation accuracy"] and "(n=135" in row["challenge accuracy"]
        assert row["runs on"] == "cpu" and row["weights MB"] > 0 and row["reviews/s"] > 0
    assert rows["front"] and set(rows["front"]) <= set(table)


# -- lesson 00, end to end, online ---------------------------------------------------------------

ONLINE_LESSONS = ("00_welcome.ipynb",)
"""Lessons run whole online (lesson 06's online rows: test_lesson_06_measures_the_sst2_rows;
running all of 06 a second time cost CI four minutes for the same cells). ``make test`` runs
lesson 00 this way only: offline, it runs in set-up (b) (``make test-laptop``)."""


@pytest.mark.serial  # a whole lesson, with its timing claim
def test_lesson_00_runs_online_under_nbval(hub, tmp_path, lesson_budget_s):
    """The whole lesson, online (its SST-2 cell against the stand-in), under nbval as CI
    runs it offline: every cell runs, the compared cells match, every asserted claim holds
    (the asserted path is the course's own teacher, as offline), and the lesson's cells take
    at most its 3 minutes together. The course's checkpoints are built first, outside the
    cells, as a first offline lesson would have built them."""
    import xml.etree.ElementTree as ET

    pytest.importorskip("nbval")
    from course_utils import zoo
    from course_utils.core.runtime import cache_root

    for name in zoo.CHECKPOINTS:
        zoo.checkpoint_path(name)
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(online_environment(hub.url, tmp_path))
    env["COURSE_CACHE_DIR"] = str(cache_root())  # the checkpoints just built
    env["COURSE_OUTPUT_DIR"] = str(cache_root() / "output")  # its claims join the run's report
    junit = tmp_path / "cells.xml"
    start = len(hub.requests)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", f"--junitxml={junit}",
         *(f"notebooks/{name}" for name in ONLINE_LESSONS)],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500)
    failed = [line for line in result.stdout.splitlines() if "ClaimFailed:" in line
              or "Error:" in line]
    assert result.returncode == 0, "\n".join(failed[:10]) + "\n" + result.stdout[-6000:]
    cells = {f"{case.get('classname')}::{case.get('name')}": float(case.get("time"))
             for case in ET.parse(junit).iter("testcase")}
    assert len(cells) > 20
    seconds = sum(cells.values())
    assert seconds <= lesson_budget_s, (
        f"lesson 00 took {seconds:.0f} s online, over its {lesson_budget_s} s: "
        + ", ".join(f"{c} {s:.0f} s" for c, s in sorted(cells.items(), key=lambda x: -x[1])[:5]))
    served = " ".join(paths(hub.requests_since(start)))
    assert "distilbert-base-uncased-finetuned-sst-2-english" in served, (
        "the online cell never asked the Hub for DistilBERT-SST-2")


# -- auto mode, each case in a fresh process --------------------------------------------------

MODE_PROGRAM = """
import json, sys, time
sys.path.insert(0, {tests!r})
from hub_standin import NetworkGuard
guard = NetworkGuard()
guard.install()
from course_utils.core.runtime import current_mode
start = time.perf_counter()
mode = current_mode()
print(json.dumps({{"mode": mode, "seconds": time.perf_counter() - start,
                   "blocked": guard.blocked}}))
"""


@pytest.fixture(scope="module")
def auto_modes(hub, tmp_path_factory):
    """``current_mode()`` under ``COURSE_MODE=auto`` in one fresh process per case (run side
    by side), each case with its own stand-in to count the probes it got."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts connections, never answers
    repos = [hub.repos[("model", "google-bert/bert-base-uncased")]]
    cases = {"endpoint": {}, "hub offline false": {"HF_HUB_OFFLINE": "false"},
             "transformers offline": {"TRANSFORMERS_OFFLINE": "1"}, "silent": {}}
    stand_ins = {case: HubStandIn(repos).start() for case in cases}
    running, answers = {}, {}
    try:
        for case, extra in cases.items():
            endpoint = (f"http://127.0.0.1:{silent.getsockname()[1]}" if case == "silent"
                        else stand_ins[case].url)
            env = {k: v for k, v in os.environ.items() if k not in UNSET}
            env.update(online_environment(endpoint, tmp_path_factory.mktemp("auto"), "auto"))
            env.update(extra)
            program = MODE_PROGRAM.format(tests=str(ROOT / "tests"))
            running[case] = subprocess.Popen([sys.executable, "-c", program], env=env,
                                             cwd=ROOT, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, text=True)
        for case, process in running.items():
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, f"{case}: the child failed:\n{err}"
            answers[case] = {**json.loads(out.strip().splitlines()[-1]),
                             "probes": paths(stand_ins[case].requests)}
    finally:
        for process in running.values():
            process.kill()
        for stand_in in stand_ins.values():
            stand_in.stop()
        silent.close()
    return answers


PROBE = "/api/models/google-bert/bert-base-uncased"


def test_auto_probes_hf_endpoint_and_goes_online(auto_modes):
    answer = auto_modes["endpoint"]
    assert answer["mode"] == "online" and answer["probes"] == [PROBE]
    assert answer["blocked"] == []  # no fixed huggingface.co URL


def test_auto_reads_hf_hub_offline_false_as_online(auto_modes):
    """``HF_HUB_OFFLINE=false`` is not offline for huggingface_hub, so not for the course."""
    answer = auto_modes["hub offline false"]
    assert answer["mode"] == "online" and answer["probes"] == [PROBE]


def test_auto_obeys_transformers_offline_without_a_probe(auto_modes):
    answer = auto_modes["transformers offline"]
    assert answer["mode"] == "offline" and answer["probes"] == [] and answer["blocked"] == []


def test_auto_is_offline_within_the_probe_timeout_when_the_endpoint_is_silent(auto_modes):
    from course_utils.core.runtime import PROBE_TIMEOUT_S

    answer = auto_modes["silent"]
    assert answer["mode"] == "offline" and answer["blocked"] == []
    assert answer["seconds"] < PROBE_TIMEOUT_S + 1

"""The cache builds once, reuses a complete checkpoint, and rebuilds a damaged one."""

import pytest
from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

from course_utils import models, zoo


def _tiny_build():
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64,
                        id2label={0: "NEGATIVE", 1: "POSITIVE"}, label2id={"NEGATIVE": 0, "POSITIVE": 1})
    return BertForSequenceClassification(config), AutoTokenizer.from_pretrained(
        models.packaged_encoder_path())


@pytest.fixture
def tiny_zoo(tmp_path, monkeypatch):
    builds = []

    def build():
        builds.append(1)
        return _tiny_build()

    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path))
    monkeypatch.setitem(zoo.RECIPES, "tiny", zoo.Recipe(build, 1, "a tiny test model"))
    return tmp_path / "tiny", builds


def test_builds_once_then_reuses(tiny_zoo):
    folder, builds = tiny_zoo
    model, tokenizer = zoo.load("tiny")
    zoo.load("tiny")
    assert len(builds) == 1
    assert (folder / "model.safetensors").exists() and (folder / zoo.MANIFEST).exists()
    assert model.config.id2label[1] == "POSITIVE" and tokenizer("hi")["input_ids"]


@pytest.mark.parametrize("damage", ["truncate", "delete_manifest", "extra_file", "delete"])
def test_damaged_cache_is_rebuilt(tiny_zoo, damage, capsys):
    folder, builds = tiny_zoo
    zoo.load("tiny")
    weights = folder / "model.safetensors"
    if damage == "truncate":
        weights.write_bytes(weights.read_bytes()[:1000])
    elif damage == "delete_manifest":
        (folder / zoo.MANIFEST).unlink()
    elif damage == "extra_file":
        (folder / "stray.bin").write_bytes(b"?")
    else:
        weights.unlink()
    zoo.load("tiny")
    assert len(builds) == 2
    assert "rebuilding" in capsys.readouterr().out
    assert zoo.is_complete(folder, zoo.RECIPES["tiny"])


def test_recipe_version_change_rebuilds(tiny_zoo, monkeypatch):
    _, builds = tiny_zoo
    zoo.load("tiny")
    recipe = zoo.RECIPES["tiny"]
    monkeypatch.setitem(zoo.RECIPES, "tiny", zoo.Recipe(recipe.build, 2, recipe.description))
    zoo.load("tiny")
    assert len(builds) == 2


def test_failed_build_leaves_no_partial_folder(tiny_zoo, monkeypatch):
    folder, _ = tiny_zoo

    def broken():
        raise RuntimeError("out of disk")

    monkeypatch.setitem(zoo.RECIPES, "tiny", zoo.Recipe(broken, 1, "broken"))
    with pytest.raises(RuntimeError, match="out of disk"):
        zoo.load("tiny")
    assert not folder.exists()
    assert not list(folder.parent.glob(".tiny-*"))


def test_unknown_checkpoint_lists_the_zoo():
    with pytest.raises(ValueError, match="the zoo has: teacher, distilled-student"):
        zoo.load("giant")


def test_each_seed_has_its_own_checkpoint_folder(tiny_zoo, monkeypatch):
    folder, builds = tiny_zoo
    assert zoo.checkpoint_path("tiny") == folder
    monkeypatch.setenv("COURSE_SEED", "2")
    assert zoo.checkpoint_path("tiny").name == "tiny-seed2"
    assert zoo.checkpoint_path("tiny").name == "tiny-seed2" and len(builds) == 2


def test_a_second_caller_waits_for_the_build_instead_of_repeating_it(tiny_zoo):
    from concurrent.futures import ThreadPoolExecutor

    folder, builds = tiny_zoo
    with ThreadPoolExecutor(2) as pool:
        paths = list(pool.map(lambda _: zoo.checkpoint_path("tiny"), range(2)))
    assert paths == [folder, folder] and len(builds) == 1

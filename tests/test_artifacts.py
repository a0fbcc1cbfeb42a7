"""The course's one cache: built once, reused, keyed by everything a build depends on,
rebuilt when damaged without ever removing the copy a reader may hold, one build across
processes, and a lock that gives up with a clear error."""

import multiprocessing
import time

import pytest

from course_utils.core import artifacts


def _write(folder, text="weights"):
    (folder / "weights.bin").write_text(text)
    (folder / "sub").mkdir()
    (folder / "sub" / "vocab.txt").write_text("a\nb\n")


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """A registered recipe ``tiny`` that counts its builds, in a fresh cache."""
    builds = []
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(artifacts, "_RECIPES", dict(artifacts._RECIPES))
    artifacts.register(artifacts.Recipe("tiny", lambda f: (builds.append(1), _write(f)), 1,
                                        "a tiny test artifact"))
    return builds


def test_builds_once_then_reuses(tiny, capsys):
    first = artifacts.path("tiny")
    assert artifacts.path("tiny") == first and len(tiny) == 1
    assert (first / "weights.bin").read_text() == "weights"
    assert (first / artifacts.MANIFEST).exists() and artifacts.is_complete(first)
    assert "Building 'tiny'" in capsys.readouterr().out


@pytest.mark.parametrize("damage", ["truncate", "delete_manifest", "extra_file", "delete"])
def test_a_damaged_build_is_rebuilt(tiny, damage, capsys):
    build = artifacts.path("tiny")
    if damage == "truncate":
        (build / "weights.bin").write_text("w")
    elif damage == "delete_manifest":
        (build / artifacts.MANIFEST).unlink()
    elif damage == "extra_file":
        (build / "stray.bin").write_text("?")
    else:
        (build / "sub" / "vocab.txt").unlink()
    assert not artifacts.is_complete(build)
    rebuilt = artifacts.path("tiny")
    assert len(tiny) == 2 and rebuilt != build and artifacts.is_complete(rebuilt)
    assert "rebuilding" in capsys.readouterr().out


def test_the_key_holds_version_seed_precision_and_library_versions(tiny, monkeypatch):
    import transformers

    first = artifacts.entry("tiny")
    monkeypatch.setenv("COURSE_SEED", "2")
    seeded = artifacts.entry("tiny")
    monkeypatch.setenv("COURSE_SEED", "0")
    version = transformers.__version__
    monkeypatch.setattr(transformers, "__version__", "0.0.1")
    other_library = artifacts.entry("tiny")
    monkeypatch.setattr(transformers, "__version__", version)
    assert len({first, seeded, other_library}) == 3
    key = artifacts.key("tiny")
    assert {"version", "seed", "device", "precision", "torch", "transformers"} <= set(key)


def test_an_artifact_made_from_another_follows_its_build(tiny):
    artifacts.register(artifacts.Recipe("made-from-tiny", lambda f: _write(f, "derived"), 1,
                                        "derived", after=("tiny",)))
    derived = artifacts.path("made-from-tiny")
    assert artifacts.path("made-from-tiny") == derived
    artifacts.path("tiny", rebuild=True)  # a new build of what it is made from ...
    assert artifacts.path("made-from-tiny") != derived  # ... makes it anew


def test_a_rebuild_never_removes_the_build_a_reader_holds(tiny):
    held = artifacts.path("tiny")
    second = artifacts.path("tiny", rebuild=True)
    assert second != held and (held / "weights.bin").read_text() == "weights"  # still whole
    artifacts.path("tiny", rebuild=True)  # the one before the previous goes now
    assert not held.exists() and second.exists()


def test_a_failed_build_leaves_the_previous_build_in_place(tiny, monkeypatch):
    good = artifacts.path("tiny")

    def broken(folder):
        (folder / "half.bin").write_text("half")
        raise RuntimeError("out of disk")

    artifacts.register(artifacts.Recipe("tiny", broken, 1, "broken"))
    with pytest.raises(RuntimeError, match="out of disk"):
        artifacts.path("tiny", rebuild=True)
    assert artifacts.path("tiny") == good and artifacts.is_complete(good)
    assert not list(good.parent.glob(".staging-*"))


def test_an_unknown_artifact_lists_the_recipes(tiny):
    with pytest.raises(ValueError, match="recipes for: .*tiny"):
        artifacts.path("giant")


def test_the_lock_gives_up_with_a_one_line_error(tiny, monkeypatch):
    from filelock import FileLock

    monkeypatch.setattr(artifacts, "LOCK_TIMEOUT", 0.2)
    with FileLock(str(artifacts.entry("tiny")) + ".lock"), \
            pytest.raises(RuntimeError, match="waited 0.2 s for another process to build"):
        artifacts.path("tiny")
    assert tiny == []


def _slow_build(folder):
    with open(folder.parent.parent / "builds.log", "a") as log:
        log.write("built\n")
    time.sleep(1.0)
    _write(folder)


def _ask(cache):
    import os

    os.environ["COURSE_CACHE_DIR"] = cache
    artifacts.register(artifacts.Recipe("slow", _slow_build, 1, "a slow artifact"))
    return str(artifacts.path("slow"))


@pytest.mark.slow  # three processes
def test_processes_that_need_one_artifact_build_it_once(tmp_path):
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        folders = pool.map(_ask, [str(tmp_path)] * 3)
    assert len(set(folders)) == 1
    assert (tmp_path / "builds.log").read_text() == "built\n"


def test_remembered_values_follow_their_identity():
    artifacts.forget()
    calls = []
    assert artifacts.remembered("kind", 1, lambda: calls.append(1) or "a") == "a"
    assert artifacts.remembered("kind", 1, lambda: calls.append(1) or "b") == "a"
    assert artifacts.remembered("kind", 2, lambda: calls.append(1) or "c") == "c"
    assert len(calls) == 2
    artifacts.forget()


def test_the_zoo_names_its_checkpoints():
    from course_utils import zoo

    with pytest.raises(ValueError, match="the zoo has: teacher, distilled-student, albert"):
        zoo.checkpoint_path("giant")

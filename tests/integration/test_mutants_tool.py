"""devtools/mutants.py itself: its list matches today's code, a mutated file always comes back as it was, and the
mutations happen in scratch copies, never in the working tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devtools import mutants
from devtools.mutants import MUTATIONS, Mutation, MutationError, mutated, run_tests, scratch_trees


def test_every_snippet_occurs_exactly_once_in_todays_code() -> None:
    for mutation in MUTATIONS:
        source = (mutants.ROOT / mutation.file).read_text(encoding="utf-8")
        assert source.count(mutation.original) == 1, f"{mutation.name}: update its snippet with the code"
        assert mutation.replacement != mutation.original
        assert mutation.tests, f"{mutation.name} names no test"


def test_mutation_names_are_unique() -> None:
    names = [mutation.name for mutation in MUTATIONS]
    assert len(names) == len(set(names))


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "guarded.py"
    path.write_text("def allowed() -> bool:\n    return False\n")
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    return path


def _mutation(original: str = "return False") -> Mutation:
    return Mutation("always-allowed", "refuses", "guarded.py", original, "return True", ("tests/x.py",))


def test_a_mutated_file_is_restored_with_its_bytes_and_mtime_even_after_ctrl_c(target: Path) -> None:
    before, mtime = target.read_bytes(), target.stat().st_mtime_ns
    with pytest.raises(KeyboardInterrupt), mutated(_mutation(), target.parent):
        assert "return True" in target.read_text()
        assert target.stat().st_mtime_ns != mtime, "a cached .pyc of the original must not match the mutant"
        raise KeyboardInterrupt
    assert target.read_bytes() == before
    assert target.stat().st_mtime_ns == mtime


def test_a_snippet_not_found_is_an_error_and_changes_nothing(target: Path) -> None:
    before = target.read_bytes()
    with pytest.raises(MutationError, match="occurs 0 times"), mutated(_mutation("return Maybe"), target.parent):
        pytest.fail("the body must not run")
    assert target.read_bytes() == before


def test_tests_run_on_the_scratch_copy_and_the_working_tree_is_never_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A tree whose one test passes only while its code says False, and a mutation that makes it say True.
    tree = tmp_path / "tree"
    (tree / "functions" / "guard").mkdir(parents=True)
    (tree / "functions" / "guard" / "__init__.py").write_text("def allowed() -> bool:\n    return False\n")
    (tree / "tests").mkdir()
    (tree / "tests" / "test_guard.py").write_text(
        "from guard import allowed\n\ndef test_refuses():\n    assert not allowed()\n"
    )
    (tree / "pytest.ini").write_text("[pytest]\n")
    monkeypatch.setattr(mutants, "ROOT", tree)
    mutation = Mutation("allow", "refuses", "functions/guard/__init__.py", "return False", "return True", ())
    before = {path: path.read_bytes() for path in tree.rglob("*") if path.is_file()}
    with scratch_trees(2) as trees:
        assert len(trees) == 2 and all(copy.parent != tree.parent for copy in trees)
        assert run_tests(["tests/test_guard.py"], trees[0]) == 0
        with mutated(mutation, trees[1]):
            assert run_tests(["tests/test_guard.py"], trees[1]) == 1
            assert run_tests(["tests/test_guard.py"], trees[0]) == 0, "the other copy is not mutated"
            assert {path: path.read_bytes() for path in tree.rglob("*") if path.is_file()} == before
    assert not any(copy.exists() for copy in trees)

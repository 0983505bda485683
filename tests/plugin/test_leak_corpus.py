"""The leakage rules on a corpus of realistic projects (tests/plugin/leak_corpus.py): every
leak is reported, at the node where it enters, by the rule that names it, and nothing
else is; no clean look-alike gets a data-flow finding. In lite mode (the project's
dependencies stand in) and in full mode (its stages imported for real), alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from kedro_plugin_layout.commands.check import check
from kedro_plugin_layout.kinds import ImportMode
from tests.plugin.leak_corpus import CLEAN, LEAKS, VARIANTS, build
from tests.plugin.trees import PACKAGE

LEAKAGE_RULES = ("KL402", "KL404", "KL405", "KL406")
MODES = (ImportMode.LITE, ImportMode.FULL)


def findings(root: Path, mode: ImportMode, rules: tuple[str, ...] = LEAKAGE_RULES):
    report = check(root, select=list(rules), import_mode=mode)
    return report, {(r.rule, _node(r.message)) for r in report.findings}


def _node(message: str) -> str:
    return message.split("node `", 1)[1].split("`", 1)[0]


def test_the_corpus_is_as_large_as_promised() -> None:
    assert len(LEAKS) >= 15 and len(CLEAN) >= 10
    assert all(variant.leaks for variant in LEAKS.values())
    assert not any(variant.leaks for variant in CLEAN.values())


@pytest.mark.parametrize("mode", MODES, ids=str)
@pytest.mark.parametrize("name", sorted(LEAKS))
def test_every_leak_is_caught_where_it_enters(tmp_path: Path, name: str,
                                             mode: ImportMode) -> None:
    variant = LEAKS[name]
    report, found = findings(build(tmp_path, variant), mode)
    assert found == set(variant.expected), variant.story
    for result in report.findings:
        assert result.related, result.message  # the path, step by step
        assert result.related[-1].message.startswith(f"node `{_node(result.message)}`")
        assert " -> " in result.message


@pytest.mark.parametrize("mode", MODES, ids=str)
@pytest.mark.parametrize("name", sorted(CLEAN))
def test_no_clean_look_alike_gets_a_dataflow_finding(tmp_path: Path, name: str,
                                                     mode: ImportMode) -> None:
    variant = CLEAN[name]
    report, found = findings(build(tmp_path, variant), mode, ("KL4",))
    assert found == set(), (variant.story, [r.message for r in report.findings])
    assert not any("could not be read" in note for note in report.notes), report.notes


def test_lite_mode_reads_the_corpus_without_its_dependencies(tmp_path: Path) -> None:
    """Lite mode reads what a node does from its source: nothing of it runs."""
    report = check(build(tmp_path, VARIANTS["scaler_fitted_before_the_split"]),
                   select=["KL404"], import_mode=ImportMode.LITE)
    assert any(n.startswith("pipelines: 5 stages read in lite mode") for n in report.notes)
    [finding] = report.findings
    assert finding.message.startswith(
        "leakage: node `standardise` in stage 01_data_preprocessing "
        "(`StandardScaler().fit_transform(...)` at "
        f"src/{PACKAGE}/pipelines/01_data_preprocessing/nodes.py:")

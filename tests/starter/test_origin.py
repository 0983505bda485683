"""kedro_ml_starter.origin: the requirement line a new project gets for the runtime, from
where the installed kedro-ml-structure came from (PEP 610 `direct_url.json`)."""

from __future__ import annotations

import json
from importlib.metadata import PathDistribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from kedro_ml_starter import __version__, origin
from kedro_ml_starter.naming import InvalidName, check_runtime_requirement

ROOT = Path(__file__).resolve().parents[2]
SHA = "3d5c2a7e" * 8
COMMIT = "0123456789abcdef0123456789abcdef01234567"
WHEEL = "kedro_ml_structure-0.3.0-py3-none-any.whl"


@pytest.mark.parametrize(("version", "expected"), [
    ("0.3.0", ">=0.3,<0.4"), ("0.3.7", ">=0.3,<0.4"), ("0.10.1", ">=0.10,<0.11"),
    ("1.2.0", ">=1.2,<2"), ("2.0", ">=2.0,<3"), ("0.4.0rc1", ">=0.4.0rc1,<0.5"),
])
def test_an_index_install_gets_the_releases_that_keep_the_runtime_api(version, expected):
    assert origin.requirement_for(None, version) == f"kedro-ml-structure{expected}"
    assert Requirement(origin.requirement_for(None, version)).specifier.contains(
        version, prereleases=True)


@pytest.mark.parametrize(("record", "expected"), [
    ({"url": "https://github.com/acme/kms.git",
      "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "v0.3.0"}},
     f"kedro-ml-structure @ git+https://github.com/acme/kms.git@{COMMIT}"),
    ({"url": "https://github.com/acme/mono.git", "subdirectory": "tools/kms",
      "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
     f"kedro-ml-structure @ git+https://github.com/acme/mono.git@{COMMIT}#subdirectory=tools/kms"),
    ({"url": f"file:///srv/wheels/{WHEEL}",
      "archive_info": {"hash": f"sha256={SHA}", "hashes": {"sha256": SHA}}},
     f"kedro-ml-structure @ file:///srv/wheels/{WHEEL}#sha256={SHA}"),
    ({"url": "https://files.example.com/kms-0.3.0.tar.gz",
      "archive_info": {"hash": f"sha256={SHA}"}},
     f"kedro-ml-structure @ https://files.example.com/kms-0.3.0.tar.gz#sha256={SHA}"),
    ({"url": "file:///home/me/kedro-ml-structure", "dir_info": {"editable": True}},
     "kedro-ml-structure @ file:///home/me/kedro-ml-structure"),
    ({"url": "file:///home/me/kedro-ml-structure", "dir_info": {}},
     "kedro-ml-structure @ file:///home/me/kedro-ml-structure"),
])
def test_a_direct_install_is_named_by_its_origin_as_pip_reads_it(record, expected):
    line = origin.requirement_for(record, "0.3.0")

    assert line == expected
    assert Requirement(line).name == "kedro-ml-structure"
    assert Requirement(line).url == expected.split(" @ ", 1)[1]


def _installed(folder: Path, record: dict | str | None, *,
               installer: bool = True) -> PathDistribution:
    """A dist-info folder as an installer writes it (a checkout's egg-info has no INSTALLER)."""
    info = folder / "kedro_ml_structure-0.3.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kedro-ml-structure\n"
                                   "Version: 0.3.0\n")
    if installer:
        (info / "INSTALLER").write_text("pip\n")
    if record is not None:
        text = record if isinstance(record, str) else json.dumps(record)
        (info / "direct_url.json").write_text(text)
    return PathDistribution(info)


def test_the_filter_reads_the_installed_record_and_skips_a_checkouts_stale_egg_info(
        tmp_path: Path, monkeypatch):
    stale = _installed(tmp_path / "checkout", None, installer=False)
    wheel = {"url": "file:///srv/kms.whl", "archive_info": {"hashes": {"sha256": SHA}}}
    installed = _installed(tmp_path / "site", wheel)
    monkeypatch.setattr(origin, "distributions", lambda name: [stale, installed])

    assert origin.runtime_requirement({"project_name": "X"}) == (
        f"kedro-ml-structure @ file:///srv/kms.whl#sha256={SHA}")


@pytest.mark.parametrize("text", [None, "{not json", "[]", '{"url": ""}'])
def test_no_record_or_an_unreadable_one_gives_the_version_range(tmp_path: Path, monkeypatch,
                                                                text):
    dist = _installed(tmp_path, text)
    monkeypatch.setattr(origin, "distributions", lambda name: [dist])

    expected = f"kedro-ml-structure{origin.compatible_range(__version__)}"
    assert origin.runtime_requirement() == expected


def test_this_test_environment_is_an_editable_install_of_this_checkout():
    """What `make install` makes, so what every session project of the suite requires."""
    assert origin.runtime_requirement() == f"kedro-ml-structure @ {ROOT.as_uri()}"


@pytest.mark.parametrize("line", [
    "kedro-ml-structure @ file:///home/me/kedro-ml-structure",
    f"kedro-ml-structure @ file:///srv/kms.whl#sha256={SHA}",
    f"kedro-ml-structure @ git+file:///home/me/kms@{COMMIT}",
])
def test_a_local_path_gets_one_line_saying_what_to_do(line):
    note = origin.local_path_note(line)

    assert note is not None and "\n" not in note
    assert line.split(" @ ", 1)[1].split("#")[0] in note and "#sha256" not in note
    assert "only this machine can reach" in note
    assert "package index" in note and "git+https://" in note and "shared storage" in note


@pytest.mark.parametrize("line", [
    "kedro-ml-structure>=0.3,<0.4", "kedro-ml-structure==0.3.0",
    f"kedro-ml-structure @ git+https://github.com/acme/kms.git@{COMMIT}",
    "kedro-ml-structure @ https://files.example.com/kms-0.3.0.tar.gz", "not a requirement",
])
def test_a_reachable_origin_gets_no_note(line):
    assert origin.local_path_note(line) is None


@pytest.mark.parametrize("line", ["kedro-ml-structure==0.3.0", "kedro_ml_structure>=0.3",
                                  "kedro-ml-structure @ https://example.com/k.whl"])
def test_a_given_runtime_requirement_of_this_distribution_is_accepted(line):
    assert check_runtime_requirement(line) == line


@pytest.mark.parametrize("line", ["", "pandas>=2", "kedro-ml-structure>>0.3",
                                  "kedro-ml-structure\nkedro-ml-structure"])
def test_any_other_runtime_requirement_is_refused_in_one_line(line):
    with pytest.raises(InvalidName) as refused:
        check_runtime_requirement(line)
    message = str(refused.value)
    assert message.startswith("invalid runtime_requirement") and "\n" not in message.replace(
        repr(line), "")
    assert "kedro-ml-structure>=0.3,<0.4" in message


def test_the_docs_show_the_note_as_kedro_new_prints_it():
    docs = (ROOT / "docs" / "starter.md").read_text(encoding="utf-8")
    assert origin.local_path_note("kedro-ml-structure @ file:///home/me/kedro-ml-structure") in docs
    assert '## Where the runtime comes from' in docs  # the section the note names

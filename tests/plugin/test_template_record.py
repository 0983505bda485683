"""`[tool.kedro_layout.template]`: written with the manifest, validated with it, kept by
every command that edits the manifest, and updated in place by `kedro layout upgrade`."""

from __future__ import annotations

import tomllib

import pytest

from kedro_ml_starter.manifest import (
    Stage,
    default_manifest,
    manifest_to_toml,
    parse_manifest,
    with_stages,
)
from kedro_ml_starter.template_record import (
    TemplateRecord,
    read_template_record,
    recorded_answers,
)
from kedro_plugin_layout.edits.manifest import pyproject_with_manifest
from kedro_plugin_layout.errors import ManifestError
from kedro_plugin_layout.upgrade.pyproject import block_with_record, manifest_block, with_block

RECORD = TemplateRecord("0.2.0", {"project_name": "Penguin Lab", "engine": "pandas"})
HEAD = '[project]\nname = "penguin_lab"\n\n[tool.kedro]\npackage_name = "penguin_lab"\n'
COMMENT = "# The project layout, read by `kedro layout` (kedro-ml-structure).\n"


def pyproject(record: TemplateRecord | None = RECORD, tail: str = "") -> str:
    return f"{HEAD}\n{COMMENT}{manifest_to_toml(default_manifest(), template=record)}{tail}"


def test_the_record_is_written_with_the_manifest_and_read_back():
    data = tomllib.loads(pyproject())

    assert read_template_record(data) == RECORD
    assert parse_manifest(data["tool"]["kedro_layout"]) == default_manifest()
    assert read_template_record(tomllib.loads(pyproject(record=None))) is None


def test_the_answers_are_the_contexts_own_keys_without_kedros():
    context = {"project_name": "Lab", "engine": "spark", "kedro_version": "1.7.0",
               "tools": "['None']", "example_pipeline": "False", "output_dir": "/tmp",
               "_extensions": ["x"], "__checked": "ok", "tracking": "mlflow"}

    assert recorded_answers(context) == {"project_name": "Lab", "engine": "spark",
                                         "tracking": "mlflow"}


@pytest.mark.parametrize(("record", "message"), [
    ('version = ""', ("[tool.kedro_layout.template].version must be the version that "
                      'generated the project, e.g. `version = "0.2.0"`')),
    ('version = "0.2.0"\ncolour = "blue"',
     "[tool.kedro_layout.template] has unknown key 'colour'; allowed keys: answers, version"),
    ('version = "0.2.0"\nanswers = { engine = 2 }',
     '[tool.kedro_layout.template.answers].engine must be a string, e.g. engine = "2"'),
    ('version = "0.2.0"\nanswers = "pandas"',
     "[tool.kedro_layout.template.answers] must be a table of strings"),
])
def test_a_broken_record_is_one_error_naming_the_key(record, message):
    text = f"{manifest_to_toml(default_manifest())}\n[tool.kedro_layout.template]\n{record}\n"

    with pytest.raises(ManifestError) as error:
        parse_manifest(tomllib.loads(text)["tool"]["kedro_layout"])
    assert str(error.value.message) == f"pyproject.toml: {message}"


def test_editing_the_manifest_keeps_the_record():
    """What add-stage, fix and init write leaves the record as it was."""
    manifest = default_manifest()
    stages = [*manifest.stages, Stage("06_monitoring", manifest.stages[0].role)]

    out = pyproject_with_manifest(pyproject(), with_stages(manifest, stages))

    assert read_template_record(tomllib.loads(out)) == RECORD
    assert out.count("[tool.kedro_layout.template]") == 1


def test_the_manifest_block_runs_from_its_comment_to_its_last_table():
    tail = "\n# Lint settings\n[tool.ruff]\nline-length = 99\n"
    text = pyproject(tail=tail)

    block = manifest_block(text)

    assert block is not None
    assert block.text.startswith(COMMENT + "[tool.kedro_layout]\n")
    assert block.text.endswith('engine = "pandas"\n')
    assert block.after == tail
    assert with_block(HEAD, block) == text
    assert manifest_block(HEAD) is None


def test_the_record_is_updated_in_place_and_drops_answers_no_longer_asked():
    block = manifest_block(pyproject())
    assert block is not None
    new = TemplateRecord("0.3.0", {"project_name": "Penguin Lab", "tracking": "none"})

    out = block_with_record(block.text, new)

    assert read_template_record(tomllib.loads(out)) == new
    assert out.replace('version = "0.3.0"', 'version = "0.2.0"').replace(
        'tracking = "none"', 'engine = "pandas"') == block.text


def test_a_block_without_a_record_gets_one():
    block = manifest_block(pyproject(record=None))
    assert block is not None

    out = block_with_record(block.text, RECORD)

    assert out.startswith(block.text)
    assert read_template_record(tomllib.loads(out)) == RECORD

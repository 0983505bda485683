"""Registers the template under the `kedro.starters` entry point.

Kedro imports this module on every `kedro new`; it must stay cheap and must not touch
the network (the template is a local folder, so Kedro never clones anything).
"""

from kedro.framework.cli.starters import KedroStarterSpec

from kedro_ml_starter import TEMPLATE_PATH

# Kedro passes template_path to cookiecutter and to `Path(...) / "prompts.yml"`:
# it must be a str, not a Path.
starters = [KedroStarterSpec(alias="ml-structure", template_path=str(TEMPLATE_PATH))]

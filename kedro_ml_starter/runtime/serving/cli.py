"""`kedro serve`: a project command of this distribution (entry point `kedro.project_commands`).

It serves the app of the project's serving stage, the stage whose role is `serving` in
`[tool.kedro_layout]`, so a generated project needs no serving command of its own. A
project's own cli.py still wins: Kedro lets it override any plugin command. Kedro imports this module on
every `kedro` call in a project, so it imports click and the standard library only; the rest
loads when serving.
"""

from __future__ import annotations

import ipaddress
import os
import signal
from pathlib import Path
from typing import Any

import click

LOOPBACK_NAMES = ("localhost",)
# How `kedro serve` tells uvicorn's processes which app.py to load (see `app_from_stage`).
APP_FILE_VARIABLE, APP_MODULE_VARIABLE = "KEDRO_SERVE_APP_FILE", "KEDRO_SERVE_APP_MODULE"


@click.group(name="ml-structure")
def commands() -> None:
    """Entry point for `kedro.project_commands`."""


@commands.command()
@click.option("--host", help="Address to listen on. Default: serving.host (127.0.0.1).")
@click.option("--port", type=int, help="TCP port. Default: serving.port (8000).")
@click.option("--workers", type=int,
              help="Server processes, each with its own model. Default: serving.workers (1).")
@click.option("--env", "-e", help="Kedro configuration environment, as for `kedro run`.")
@click.option("--model-version",
              help="Serve this promoted model version (a rollback). Default: "
                   "serving.model_version, else the newest promoted version.")
@click.pass_obj
def serve(metadata: Any, host: str | None, port: int | None, workers: int | None,
          env: str | None, model_version: str | None) -> None:
    """Serve predictions over HTTP with the newest promoted model version.

    Stage 04 promotes a trained version that meets `model_evaluation.promotion`; a pin
    (--model-version, serving.model_version) serves an older promoted one. Defaults come
    from `serving:` in conf/base/parameters_api.yml. Stop it with Ctrl-C or SIGTERM: it
    finishes the requests in flight and exits 0.
    """
    # uvicorn loads when `kedro serve` runs: Kedro imports this module on every `kedro` call
    import uvicorn

    # the runtime's serving modules load when `kedro serve` runs, not on every `kedro` call
    from kedro_ml_starter.runtime.hooks import one_line
    from kedro_ml_starter.runtime.serving.project import serving_stage
    from kedro_ml_starter.runtime.serving.settings import MODEL_VERSION_VARIABLE, ServingSettings

    project_path = Path(metadata.project_path)
    env = env or os.environ.get("KEDRO_ENV")
    # A user's mistake (no serving stage, a bad setting, a pin that cannot be served): one
    # line, before anything starts.
    with one_line():
        stage = serving_stage(project_path, metadata.package_name, Path(metadata.source_dir))
        parameters = _parameters(project_path, env)
        settings = ServingSettings.from_params(parameters, host=host, port=port,
                                               workers=workers, model_version=model_version)
        api_key = settings.api_key()
        contract = _check_contract(parameters)
        if settings.model_version is not None:
            _check_pin(project_path, env, settings.model_version, model_version is not None,
                       contract)
    if api_key is None and not _is_loopback(settings.host):
        click.echo(f"Warning: serving on {settings.host} without an API key: anyone who can "
                   "reach this machine can call the API; set `serving.api_key_env` in "
                   "conf/base/parameters_api.yml", err=True)
    if env:
        os.environ["KEDRO_ENV"] = env  # worker processes open the same environment
    if model_version:
        os.environ[MODEL_VERSION_VARIABLE] = model_version
    os.environ[APP_FILE_VARIABLE] = str(stage.app_file)
    os.environ[APP_MODULE_VARIABLE] = stage.app_module
    os.chdir(project_path)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        uvicorn.run(f"{__name__}:app_from_stage", factory=True, host=settings.host,
                    port=settings.port, workers=settings.workers,
                    access_log=settings.access_log)
    except KeyboardInterrupt:
        click.echo("Stopped before the server started.", err=True)


def app_from_stage() -> Any:
    """uvicorn's app factory, in each server process: the serving stage's `create_app()`."""
    # serving.project loads in the server process, not on every `kedro` call
    from kedro_ml_starter.runtime.serving.project import load_app_factory

    factory = load_app_factory(os.environ[APP_MODULE_VARIABLE],
                               Path(os.environ[APP_FILE_VARIABLE]))
    return factory()


def _check_pin(project_path: Any, env: str | None, pin: str, from_command_line: bool,
               contract: Any) -> None:
    """Refuses, in one line and before the server starts, a pin that cannot be served
    (unknown, not promoted, or trained under another data contract)."""
    # the model store's modules load when a pin is checked, not on every `kedro` call
    from kedro_ml_starter.runtime.serving.artifacts import (
        PINNED_BY_PARAMETER,
        ModelNotServable,
        choose_version,
    )
    from kedro_ml_starter.runtime.serving.project import open_project, stages_before_serving

    catalog, _ = open_project(project_path, env, hooks=False)
    pinned_by = "--model-version" if from_command_line else PINNED_BY_PARAMETER
    run_first = f"run `kedro run` ({stages_before_serving(project_path)})"
    try:
        choose_version(catalog, pin, pinned_by, run_first, contract)
    except ModelNotServable as error:
        raise click.ClickException(str(error)) from None


def _parameters(project_path: Any, env: str | None) -> dict[str, Any]:
    # Kedro's settings too: this module imports click and the standard library only
    from kedro.framework.project import settings

    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(project_path / settings.CONF_SOURCE), env=env,
        **settings.CONFIG_LOADER_ARGS,
    )
    return dict(loader["parameters"])


def _check_contract(parameters: dict[str, Any]) -> Any:
    """The project's DataContract. One the app cannot be built from is one line here (its
    ContractError), not a traceback from each server process."""
    # the data contract (yaml) loads when `kedro serve` runs, not on every `kedro` call
    from kedro_ml_starter.runtime.contract import PARAMETERS_KEY, DataContract

    return DataContract.from_parameters(parameters.get(PARAMETERS_KEY))


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to any interface
        return False

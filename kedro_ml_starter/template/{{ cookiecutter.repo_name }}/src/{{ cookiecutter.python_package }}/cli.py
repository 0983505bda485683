"""Project commands, added to Kedro's own: `kedro serve` starts the prediction API.

Kedro imports this module on every `kedro` call in the project and lists `cli`'s commands
next to its own (`kedro run` and the others are unchanged). `python -m {{ cookiecutter.python_package }}`
takes its `run` command from here, hence the re-export. Everything heavy is imported
inside the command.
"""

import os
from pathlib import Path
from typing import Any, Optional

import click
from kedro.framework.cli.project import run  # noqa: F401 - `python -m` looks `run` up here

SERVING_STAGE = "{{ cookiecutter.python_package }}.pipelines.{% if cookiecutter.stage_style == 'numbered' %}05_{% endif %}api"


@click.group(name="{{ cookiecutter.python_package }}")
def cli() -> None:
    """Commands of this project."""


@cli.command()
@click.option("--host", help="Address to listen on. Default: serving.host (127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Default: serving.port (8000).")
@click.option("--workers", type=click.IntRange(1, 64),
              help="Server processes, each with its own model. Default: serving.workers (1).")
@click.option("--env", "-e", help="Kedro configuration environment, as for `kedro run`.")
@click.pass_obj
def serve(metadata: Any, host: Optional[str], port: Optional[int], workers: Optional[int],
          env: Optional[str]) -> None:
    """Serve predictions over HTTP with the latest trained model.

    Defaults come from `serving:` in conf/base/parameters_api.yml. Stop it with Ctrl-C or
    SIGTERM: it finishes the requests in flight and exits 0.
    """
    import signal

    import uvicorn

    env = env or os.environ.get("KEDRO_ENV")
    config = _serving_config(Path(metadata.project_path), env)
    if env:
        os.environ["KEDRO_ENV"] = env  # worker processes open the same environment
    os.chdir(metadata.project_path)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        uvicorn.run(
            f"{SERVING_STAGE}.app:create_app",
            factory=True,
            host=host or config.host,
            port=port or config.port,
            workers=workers or config.workers,
            access_log=config.access_log,
        )
    except KeyboardInterrupt:
        click.echo("Stopped before the server started.", err=True)


def _serving_config(project_path: Path, env: Optional[str]) -> Any:
    """The checked `serving:` settings, or one line saying which one is wrong."""
    import importlib

    from kedro.framework.project import settings

    config = importlib.import_module(f"{SERVING_STAGE}.config")
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(project_path / settings.CONF_SOURCE), env=env,
        **settings.CONFIG_LOADER_ARGS,
    )
    try:
        return config.ServingConfig.from_params(loader["parameters"])
    except config.ServingConfigError as error:
        raise click.ClickException(str(error)) from None

"""Project settings: Kedro's defaults, plus the project's hooks."""

import warnings

from {{ cookiecutter.python_package }}.hooks import ReadableErrorsHook, StageInputsHook
from {{ cookiecutter.python_package }}.progress import ProgressHooks
{%- if cookiecutter.engine == 'spark' %}
from {{ cookiecutter.python_package }}.spark_session import SparkHooks
{%- endif %}

# Kedro 1.7 calls an omegaconf API that omegaconf 2.4 deprecates: the warning is about
# Kedro's code, not this project's, and would otherwise open every `kedro` command.
warnings.filterwarnings("ignore", message="register_new_resolver", category=UserWarning)

{%- if cookiecutter.engine == 'spark' %}

# pyspark warns on import that it is not yet tested with pandas 3. The project hands
# pandas frames to Spark in one place (utils/scoring.py `predict_frame`), which its tests
# cover.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                        category=FutureWarning)

HOOKS = (SparkHooks(), StageInputsHook(), ReadableErrorsHook(), ProgressHooks())
{%- else %}

HOOKS = (StageInputsHook(), ReadableErrorsHook(), ProgressHooks())
{%- endif %}

CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
{%- if cookiecutter.engine == 'spark' %}
    # conf/<env>/spark.yml holds the Spark session's settings (spark_session.py reads it).
    "config_patterns": {"spark": ["spark*", "spark*/**"]},
{%- endif %}
}

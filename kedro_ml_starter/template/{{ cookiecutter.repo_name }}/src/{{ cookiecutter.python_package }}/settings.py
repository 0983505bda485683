"""Project settings. There is no need to edit this file unless you want to change values
from the Kedro defaults. For further information, including these default values, see
https://docs.kedro.org/en/stable/configure/configuration_basics/#configuration"""

import warnings

from kedro_ml_starter.runtime import (
{%- if cookiecutter.tracking == 'mlflow' %}
    MlflowHooks,
{%- endif %}
    ProgressHooks,
    ReadableErrorsHook,
{%- if cookiecutter.engine == 'spark' %}
    SparkHooks,
{%- endif %}
    StageInputsHook,
)

# Kedro 1.7 calls an omegaconf API that omegaconf 2.4 deprecates, and pyspark (which
# pandera looks for on import) warns that it does not fully support pandas 3 yet:
# neither is about this project's code, and both would open every `kedro` command.
warnings.filterwarnings("ignore", "register_new_resolver", UserWarning)
warnings.filterwarnings(
    "ignore", "PySpark does not yet fully support pandas", FutureWarning
)

# From kedro-ml-structure: a missing stage input or invalid raw data as one readable
# line, and a progress line per node at a terminal (PIPELINE_PROGRESS=1/0: on/off).
{%- if cookiecutter.engine == 'spark' %}
HOOKS = (SparkHooks(), StageInputsHook(), ReadableErrorsHook(), ProgressHooks())

CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    # conf/<env>/spark.yml: the Spark session's settings, read by SparkHooks.
    "config_patterns": {"spark": ["spark*", "spark*/**"]},
}
{%- else %}
HOOKS = (StageInputsHook(), ReadableErrorsHook(), ProgressHooks())
{%- endif %}
{%- if cookiecutter.tracking == 'mlflow' %}

# Each `kedro run` that trains or evaluates is an MLflow run: parameters, metrics, the
# evaluation figure and the model, as conf/base/tracking.yml says (README, "Tracking").
HOOKS += (MlflowHooks(),)
{%- endif %}

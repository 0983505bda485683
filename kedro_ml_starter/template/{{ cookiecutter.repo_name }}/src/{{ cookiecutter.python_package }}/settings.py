"""Project settings: Kedro's defaults, plus the project's hooks."""

import warnings

from {{ cookiecutter.python_package }}.hooks import ReadableErrorsHook, StageInputsHook
from {{ cookiecutter.python_package }}.progress import ProgressHooks

# Kedro 1.7 calls an omegaconf API that omegaconf 2.4 deprecates: the warning is about
# Kedro's code, not this project's, and would otherwise open every `kedro` command.
warnings.filterwarnings("ignore", message="register_new_resolver", category=UserWarning)

HOOKS = (StageInputsHook(), ReadableErrorsHook(), ProgressHooks())

CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
}

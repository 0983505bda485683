"""The runtime's declared API: every name of `kedro_ml_starter.runtime.__all__` resolves,
and importing the package costs nothing (Kedro imports settings.py, which imports it, on
every command)."""

from __future__ import annotations

import subprocess

import pytest

from kedro_ml_starter import runtime
from tests.support import PYTHON


def test_every_declared_name_resolves_from_the_package():
    for name in runtime.__all__:
        assert getattr(runtime, name) is not None, name
    assert set(runtime.__all__) == set(runtime._EXPORTS)
    assert set(runtime.__all__) <= set(dir(runtime))


def test_an_undeclared_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'datasets_internal'"):
        runtime.datasets_internal  # noqa: B018


def test_importing_the_package_imports_no_library():
    code = ("import sys, kedro_ml_starter.runtime as r; "
            "print(sorted(m for m in ('pandas', 'kedro', 'click', 'pydantic', 'sklearn', "
            "'pandera', 'numpy') if m in sys.modules))")
    result = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"

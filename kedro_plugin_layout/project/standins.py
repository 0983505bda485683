"""Inert stand-ins for a project's dependencies, so its pipelines can be built without them.

The node graph (names, inputs, outputs, tags) comes from Kedro and the project's own
modules; the libraries its nodes call (pandas, scikit-learn, plotly, ...) only run when a
node runs. While `stand_ins(...)` is active, a meta-path finder answers every import that
the project's own code makes of a module outside the standard library, Kedro and the
project's source folder with a stand-in module, installed or not: nothing of the library
is imported, and nothing is needed in an environment (pre-commit, a lint-only CI job) that
holds only Kedro and this plugin. Imports made by Kedro itself stay real. A module the
process has already imported for real is used as is (it costs nothing more); a submodule
of one that is not imported yet stands in like any other.

A stand-in accepts what import-time code commonly does with a library: attributes,
calls, subscripts, arithmetic, subclassing (an inert base class), decorators (the
decorated function is kept, so Kedro names the node after it), context managers, truth
tests. Where a value of the library could decide the shape of the graph (iterating it,
taking its length, comparing it, turning it into a string or a number), the stand-in
raises `StandInUsed`: the loader then imports that stage for real, and says so.
What a stand-in cannot reveal: an equality test against a library value (`==` is
identity, so it is False), and code that inspects a library's metadata at import time.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import inspect
import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kedro_ml_starter import runtime

# Import-time code that uses a dependency's value this way may shape the graph.
_SHAPING = {
    "__iter__": "iterates over", "__len__": "takes the length of", "__contains__": "searches",
    "__reversed__": "iterates over", "__index__": "uses as an index", "__int__": "converts",
    "__float__": "converts", "__complex__": "converts", "__str__": "formats",
    "__format__": "formats", "__bytes__": "converts", "__fspath__": "uses as a path",
    "__lt__": "compares", "__le__": "compares", "__gt__": "compares", "__ge__": "compares",
}
_ARITHMETIC = (
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor",
    "lshift", "rshift", "divmod",
)


class StandInUsed(Exception):
    """Raised when import-time code uses a stand-in's value where it may shape the graph."""


class StandIn:
    """Any value of a module that is not imported: every use gives another stand-in."""

    def __init__(self, name: str, wraps: Any = None) -> None:
        object.__setattr__(self, "_standin_name", name)
        label = getattr(wraps, "__name__", None) or name.rsplit(".", 1)[-1]
        object.__setattr__(self, "__name__", label)
        object.__setattr__(self, "__qualname__", getattr(wraps, "__qualname__", label))
        object.__setattr__(self, "__module__", getattr(wraps, "__module__", name))
        object.__setattr__(self, "__doc__", getattr(wraps, "__doc__", None))
        if wraps is not None:
            object.__setattr__(self, "__wrapped__", wraps)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        child = StandIn(f"{self._standin_name}.{name}")
        object.__setattr__(self, name, child)
        return child

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if (len(args) == 1 and not kwargs
                and (inspect.isfunction(args[0]) or isinstance(args[0], type))):
            # a decorator: keep the decorated function's name (Kedro names nodes by it)
            return StandIn(f"{self._standin_name}(...)", wraps=args[0])
        return StandIn(f"{self._standin_name}(...)")

    def __getitem__(self, key: Any) -> Any:
        return StandIn(f"{self._standin_name}[...]")

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def __delitem__(self, key: Any) -> None:
        pass

    def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[type, ...]:
        """`class X(BaseEstimator)` derives from an inert class named for the stand-in."""
        if "_standin_class" not in vars(self):
            name = self._standin_name.rsplit(".", 1)[-1]
            object.__setattr__(self, "_standin_class",
                               type(name, (StandInBase,), {"__module__": self.__module__}))
        return (vars(self)["_standin_class"],)

    def __instancecheck__(self, instance: Any) -> bool:
        return False

    def __subclasscheck__(self, subclass: Any) -> bool:
        return False

    def __bool__(self) -> bool:
        return True

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __repr__(self) -> str:
        return f"<stand-in {self._standin_name}>"

    def _derived(self, *args: Any) -> Any:
        return StandIn(f"{self._standin_name}(...)")


def _refuse(dunder: str, verb: str):  # type: ignore[no-untyped-def]
    def method(self: StandIn, *args: Any) -> Any:
        raise StandInUsed(
            f"import-time code {verb} `{self._standin_name}`, a value of a dependency that "
            "is not imported in lite mode"
        )

    method.__name__ = dunder
    return method


for _dunder, _verb in _SHAPING.items():
    setattr(StandIn, _dunder, _refuse(_dunder, _verb))
for _op in _ARITHMETIC:
    setattr(StandIn, f"__{_op}__", StandIn._derived)
    setattr(StandIn, f"__r{_op}__", StandIn._derived)
for _unary in ("neg", "pos", "abs", "invert"):
    setattr(StandIn, f"__{_unary}__", StandIn._derived)


class StandInBase:
    """What a class deriving from a stand-in derives from: it takes class keywords
    (`class Row(BaseModel, frozen=True)`) and subscripts (`Generic`-like bases)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__()

    def __class_getitem__(cls, item: Any) -> Any:
        return cls


class StandInModule(types.ModuleType):
    """A module that is not imported: its attributes are stand-ins, its submodules too."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = StandIn(f"{self.__name__}.{name}")
        setattr(self, name, value)
        return value


class _Loader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return StandInModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class StandInFinder(importlib.abc.MetaPathFinder):
    """Answers the project's imports of third-party modules with stand-ins.

    Only imports made by the project's own code are answered (the importing frame's
    module is the project's); Kedro's imports of its own dependencies stay real.
    """

    def __init__(self, source_dir: Path, package: str) -> None:
        self._source = str(source_dir.resolve()) + os.sep
        self._real = {*sys.stdlib_module_names, "kedro", package, *_top_level_names(source_dir)}
        self._loader = _Loader()
        self.stood_in: set[str] = set()
        self.under_real: list[str] = []  # stand-ins set as attributes of real packages

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        top, _, _ = fullname.partition(".")
        if top in self._real or not self._from_project():
            return None
        parent = sys.modules.get(fullname.rpartition(".")[0]) if "." in fullname else None
        if parent is not None and not isinstance(parent, StandInModule):
            # A library the process imported for real (Kedro imported a project's settings,
            # which name kedro_ml_starter.runtime's hooks) whose submodule the project asks
            # for now: that submodule may need what is not installed (pandera, numpy), so it
            # stands in too, and leaves the real parent as it was on exit.
            self.under_real.append(fullname)
        self.stood_in.add(top)
        return importlib.machinery.ModuleSpec(fullname, self._loader, is_package=True)

    def _from_project(self) -> bool:
        """Whether the code running the import statement is the project's."""
        frame: Any = sys._getframe(2)  # the caller of find_spec
        while frame is not None:
            filename = frame.f_code.co_filename
            if not (filename.startswith("<frozen importlib") or _is_importlib(filename)
                    or filename == _RUNTIME_API):
                return filename.startswith(self._source)
            frame = frame.f_back
        return False


def _is_importlib(filename: str) -> bool:
    return os.path.basename(os.path.dirname(filename)) == "importlib"


# `from kedro_ml_starter.runtime import name` loads the module behind `name` from the
# package's `__getattr__` (its declared API, PEP 562): that import is the project's.
# (Importing the package imports nothing: only its file's path is needed.)
_RUNTIME_API = os.path.abspath(runtime.__file__)


def _top_level_names(source_dir: Path) -> set[str]:
    """Modules and packages directly in the source folder: the project's own."""
    try:
        entries = os.listdir(source_dir)
    except OSError:
        return set()
    return {name.removesuffix(".py") for name in entries
            if name.endswith(".py") or (source_dir / name / "__init__.py").is_file()}


@contextmanager
def stand_ins(source_dir: Path, package: str) -> Iterator[StandInFinder]:
    """Imports inside this block get stand-ins for third-party modules. On exit the finder
    is removed, and so is every module imported inside the block that is a stand-in or
    the project's (they hold stand-ins): later imports in this process are real again."""
    finder = StandInFinder(source_dir, package)
    before = set(sys.modules)
    sys.meta_path.insert(0, finder)
    try:
        yield finder
    finally:
        sys.meta_path.remove(finder)
        source = str(source_dir.resolve()) + os.sep
        for name in set(sys.modules) - before:
            module = sys.modules.get(name)
            file = getattr(module, "__file__", None) or ""
            if isinstance(module, StandInModule) or file.startswith(source):
                del sys.modules[name]
        for name in finder.under_real:
            parent_name, _, child = name.rpartition(".")
            parent = sys.modules.get(parent_name)
            if isinstance(getattr(parent, child, None), StandInModule):
                delattr(parent, child)
        importlib.invalidate_caches()


__all__ = ["StandIn", "StandInBase", "StandInModule", "StandInUsed", "StandInFinder",
           "stand_ins"]

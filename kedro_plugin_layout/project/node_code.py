"""What a node's function does with the rows it reads, read from its source with `ast`.

The leakage rules ask of every node: does it learn from its inputs? Tags cannot answer
(nobody tags their nodes), and running the code would need the project's dependencies,
which lite mode does without. So the function's source is parsed, never executed:

- **fits**: a learning call on data (`fit`, `fit_transform`, `fit_predict`,
  `partial_fit`, `fit_resample`, `cross_val_score`, `curve_fit`, `loss.backward()`,
  `xgboost.train`, ...): whatever the call mutates or returns is learned;
- **statistics over rows**: `mean`, `median`, `std`, `quantile`, `value_counts`,
  `describe`, `min`/`max`, `unique`, `corr`, `agg`, `groupby(...).transform/apply`, `qcut`,
  numpy and `statistics` reductions, `sum`/`min`/`max` of one iterable, and feature
  scores with the target (`mutual_info_classif`, `f_classif`, `chi2`, ...). They count
  only when their value reaches what the function returns: a statistic that is logged, or
  tested by an `if`, learns nothing the outputs carry. A reduction along `axis=1` works
  within a row and is not one;
- **scores**: metrics (`*_score`, `*_error`, `*_loss`, `confusion_matrix`, ...),
  `model.score`, and `predict` calls: evaluation, or model selection when the function
  also fits;
- **early stopping**: data handed to a fit for validation (`eval_set=`,
  `validation_data=`, `valid_sets=`, `evals=`, `eval_dataset=`).

A test (`if`, `x if test else y`) steers; what it computes is not carried by the outputs,
except a comparison of scores (`return a if score(a) > score(b) else b`): that is a choice
made on the rows scored.

Only values derived from the node's data inputs count (not its `params:`). A call to a
function of the project's own source folder is followed two levels deep (a node's
helper, and the helper's helper): names are resolved through the module the function
was imported from, which the pipeline loader has already imported (in lite mode too).
What is not followed: library code (a learner hidden inside a library call the list
above does not name), dynamic dispatch (`getattr`, a function chosen at run time), and
helpers deeper than two levels. docs/check.md says so to users.
"""

from __future__ import annotations

import ast
import functools
import inspect
import os
import re
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kedro_plugin_layout.kinds import Learning
from kedro_plugin_layout.project.records import Evidence, Location, NodeCode

HELPER_DEPTH = 2
FIT_METHODS = frozenset({"fit", "fit_transform", "fit_predict", "partial_fit", "fit_resample",
                         "fit_sample", "train_on_batch", "backward"})
FIT_FUNCTIONS = frozenset({"cross_val_score", "cross_validate", "cross_val_predict",
                           "learning_curve", "validation_curve", "curve_fit", "polyfit"})
# `train` is a learning call only as a function of these libraries (`model.train()` in
# PyTorch switches a mode).
FIT_MODULES = frozenset({"xgboost", "lightgbm", "catboost"})
STATISTICS = frozenset({
    "mean", "median", "std", "var", "sem", "quantile", "percentile", "value_counts",
    "describe", "min", "max", "sum", "nunique", "unique", "mode", "corr", "cov", "corrwith",
    "agg", "aggregate", "skew", "kurt", "kurtosis", "average", "ptp", "bincount",
    "histogram", "nanmean", "nanmedian", "nanstd", "nanvar", "nanpercentile", "nanquantile",
    "nanmin", "nanmax", "nansum", "approxQuantile", "zscore", "fmean", "mad", "qcut",
})
# Scores of features against the target: statistics whichever module they come from.
FEATURE_SCORES = frozenset({"mutual_info_classif", "mutual_info_regression", "f_classif",
                            "f_regression", "chi2", "r_regression"})
GROUPED = frozenset({"transform", "apply", "filter"})  # statistics after a groupby(...)
GROUPERS = frozenset({"groupby", "groupBy", "rolling", "expanding", "ewm", "resample"})
REDUCING_MODULES = ("numpy", "statistics", "scipy", "torch", "pandas", "pyspark")
PREDICTS = frozenset({"predict", "predict_proba", "predict_log_proba", "decision_function",
                      "score", "evaluate"})
METRIC = re.compile(r"(?:_score|_error|_loss|_deviance)$|^(?:confusion_matrix|"
                    r"classification_report|roc_curve|precision_recall_curve|det_curve)$")
VALIDATION_KEYWORDS = frozenset({"eval_set", "validation_data", "valid_sets", "evals",
                                 "eval_dataset", "X_val", "y_val"})
BUILTIN_REDUCTIONS = frozenset({"sum", "min", "max"})
# Methods that change their object in place (besides `inplace=True`): what they are given
# is then held by the object.
MUTATORS = frozenset({"update", "append", "extend", "insert", "add", "setdefault",
                      "appendleft", "put", "__setitem__"})
_WHAT_LENGTH = 60
# Node functions kedro-ml-structure's runtime gives a generated project (stage 04's
# promotion gate), by name: how each learns from its data inputs. Their source is not the
# project's (lite mode stands them in), so they are known here instead of read, with no
# note that their code could not be read.
RUNTIME_MODULE = "kedro_ml_starter.runtime"
RUNTIME_NODES: dict[str, Learning | None] = {
    # the naive baseline: only the train split's class shares or mean, never served
    "fit_naive_model": None,
    # the verdict: a comparison of scores, so a choice of what is served (a selection)
    "judge_model": Learning.SCORES,
}


class CodeReader:
    """Reads node functions of one project: each source file is parsed once, each
    function summarised once (make one per check: files may change between checks)."""

    def __init__(self, source_dir: Path, root: Path | None = None) -> None:
        self._reader = _Reader(source_dir.resolve(), (root or source_dir).resolve())

    def read(self, func: Any, inputs: Sequence[str] | Mapping[str, str]) -> NodeCode:
        """What `func`, run by a node with these inputs, does with them (module doc).

        `inputs` are the node's inputs as given to Kedro, parameters included (a list, or
        a mapping of argument names): arguments bound to `params:...` or `parameters` are
        configuration, not rows. Locations are relative to the project root.
        """
        target = _unwrap(func)
        owner = getattr(func, "__self__", None)
        owner = owner if inspect.isclass(owner) else type(owner) if owner is not None else None
        if not hasattr(target, "__code__") and callable(target):  # an object with __call__
            owner = type(target)
            target = _unwrap(_static(owner, "__call__"))
        site = self._reader.definition(target, owner)
        if site is None:
            return _by_name(_unwrap(func))
        bound = _data_arguments(func, inputs)
        summary = self._reader.summary(site, None if bound is None else frozenset(bound),
                                       depth=0)
        if bound is None:
            return NodeCode(fits=summary.fits, learns=summary.returned, scores=summary.scores,
                            early_stopping=summary.early_stopping)

        def datasets(arguments: Iterable[str]) -> tuple[str, ...]:
            return tuple(sorted({name for a in arguments for name in bound.get(a, ())}))

        shape = summary.shape
        return NodeCode(
            fits=summary.fits, learns=summary.returned, scores=summary.scores,
            early_stopping=summary.early_stopping,
            fitted_on=(datasets(summary.fitted_on or ()) if summary.fits is not None
                       and summary.fitted_on is not None else None),
            scored_on=datasets(summary.scored_on),
            outputs_from=(None if shape is None
                          else tuple(datasets(value.sources) for value in shape)),
        )


# -- the function behind a node --------------------------------------------------------


def _unwrap(func: Any) -> Any:
    for _ in range(10):
        if isinstance(func, functools.partial):
            func = func.func
        elif isinstance(func, types.MethodType):
            func = func.__func__
        elif getattr(func, "__wrapped__", None) is not None:
            func = func.__wrapped__
        else:
            break
    return func


def _by_name(func: Any) -> NodeCode:
    """A callable whose source is not the project's: judged by its name when it says
    what it does (`StandardScaler().fit` as a node function), else unreadable."""
    name = getattr(func, "__name__", "") or type(func).__name__
    what = f"{name}(...)"
    if str(getattr(func, "__module__", "")).startswith(RUNTIME_MODULE) and name in RUNTIME_NODES:
        learning = RUNTIME_NODES[name]
        found = None if learning is None else Evidence(learning, what)
        return NodeCode(learns=found, scores=found)
    if name in FIT_METHODS or name in FIT_FUNCTIONS:
        evidence = Evidence(Learning.FIT, what)
        return NodeCode(fits=evidence, learns=evidence)
    if name in STATISTICS:
        return NodeCode(learns=Evidence(Learning.STATISTICS, what))
    if METRIC.search(name):
        evidence = Evidence(Learning.SCORES, what)
        return NodeCode(learns=evidence, scores=evidence)
    return NodeCode(readable=False,
                    note=f"`{name}` is not defined in the project's source folder")


def _data_arguments(func: Any, inputs: Sequence[str] | Mapping[str, str]
                    ) -> dict[str, tuple[str, ...]] | None:
    """The function's arguments that receive rows (not parameters), each with the
    datasets bound to it; None when the inputs cannot be bound to its signature (then
    every argument counts)."""
    try:
        signature = inspect.signature(func)
        bound = (signature.bind(**inputs) if isinstance(inputs, Mapping)
                 else signature.bind(*inputs))
    except (TypeError, ValueError):
        return None
    data: dict[str, tuple[str, ...]] = {}
    for name, value in bound.arguments.items():
        values = value.values() if isinstance(value, dict) else (
            value if isinstance(value, tuple) else (value,))
        datasets = tuple(v for v in values if isinstance(v, str) and not _is_parameter(v))
        if datasets:
            data[name] = datasets
    return data


def _is_parameter(name: Any) -> bool:
    return isinstance(name, str) and (name == "parameters" or name.startswith("params:"))


# -- reading sources ------------------------------------------------------------------------


# a file's tree, its definitions by line, the names its imports bind
_Parsed = tuple[ast.Module, dict[int, list[ast.AST]], dict[str, str]]
_Key = tuple[str, int, int, int, frozenset[str] | None]


@dataclass(frozen=True)
class _Site:
    """A function's syntax tree and what its names resolve to (`owner`: the class of a
    method, for `self.helper(...)`)."""

    tree: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    file: Path
    namespace: dict[str, Any]
    imports: dict[str, str]
    owner: type | None = None


@dataclass
class _Summary:
    fits: Evidence | None = None
    returned: Evidence | None = None
    scores: Evidence | None = None
    early_stopping: Evidence | None = None
    fitted_on: frozenset[str] | None = None  # the arguments whose rows reach a fit
    scored_on: frozenset[str] = frozenset()   # ... that are scored or validate a fit
    # What each element of the returned tuple derives from (one value: a 1-tuple); None
    # when the returns disagree or are not tuples written out.
    shape: tuple[_Value, ...] | None = None
    returns: int = 0


class _Reader:
    """Parses each project file once, and summarises each function once per depth."""

    def __init__(self, source_dir: Path, root: Path) -> None:
        self.source = str(source_dir) + os.sep
        self.root = root
        self._files: dict[str, _Parsed | None] = {}
        self._summaries: dict[_Key, _Summary] = {}

    def definition(self, func: Any, owner: type | None = None) -> _Site | None:
        """The syntax tree of a project function (or lambda), or None."""
        code = getattr(func, "__code__", None)
        if code is None or not code.co_filename.startswith(self.source):
            return None
        parsed = self._parse(code.co_filename)
        if parsed is None:
            return None
        tree, by_line, imports = parsed
        line = code.co_firstlineno
        if code.co_name == "<lambda>":  # rare as a node function: looked for when asked
            found: list[ast.AST] = [n for n in ast.walk(tree)
                                    if isinstance(n, ast.Lambda) and n.lineno == line]
        else:
            found = [n for n in by_line.get(line, ()) if getattr(n, "name", "") == code.co_name]
        if not found:
            return None
        namespace = getattr(func, "__globals__", {}) or {}
        return _Site(found[0], Path(code.co_filename), namespace, imports,  # type: ignore[arg-type]
                     owner)

    def _parse(self, filename: str) -> _Parsed | None:
        """A file's tree, its functions by line (of `def` and of the first decorator) and
        the names its imports bind; statements only are walked, for speed."""
        if filename not in self._files:
            try:
                tree = ast.parse(Path(filename).read_text(encoding="utf-8"), filename)
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
                self._files[filename] = None
                return None
            by_line: dict[int, list[ast.AST]] = {}
            imports: dict[str, str] = {}
            for node in _statements(tree.body):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    by_line.setdefault(node.lineno, []).append(node)
                    if node.decorator_list:
                        by_line.setdefault(node.decorator_list[0].lineno, []).append(node)
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        imports[alias.asname or alias.name.split(".")[0]] = (
                            alias.name if alias.asname else alias.name.split(".")[0])
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    for alias in node.names:
                        imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            self._files[filename] = (tree, by_line, imports)
        return self._files[filename]

    def summary(self, site: _Site, data: frozenset[str] | None, depth: int) -> _Summary:
        key = (str(site.file), site.tree.lineno, site.tree.col_offset, depth, data)
        cached = self._summaries.get(key)
        if cached is None:
            self._summaries[key] = _Summary()  # a recursive helper reads as learning nothing
            cached = _Function(self, site, data, depth).run()
            self._summaries[key] = cached
        return cached

    def location(self, site: _Site, node: ast.AST) -> Location:
        path = os.path.relpath(site.file, self.root).replace(os.sep, "/")
        return Location(path, getattr(node, "lineno", None),
                        getattr(node, "col_offset", -1) + 1 or None)

    def helper(self, site: _Site, func: ast.expr, local: dict[str, ast.AST]) -> _Site | None:
        """The project function a call names, resolved as Python would at run time."""
        if isinstance(func, ast.Name) and func.id in local:
            tree = local[func.id]
            return _Site(tree, site.file, site.namespace, site.imports,  # type: ignore[arg-type]
                         site.owner)
        if (site.owner is not None and isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls")):
            method = _static(site.owner, func.attr)
            return None if method is None else self.definition(_unwrap(method), site.owner)
        target = _resolve(func, site.namespace)
        return None if target is None else self.definition(_unwrap(target))


def _resolve(func: ast.expr, namespace: dict[str, Any]) -> Any:
    if isinstance(func, ast.Name):
        return namespace.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = namespace.get(func.value.id)
        if isinstance(owner, types.ModuleType) or inspect.isclass(owner):
            return _static(owner, func.attr)
    return None


def _static(owner: Any, name: str) -> Any:
    """An attribute as defined (no descriptor or `__getattr__` runs): a function of a
    module, or a method of a class (staticmethod and classmethod unwrapped)."""
    try:
        found = inspect.getattr_static(owner, name)
    except AttributeError:
        return None
    return found.__func__ if isinstance(found, (staticmethod, classmethod)) else found


# -- one function ----------------------------------------------------------------------------


@dataclass
class _Value:
    """What an expression holds: which data arguments its rows come from, and a value
    learned from rows (with the call that learned it)."""

    sources: frozenset[str] = frozenset()
    learned: Evidence | None = None

    @property
    def data(self) -> bool:
        return bool(self.sources)

    def __or__(self, other: _Value) -> _Value:
        return _Value(self.sources | other.sources, self.learned or other.learned)


@dataclass
class _Function:
    """Abstract interpretation of one function body: which names hold data (from which
    arguments) or learned values, flow-insensitive, to a fixed point; what its returns
    carry, and which arguments' rows reach a fit."""

    reader: _Reader
    site: _Site
    data_args: frozenset[str] | None
    depth: int
    data: dict[str, frozenset[str]] = field(default_factory=dict)
    # what validated a fitted object (`model.fit(X, y, eval_set=[(X_val, y_val)])`): it
    # derives from it, but a later fit of the object does not fit on it
    validated: dict[str, frozenset[str]] = field(default_factory=dict)
    learned: dict[str, Evidence] = field(default_factory=dict)
    local: dict[str, ast.AST] = field(default_factory=dict)
    out: _Summary = field(default_factory=_Summary)
    control: _Value | None = None  # a comparison of scores steering the current block

    def run(self) -> _Summary:
        tree = self.site.tree
        arguments = tree.args
        names = [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
        names += [a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None]
        self.data = {n: frozenset({n}) for n in names
                     if self.data_args is None or n in self.data_args}
        body: list[ast.stmt] = (tree.body if not isinstance(tree, ast.Lambda)
                                else [ast.Return(tree.body)])
        for inner in _statements(body):
            if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.local.setdefault(inner.name, inner)
        for _ in range(4):
            before = self._size()
            self._block(body)
            if self._size() == before:
                break
        return self.out

    def _size(self) -> tuple[int, int, int]:
        return (sum(map(len, self.data.values())), sum(map(len, self.validated.values())),
                len(self.learned))

    # statements

    def _block(self, body: Iterable[ast.stmt]) -> None:
        for statement in body:
            self._statement(statement)

    def _statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            if stmt.value is None:
                return
            value = self.value(stmt.value)
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                self._bind(target, value)
        elif isinstance(stmt, ast.Return) and isinstance(stmt.value, (ast.Tuple, ast.List)):
            steering = self.control or _Value()
            elements = [self.value(e) | steering for e in stmt.value.elts]
            self._returns(_union(elements), elements)
        elif isinstance(stmt, (ast.Return, ast.Expr)):
            value = self.value(stmt.value) if stmt.value is not None else _Value()
            if isinstance(stmt, ast.Return) or isinstance(stmt.value, (ast.Yield, ast.YieldFrom)):
                value = value | (self.control or _Value())
                self._returns(value, [value] if isinstance(stmt, ast.Return) else None)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            self._bind(stmt.target, self.value(stmt.iter))
            self._block(stmt.body)
            self._block(stmt.orelse)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                value = self.value(item.context_expr)
                if item.optional_vars is not None:
                    self._bind(item.optional_vars, value)
            self._block(stmt.body)
        elif isinstance(stmt, (ast.If, ast.While)):
            # A test steers: what it computes is not a value the outputs carry, unless it
            # compares scores (`if score(a) > score(b): return a`): that is a choice.
            saved = self.control
            self.control = self.control or _chosen(self.value(stmt.test))
            self._block(stmt.body)
            self._block(stmt.orelse)
            self.control = saved
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self._block(stmt.body)  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                self._block(handler.body)
            self._block(stmt.orelse)  # type: ignore[attr-defined]
            self._block(stmt.finalbody)  # type: ignore[attr-defined]
        elif isinstance(stmt, ast.Match):
            self.value(stmt.subject)
            for case in stmt.cases:
                self._block(case.body)

    def _returns(self, value: _Value, elements: list[_Value] | None) -> None:
        """What a `return` (or `yield`) carries; for a `return`, what each element of the
        tuple derives from (Kedro maps a returned tuple to the node's outputs in order),
        merged over every `return` of the function."""
        self.out.returned = self.out.returned or value.learned
        if elements is None:
            return
        known, self.out.returns = self.out.shape, self.out.returns + 1
        if self.out.returns == 1:
            self.out.shape = tuple(elements)
        elif known is not None and len(known) == len(elements):
            self.out.shape = tuple(a | b for a, b in zip(known, elements))
        elif known is not None:
            self.out.shape = None  # returns of different shapes: every output from all

    def _bind(self, target: ast.expr, value: _Value) -> None:
        value = value | (self.control or _Value())
        learned = value.learned
        for name in _target_names(target):
            if value.sources:
                self.data[name] = self.data.get(name, frozenset()) | value.sources
            if learned is not None:
                self.learned.setdefault(name, learned)

    # expressions

    def value(self, expr: ast.expr) -> _Value:
        if isinstance(expr, ast.Name):
            sources = self.data.get(expr.id, frozenset()) | self.validated.get(expr.id, frozenset())
            return _Value(sources, self.learned.get(expr.id))
        if isinstance(expr, ast.Call):
            return self._call(expr)
        if isinstance(expr, ast.Lambda):
            return _Value()  # a function value: applied elsewhere, row by row if at all
        if isinstance(expr, ast.IfExp):
            chosen = _chosen(self.value(expr.test)) or _Value()
            return self.value(expr.body) | self.value(expr.orelse) | chosen
        if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            for generator in expr.generators:
                self._bind(generator.target, self.value(generator.iter))
            parts = [expr.key, expr.value] if isinstance(expr, ast.DictComp) else [expr.elt]
            return _union(self.value(part) for part in parts)
        return _union(self.value(child) for child in ast.iter_child_nodes(expr)
                      if isinstance(child, ast.expr))

    def _call(self, call: ast.Call) -> _Value:
        func = call.func
        receiver = self.value(func.value) if isinstance(func, ast.Attribute) else _Value()
        positional = [self.value(a) for a in call.args]
        keywords = [(k, self.value(k.value)) for k in call.keywords]
        arguments = _union([*positional, *(value for _, value in keywords)])
        name = func.attr if isinstance(func, ast.Attribute) else (
            func.id if isinstance(func, ast.Name) else "")
        module = self._module(func)
        on_data = receiver.data or arguments.data
        result = receiver | arguments
        for keyword in call.keywords:  # max(models, key=lambda m: accuracy_score(...))
            if keyword.arg == "key" and isinstance(keyword.value, ast.Lambda):
                result = result | self._applied(keyword.value)
        validated = _union(v for k, v in keywords if k.arg in VALIDATION_KEYWORDS)
        if validated.data:
            self.out.early_stopping = self.out.early_stopping or self._evidence(
                Learning.FIT, call)
            self._scored(validated.sources)
        if on_data and self._fits(name, module, func):
            evidence = self._evidence(Learning.FIT, call)
            self.out.fits = self.out.fits or evidence
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                receiver = _Value(self.data.get(func.value.id, frozenset()), receiver.learned)
            fitted = receiver | _union([*positional, *(
                v for k, v in keywords if k.arg not in VALIDATION_KEYWORDS)])
            self._fitted(fitted.sources)
            self._mutate(func, evidence, fitted.sources)
            # the fitted object also derives from what validated it (rounds, the best epoch)
            root = _root_name(func.value) if isinstance(func, ast.Attribute) else None
            if root is not None and validated.sources:
                self.validated[root] = self.validated.get(root, frozenset()) | validated.sources
            return _Value(fitted.sources | validated.sources, evidence)
        if name in PREDICTS and isinstance(func, ast.Attribute) and on_data:
            self.out.scores = self.out.scores or self._evidence(Learning.SCORES, call)
            self._scored(arguments.sources)
            if name in ("score", "evaluate"):
                return _Value(result.sources, self._evidence(Learning.SCORES, call))
        elif METRIC.search(name) and arguments.data:
            evidence = self._evidence(Learning.SCORES, call)
            self.out.scores = self.out.scores or evidence
            self._scored(arguments.sources)
            return _Value(result.sources, evidence)
        elif self._reduces(call, name, module, receiver, arguments):
            return _Value(result.sources, self._evidence(Learning.STATISTICS, call))
        elif self.depth < HELPER_DEPTH and on_data:
            helper = self.reader.helper(self.site, func, self.local)
            if helper is not None:
                return self._through(helper, call, result)
        if isinstance(func, ast.Attribute) and arguments.learned is not None and (
                name in MUTATORS or any(k.arg == "inplace" for k in call.keywords)):
            # frame.update(stats), rows.fillna(values, inplace=True), scores.append(...)
            self._mutate(func, arguments.learned, arguments.sources)
        return result

    def _applied(self, function: ast.Lambda) -> _Value:
        """A lambda's value when applied to data (its arguments hold data)."""
        saved = dict(self.data)
        every = frozenset().union(*self.data.values()) if self.data else frozenset({"?"})
        self.data.update({a.arg: every for a in function.args.args})
        try:
            return self.value(function.body)
        finally:
            self.data = saved

    def _through(self, helper: _Site, call: ast.Call, result: _Value) -> _Value:
        summary = self.reader.summary(helper, None, self.depth + 1)
        name = getattr(helper.tree, "name", "<lambda>")
        for attribute in ("fits", "scores", "early_stopping"):
            found = getattr(summary, attribute)
            if found is not None and getattr(self.out, attribute) is None:
                setattr(self.out, attribute, _via(found, name))
        if summary.scores is not None or summary.early_stopping is not None:
            self._scored(result.sources)  # which of its arguments it scores is not kept
        if summary.fits is not None:
            self._fitted(result.sources)  # which of its arguments it fits on is not kept
            for argument in call.args:
                self._mutate_name(argument, _via(summary.fits, name), result.sources)
        learned = summary.returned or summary.fits
        if learned is not None:
            return _Value(result.sources, _via(learned, name))
        return result

    def _fitted(self, sources: frozenset[str]) -> None:
        self.out.fitted_on = (self.out.fitted_on or frozenset()) | sources

    def _scored(self, sources: frozenset[str]) -> None:
        self.out.scored_on |= sources

    def _fits(self, name: str, module: str, func: ast.expr) -> bool:
        if name in FIT_METHODS and isinstance(func, ast.Attribute):
            return True
        if name in FIT_FUNCTIONS:
            return True
        return name == "train" and module.split(".")[0] in FIT_MODULES

    def _reduces(self, call: ast.Call, name: str, module: str, receiver: _Value,
                 arguments: _Value) -> bool:
        """A statistic over rows of data (see the module doc)."""
        if _along_rows(call):
            return False
        if name in FEATURE_SCORES:
            return arguments.data
        func = call.func
        if isinstance(func, ast.Name):
            if module:
                return module.startswith(REDUCING_MODULES) and name in STATISTICS and arguments.data
            return (name in BUILTIN_REDUCTIONS and len(call.args) == 1 and not call.keywords
                    and arguments.data)
        if not isinstance(func, ast.Attribute):
            return False
        if module:  # np.mean(x), statistics.median(x)
            return module.startswith(REDUCING_MODULES) and name in STATISTICS and arguments.data
        if not receiver.data:
            return False
        return name in STATISTICS or (name in GROUPED and _grouped(func.value))

    def _module(self, func: ast.expr) -> str:
        """The imported module a call goes through (`np.mean` -> numpy.mean), or ""."""
        if isinstance(func, ast.Name):
            return self.site.imports.get(func.id, "") if func.id not in self.data else ""
        if isinstance(func, ast.Attribute):
            base = func.value
            parts = [func.attr]
            while isinstance(base, ast.Attribute):
                parts.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name) and base.id in self.site.imports \
                    and base.id not in self.data:
                return ".".join([self.site.imports[base.id], *reversed(parts)])
        return ""

    def _mutate(self, func: ast.expr, evidence: Evidence, sources: frozenset[str]) -> None:
        if isinstance(func, ast.Attribute):
            self._mutate_name(func.value, evidence, sources)

    def _mutate_name(self, expr: ast.expr, evidence: Evidence, sources: frozenset[str]) -> None:
        """A call changed the object `expr` names (`model.fit(X)`): it holds what it learned."""
        root = _root_name(expr)
        if root is not None and (root in self.data or root in self.learned
                                 or root not in self.site.imports):
            self.learned.setdefault(root, evidence)
            self.data[root] = self.data.get(root, frozenset()) | sources

    def _evidence(self, kind: Learning, call: ast.Call) -> Evidence:
        return Evidence(kind, _what(call), self.reader.location(self.site, call))


def _chosen(test: _Value) -> _Value | None:
    """The scores a test compares, which make whatever it steers a choice made with them."""
    learned = test.learned
    return test if learned is not None and learned.kind == Learning.SCORES else None


def _via(evidence: Evidence, helper: str) -> Evidence:
    return replace(evidence, via=(helper, *evidence.via))


def _union(values: Iterable[_Value]) -> _Value:
    result = _Value()
    for value in values:
        result = result | value
    return result


def _statements(body: Iterable[ast.stmt]) -> Iterable[ast.stmt]:
    """Every statement in a block and the blocks inside it (functions and classes too),
    without walking expressions."""
    stack = list(body)
    while stack:
        statement = stack.pop()
        yield statement
        for name in ("body", "orelse", "finalbody"):
            block = getattr(statement, name, None)
            if isinstance(block, list):
                stack.extend(s for s in block if isinstance(s, ast.stmt))
        for handler in getattr(statement, "handlers", ()) or ():
            stack.extend(handler.body)
        for case in getattr(statement, "cases", ()) or ():
            stack.extend(case.body)


def _target_names(target: ast.expr) -> list[str]:
    """The names an assignment binds or mutates (`df["x"] = ...` mutates `df`)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    root = _root_name(target)
    return [root] if root else []


def _root_name(expr: ast.expr) -> str | None:
    while isinstance(expr, (ast.Attribute, ast.Subscript, ast.Call)):
        expr = expr.func if isinstance(expr, ast.Call) else expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _along_rows(call: ast.Call) -> bool:
    """`df.mean(axis=1)`: a reduction within each row, not over the rows."""
    for keyword in call.keywords:
        if keyword.arg == "axis" and isinstance(keyword.value, ast.Constant):
            return keyword.value.value in (1, "columns")
    return False


def _grouped(expr: ast.expr) -> bool:
    """Whether a method chain goes through `groupby(...)` (or a window)."""
    while isinstance(expr, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) \
                and expr.func.attr in GROUPERS:
            return True
        expr = expr.func if isinstance(expr, ast.Call) else expr.value
    return False


def _what(call: ast.Call) -> str:
    """The call as source, its arguments elided: `df.groupby('island')['mass'].mean(...)`."""
    text = f"{ast.unparse(call.func)}({'...' if call.args or call.keywords else ''})"
    text = " ".join(text.split())
    return text if len(text) <= _WHAT_LENGTH else "..." + text[-(_WHAT_LENGTH - 3):]


__all__ = ["HELPER_DEPTH", "CodeReader"]


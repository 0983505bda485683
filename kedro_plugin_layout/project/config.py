"""A project's `conf/` read the way Kedro's `OmegaConfigLoader` reads it, without omegaconf.

Kedro's loader imports omegaconf and fsspec, which cost more than the rest of the check
together, while the rules need little of what they do: the YAML of the files Kedro picks,
merged the way Kedro merges them, with the line of every entry. So this module reads the
files with PyYAML (what omegaconf itself parses with: the C loader, no timestamps,
duplicate keys refused) and follows Kedro 1.7's documented behaviour:

- files: in `conf/base` and the run environment (`conf/local` by default), those whose
  path relative to the environment matches the key's patterns (`catalog*`,
  `catalog*/**`, `**/catalog*`), ending in .yml, .yaml or .json, no hidden part;
- a top-level key declared in two files of one environment is an error; the run
  environment replaces base's entries key by key (Kedro's default "destructive" merge);
  keys starting with `_` are dropped after interpolation;
- interpolation, only where a caller asks (`Interpolation.resolve`): `${key.path}` within
  the same environment, `${globals:key, default}` from `globals.yml`,
  `${runtime_params:key, default}` (its default: a check has no runtime parameters).

Not resolved, and reported by the callers: custom resolvers and `oc.*` resolvers,
relative interpolations (`${.x}`), and settings.py's CONFIG_LOADER_ARGS (other patterns,
merge strategies or environments than Kedro's defaults).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.project.records import Location

CONF = "conf"
BASE_ENV = "base"
DEFAULT_ENV = "local"
SUFFIXES = (".yml", ".yaml", ".json")
# The file name prefix each config key's files start with (Kedro's default patterns).
PATTERN_PREFIX = {"catalog": "catalog", "parameters": "parameters"}
GLOBALS_FILE = "globals.yml"


class Unresolved(Exception):
    """Raised when a value's interpolation is one this module does not resolve."""


@dataclass(frozen=True)
class EnvConfig:
    """One environment's merged top-level entries (`_` keys included) and where each is."""

    values: dict[str, Any]
    locations: dict[str, Location]


@dataclass(frozen=True)
class ConfigView:
    """What Kedro would load for one key: entries by name, after the env merge, `_` keys
    dropped, each with its declaring location and the environment it came from."""

    values: dict[str, Any]
    locations: dict[str, Location]
    scopes: dict[str, EnvConfig]  # the environment each entry's interpolations resolve in


def run_environment(root: Path, env: str | None) -> str:
    """The environment merged over base: `env`, else `local` when it exists, else base."""
    conf = root / CONF
    if env is not None:
        if not (conf / env).is_dir():
            raise ProjectReadError(f"no environment {env!r}; create it or pick another",
                                   f"{CONF}/{env}")
        return env
    return DEFAULT_ENV if (conf / DEFAULT_ENV).is_dir() else BASE_ENV


def read_config(root: Path, key: str, env: str | None = None) -> ConfigView:
    """Kedro's config for `key` ("catalog", "parameters"); empty without conf/base."""
    if not (root / CONF / BASE_ENV).is_dir():
        return ConfigView({}, {}, {})
    envs = [BASE_ENV]
    run_env = run_environment(root, env)
    if run_env != BASE_ENV:
        envs.append(run_env)
    values: dict[str, Any] = {}
    locations: dict[str, Location] = {}
    scopes: dict[str, EnvConfig] = {}
    for name in envs:  # the run environment replaces base's entries, key by key
        config = read_env(root, name, config_files(root / CONF / name, PATTERN_PREFIX[key]))
        for entry, value in config.values.items():
            if not entry.startswith("_"):
                values[entry] = value
                locations[entry] = config.locations[entry]
                scopes[entry] = config
    return ConfigView(values, locations, scopes)


def read_globals(root: Path, env: str | None = None) -> EnvConfig:
    """`globals.yml` of base, updated by the run environment's (for `${globals:...}`),
    with where each top-level key is set."""
    values: dict[str, Any] = {}
    locations: dict[str, Location] = {}
    if not (root / CONF / BASE_ENV).is_dir():
        return EnvConfig(values, locations)
    for name in dict.fromkeys((BASE_ENV, run_environment(root, env))):
        path = root / CONF / name / GLOBALS_FILE
        if path.is_file():
            config = read_env(root, name, [path])
            values.update(config.values)
            locations.update(config.locations)
    return EnvConfig(values, locations)


def config_files(env_dir: Path, prefix: str) -> list[Path]:
    """The files of one environment Kedro reads for a key, sorted: `<prefix>*`,
    `<prefix>*/**` and `**/<prefix>*`, YAML or JSON, with no hidden part."""
    if not env_dir.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(env_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(folder, name)
            parts = path.relative_to(env_dir).parts
            if (name.startswith(".") or path.suffix not in SUFFIXES
                    or not (parts[0].startswith(prefix) or name.startswith(prefix))):
                continue
            found.append(path)
    return sorted(found)


def read_env(root: Path, env: str, files: Iterable[Path]) -> EnvConfig:
    """The files of one environment merged; a key in two files is refused, as Kedro does."""
    values: dict[str, Any] = {}
    locations: dict[str, Location] = {}
    for path in files:
        data, keys = load_yaml(root, path)
        for key, value in data.items():
            if key in locations and not key.startswith("_"):
                raise ProjectReadError(
                    f"`{key}` is also declared in {locations[key]}; Kedro refuses a key "
                    "declared twice in one environment: keep one", str(keys[key]),
                )
            values[key] = value
            locations[key] = keys[key]
    return EnvConfig(values, locations)


def load_yaml(root: Path, path: Path) -> tuple[dict[str, Any], dict[str, Location]]:
    """A config file's top-level mapping and the location of each of its keys."""
    # PyYAML (~15 ms) loads when config is read: a check that reads none never pays
    import yaml

    relative = relative_posix(root, path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise ProjectReadError(f"cannot be read ({reason}); fix the file", relative) from None
    loader = yaml_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        _refuse_duplicate_keys(node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
        problem = " ".join(str(exc.problem or exc.context or "").split())
        raise ProjectReadError(f"not valid YAML ({where}: {problem}); fix the syntax",
                               relative) from None
    except yaml.YAMLError as exc:
        raise ProjectReadError(f"not valid YAML ({' '.join(str(exc).split())}); fix the "
                               "syntax", relative) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ProjectReadError(
            f"holds a {type(data).__name__}, not a mapping of names to entries; fix the file",
            relative,
        )
    keys = {str(k.value): Location(relative, k.start_mark.line + 1, k.start_mark.column + 1)
            for k, _ in node.value}
    return {str(k): v for k, v in data.items()}, keys


@functools.cache
def yaml_loader() -> type:
    """PyYAML's safe loader as omegaconf configures it: the C loader when built, and no
    timestamps (a date-like string stays a string). Config files are read with it, and so
    is config text other modules parse."""
    # PyYAML (~15 ms) loads when config is read: a check that reads none never pays
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("KedroConfigLoader", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers
                if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return loader


def _refuse_duplicate_keys(node: Any) -> None:
    """omegaconf refuses a key repeated in one mapping; PyYAML would keep the last."""
    # PyYAML (~15 ms) loads when config is read: a check that reads none never pays
    import yaml

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.tag.endswith(":str"):
                    if key.value in seen:
                        raise yaml.constructor.ConstructorError(
                            "while constructing a mapping", current.start_mark,
                            f"found duplicate key {key.value}", key.start_mark)
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


# -- interpolation ---------------------------------------------------------------------------

_RESOLVER = re.compile(r"^\s*(?P<name>[A-Za-z_][\w.]*)\s*:(?P<args>.*)$", re.S)
_KEY = re.compile(r"^\s*(?P<key>[A-Za-z_][\w-]*(?:\.[A-Za-z_0-9][\w-]*)*)\s*$")


class Interpolation:
    """Resolves `${...}` in the values the rules need, within one environment's entries;
    `origin` says which key, set where, a value's start comes from."""

    def __init__(self, scope: Mapping[str, Any] | EnvConfig,
                 globals_: Mapping[str, Any] | EnvConfig, root: Path | None = None) -> None:
        self._scope_at = scope.locations if isinstance(scope, EnvConfig) else {}
        self._globals_at = globals_.locations if isinstance(globals_, EnvConfig) else {}
        self._scope = scope.values if isinstance(scope, EnvConfig) else scope
        self._globals = globals_.values if isinstance(globals_, EnvConfig) else globals_
        self._root = root

    def origin(self, value: Any, depth: int = 0) -> tuple[str, Location] | None:
        """The key whose value starts `value` through an interpolation at its start, and
        where that key is set: `${globals:data_root}/02_train/x.parquet` starts with
        `data_root` of the run environment's globals.yml (or base's). Followed through the
        key's own value (`${_root}/x` with `_root: ${globals:data_root}`); None when
        `value` starts with its own text, or with an interpolation's default."""
        if not isinstance(value, str) or depth > 20:
            return None
        spans = list(_interpolations(value))
        if not spans or spans[0][0] != 0:
            return None
        body = value[2:spans[0][1] - 1]
        resolver, plain = _RESOLVER.match(body), _KEY.match(body)
        if resolver and resolver["name"] == "globals" and resolver["args"].strip():
            try:
                key = str(self.resolve(_split_args(resolver["args"])[0], depth + 1))
            except Unresolved:
                return None
            table, locations = self._globals, self._globals_at
        elif plain and not resolver:
            key, table, locations = plain["key"], self._scope, self._scope_at
        else:
            return None
        found = _lookup(table, key)
        top = locations.get(key.split(".", 1)[0])
        if found is _MISSING or top is None:
            return None
        return self.origin(found, depth + 1) or (key, self._key_location(top, key))

    def _key_location(self, top: Location, key: str) -> Location:
        """Where a dotted key (`paths.data`) is set: its own line, within `top`'s file."""
        if "." not in key or self._root is None:
            return top
        # PyYAML (~15 ms) loads only when a dotted key's own line is asked for
        import yaml

        try:
            node = yaml.compose((self._root / top.path).read_text(encoding="utf-8"),
                                Loader=yaml_loader())
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return top
        found = top
        for part in key.split("."):
            if not isinstance(node, yaml.MappingNode):
                break
            match = next(((k, v) for k, v in node.value if str(k.value) == part), None)
            if match is None:
                break
            found = Location(top.path, match[0].start_mark.line + 1,
                             match[0].start_mark.column + 1)
            node = match[1]
        return found

    def resolve(self, value: Any, depth: int = 0) -> Any:
        """The value with its interpolations replaced; `Unresolved` names the first one
        this module does not resolve."""
        if not isinstance(value, str) or "${" not in value:
            return value
        if depth > 20:
            raise Unresolved(f"{value} (interpolation loop)")
        spans = list(_interpolations(value))
        if len(spans) == 1 and spans[0][0] == 0 and spans[0][1] == len(value):
            return self.resolve(self._one(value[2:-1], depth), depth + 1)
        out, last = [], 0
        for start, end in spans:
            out.append(value[last:start])
            out.append(str(self.resolve(self._one(value[start + 2:end - 1], depth), depth + 1)))
            last = end
        out.append(value[last:])
        return "".join(out).replace("\\${", "${")

    def _one(self, body: str, depth: int) -> Any:
        resolver = _RESOLVER.match(body)
        if resolver:
            name = resolver["name"]
            args = [self.resolve(arg, depth + 1) for arg in _split_args(resolver["args"])]
            if name in ("globals", "runtime_params") and args:
                if name == "globals":
                    found = _lookup(self._globals, str(args[0]))
                    if found is not _MISSING:
                        return self.resolve(found, depth + 1)
                if len(args) > 1:
                    return args[1]
            raise Unresolved(f"${{{body}}}")
        key = _KEY.match(body)
        if key:
            found = _lookup(self._scope, key["key"])
            if found is not _MISSING:
                return found
        raise Unresolved(f"${{{body}}}")


_MISSING = object()


def _lookup(config: Mapping[str, Any], dotted: str) -> Any:
    current: Any = config
    for part in dotted.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return _MISSING
        current = current[part]
    return current


def _interpolations(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of each top-level `${...}` (nesting allowed, `\\${` escaped)."""
    i = 0
    while True:
        start = text.find("${", i)
        if start == -1:
            return
        if start > 0 and text[start - 1] == "\\":
            i = start + 2
            continue
        depth, j = 0, start
        while j < len(text):
            if text.startswith("${", j):
                depth += 1
                j += 2
                continue
            if text[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if depth != 0:
            return
        yield start, j + 1
        i = j + 1


def _split_args(text: str) -> list[Any]:
    """A resolver's arguments: split on top-level commas, spaces around them removed. A
    quoted argument is a string; an unquoted one is typed as omegaconf's grammar types it
    (`true`, `null`, `3`, `0.5`), so `${runtime_params:versioned, false}` is False."""
    args: list[Any] = []
    depth, current, quote, quoted = 0, [], "", False
    for char in text:
        if quote:
            if char == quote:
                quote = ""
            else:
                current.append(char)
        elif char in "'\"":
            quote, quoted = char, True
        elif char == "," and depth == 0:
            args.append(_argument("".join(current).strip(), quoted))
            current, quoted = [], False
        else:
            depth += {"{": 1, "}": -1}.get(char, 0)
            current.append(char)
    if current or args:
        args.append(_argument("".join(current).strip(), quoted))
    return args


_INTEGER = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(?:\d+\.\d*|\.\d+|\d+(?:\.\d*)?[eE][+-]?\d+)$|^[+-]?(?:inf|nan)$",
                    re.IGNORECASE)


def _argument(text: str, quoted: bool) -> Any:
    """An unquoted resolver argument as the value omegaconf reads it; quoted: the text."""
    if quoted or "${" in text:
        return text
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if _INTEGER.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def relative_posix(root: Path, path: Path) -> str:
    """`path` relative to `root`, normalised, with forward slashes (`../x` when outside)."""
    return PurePosixPath(Path(os.path.relpath(os.path.normpath(path), root))).as_posix()


__all__ = [
    "CONF", "BASE_ENV", "DEFAULT_ENV", "Unresolved", "EnvConfig", "ConfigView",
    "Interpolation", "run_environment", "read_config", "read_globals", "config_files",
    "read_env", "load_yaml", "yaml_loader",
]

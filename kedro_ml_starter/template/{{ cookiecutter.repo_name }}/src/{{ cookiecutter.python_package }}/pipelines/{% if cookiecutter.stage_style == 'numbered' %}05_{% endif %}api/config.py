"""The `serving:` settings of conf/base/parameters_api.yml, checked once.

A wrong value is reported as one line naming the key, before the server starts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

SOURCE = "conf/base/parameters_api.yml"


class ServingConfigError(ValueError):
    """Raised when a `serving:` setting has the wrong type or is out of range."""


@dataclass(frozen=True)
class ServingConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    max_batch_size: int = 256
    probability_decimals: int = 6
    access_log: bool = True

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> ServingConfig:
        """The settings under `serving:` (missing keys take the defaults above)."""
        section = params.get("serving") or {}
        if not isinstance(section, dict):
            raise ServingConfigError(f"`serving` in {SOURCE} must be a mapping of settings")
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(section) - set(known))
        if unknown:
            raise ServingConfigError(
                f"unknown setting `serving.{unknown[0]}` in {SOURCE}; known: {', '.join(known)}"
            )
        config = cls(**section)
        config.check()
        return config

    def check(self) -> None:
        for name, kind in (("host", str), ("access_log", bool)):
            if not isinstance(getattr(self, name), kind):
                raise ServingConfigError(f"`serving.{name}` in {SOURCE} must be a {kind.__name__}")
        for name, low, high in (("port", 1, 65535), ("workers", 1, 64),
                                ("max_batch_size", 1, 100_000), ("probability_decimals", 0, 15)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ServingConfigError(
                    f"`serving.{name}` in {SOURCE} must be a whole number from {low} to {high}, "
                    f"got {value!r}"
                )

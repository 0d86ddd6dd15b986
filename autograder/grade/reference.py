"""The reference solutions as the suites see them: results cached across submissions."""

from __future__ import annotations

import copy
from types import ModuleType
from typing import ClassVar

from autograder.suite.plugin import cache_key


class CachedReference:
    """Calls the reference module's functions, remembering results by their inputs.

    Every submission is graded on the same seeded inputs, so a class pays for each reference
    result once. Results are returned as deep copies, so a test cannot spoil the cache.
    """

    _cache: ClassVar[dict[str, object]] = {}

    def __init__(self, module: ModuleType) -> None:
        self._module = module

    def __getattr__(self, name: str):
        target = getattr(self._module, name)
        if not callable(target):
            return target

        def call(*args: object, **kwargs: object) -> object:
            key = cache_key(self._module.__name__, name, list(args), kwargs)
            if key is None:  # an argument that is not plain data, such as a live Generator
                return target(*args, **kwargs)
            if key not in self._cache:
                self._cache[key] = target(*args, **kwargs)
            return copy.deepcopy(self._cache[key])

        return call

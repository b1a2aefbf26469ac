"""The fence around WeasyPrint's private functions: refuse, at import, a WeasyPrint whose
functions no longer take the parameters factsheets passes."""

from __future__ import annotations

import inspect
from types import ModuleType

SUPPORTED = "WeasyPrint 70 (weasyprint>=70,<71)"


class UnsupportedWeasyPrint(ImportError):
    """The installed WeasyPrint's private functions are not those factsheets relies on."""


def check_private(module: ModuleType, expected: dict[str, tuple[str, ...]], user: str,
                  version: str) -> None:
    """Raise `UnsupportedWeasyPrint`, naming `user` (the part of factsheets that relies on
    them), unless each function of `module` named in `expected` takes those parameters."""
    for name, parameters in expected.items():
        function = getattr(module, name, None)
        found = tuple(inspect.signature(function).parameters) if callable(function) else None
        if found != parameters:
            what = f"takes ({', '.join(found)})" if found is not None else "is missing"
            raise UnsupportedWeasyPrint(
                f"factsheets' {user} supports {SUPPORTED} only: in WeasyPrint {version}, "
                f"{module.__name__}.{name} {what} instead of ({', '.join(parameters)}); "
                "install a supported WeasyPrint: pip install 'weasyprint>=70,<71'")

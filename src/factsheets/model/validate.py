"""Turn sheet files into validated `Sheet` objects, collecting every located problem."""

from __future__ import annotations

import difflib
import errno
import functools
import io
import os
import re
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from stat import S_ISREG
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..config import Config, Limits
from ..errors import FactsheetsError, Problem, SheetError, UnsafeFile
from ..files import kind, read_bounded
from .figures import svg_problem
from .schema import (
    RESERVED_SLUG,
    SLUG,
    Contact,
    Figure,
    Reference,
    Section,
    Sheet,
    Term,
    Tips,
)
from .sources import Document, problem_at, read_yaml, shorten

FIGURE_TYPES = (".svg", ".png", ".jpg", ".jpeg")
PATTERN_HINTS = {
    "id": "use lower-case letters, digits and hyphens, e.g. camera-phones",
    "after": "use the id of a section, e.g. what-it-is",
    "phone": "write digits, spaces and hyphens only, e.g. 1-866-658-9022",
    "url": "write a full address starting with https://",
    "language": "write a two-letter code such as en or fr",
}


M = TypeVar("M", bound=BaseModel)

@dataclass(frozen=True)
class LoadedSheet:
    """A valid sheet with the file it came from and the positions of its fields."""

    sheet: Sheet
    path: Path
    document: Document


def load_sheets(config: Config, paths: list[Path]) -> tuple[list[LoadedSheet], list[Problem]]:
    """Load every sheet, returning the valid ones and the problems of all the others."""
    loaded: list[LoadedSheet] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append(load_sheet(config, path))
        except FactsheetsError as exc:
            problems.extend(exc.problems)
    return loaded, problems


PARALLEL_FROM = 200
"""From this many sheets, `check_sheets` shares them among processes."""


def check_sheets(config: Config, paths: list[Path],
                 jobs: int = 1) -> tuple[list[str], list[Problem]]:
    """The ids of the valid sheets and the problems of the others, as `load_sheets` finds
    them, in file order; many sheets are checked in `jobs` forked processes, which send back
    only ids and problems (`factsheets validate` on a large project)."""
    check = functools.partial(_check_one, config)
    if jobs < 2 or len(paths) < PARALLEL_FROM or "fork" not in get_all_start_methods():
        return _gather(list(map(check, paths)))
    with ProcessPoolExecutor(jobs, get_context("fork")) as pool:
        return _gather(list(pool.map(check, paths, chunksize=-(-len(paths) // (4 * jobs)))))


def _check_one(config: Config, path: Path) -> tuple[str | None, list[Problem]]:
    try:
        return load_sheet(config, path).sheet.id, []
    except FactsheetsError as exc:
        return None, list(exc.problems)


def _gather(checked: list[tuple[str | None, list[Problem]]]) -> tuple[list[str], list[Problem]]:
    return ([sheet_id for sheet_id, _ in checked if sheet_id is not None],
            [problem for _, problems in checked for problem in problems])


def load_sheet(config: Config, path: Path) -> LoadedSheet:
    """Read, validate and cross-check one sheet; raise `SheetError` with all its problems."""
    document = read_content(config, path, "sheet", "start with `id:`, see `factsheets new`")
    sheet = validate_model(Sheet, document.data, document, path)
    problems = file_name_problems(document, path) + cross_check(config, sheet, path, document)
    if problems:
        raise SheetError(problems)
    return LoadedSheet(sheet, path, document)


def read_content(config: Config, path: Path, what: str, hint: str) -> Document:
    """A content file (a sheet, page or news item) in the project, read as a mapping."""
    if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(config.root):
        shown = Path(config.display(path.parent)) / path.name
        raise SheetError.at(shown, f"the {what} is a link to a file outside the project",
                            hint=f"copy the {what} into {config.display(path.parent)}/ instead")
    document = read_yaml(path, config.display(path), config.limits)
    if not isinstance(document.data, dict):
        raise SheetError([problem_at(document, (), f"a {what} must be a mapping of fields",
                                     hint)])
    return document


def validate_model(model: type[M], data: dict[str, Any], document: Document, path: Path) -> M:
    """`data` as a `model`; or every located problem, the file name's too, as a `SheetError`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = pydantic_problems(document, exc) + file_name_problems(document, path)
        raise SheetError(sorted(problems, key=lambda p: p.location)) from None


def pydantic_problems(document: Document, exc: ValidationError) -> list[Problem]:
    """Locate each pydantic error in the YAML and phrase it for a researcher."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        message, hint = _phrase(error, document, loc)
        problems.append(problem_at(document, loc, message, hint))
    return sorted(problems, key=lambda p: (p.location.line, p.location.column))


def _phrase(error: Any, document: Document, loc: tuple[Any, ...]) -> tuple[str, str]:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown field {loc[-1]!r}", _suggest(str(loc[-1]), _known_fields(loc))
    if kind == "missing":
        return "this required field is missing", ""
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "string_type" and isinstance(error.get("input"), (bool, int, float)):
        return message, "put the value in quotes, e.g. \"no\" or \"1.0\""
    if kind == "string_type" and isinstance(error.get("input"), dict) \
            and len(error["input"]) == 1:
        (key, value), = error["input"].items()
        text = shorten(f"{key}: {value}", 40, quote=False)
        return ("this text was read as a field and its value: a colon followed by a space "
                "does that in YAML", f"put the whole text in quotes: \"{text}\"")
    if kind == "string_pattern_mismatch" and loc and loc[-1] in PATTERN_HINTS:
        return "this value is not in the expected form", PATTERN_HINTS[str(loc[-1])]
    return message, ""


def _known_fields(loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at the mapping that holds `loc`."""
    owners: dict[str, type[BaseModel]] = {
        "sections": Section, "tips": Tips, "glossary": Term, "contacts": Contact,
        "figures": Figure, "references": Reference}
    model = owners.get(str(loc[0]), Sheet) if len(loc) > 1 else Sheet
    return list(model.model_fields)


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "allowed here: " + ", ".join(choices)


def file_name_problems(document: Document, path: Path) -> list[Problem]:
    """A well-formed id must equal the file name (checked even when other fields fail)."""
    sheet_id = document.data.get("id")
    if not isinstance(sheet_id, str) or not re.fullmatch(SLUG, sheet_id) or sheet_id == path.stem:
        return []
    return [problem_at(document, ("id",), f"id {sheet_id!r} differs from the file name "
                       f"{path.stem!r}", f"rename the file to {sheet_id}.yaml or change the id")]


def cross_check(config: Config, sheet: Sheet, path: Path, document: Document) -> list[Problem]:
    """Checks that span fields or need the project: id, language, dates, figures."""
    problems: list[Problem] = []

    def at(field: tuple[str | int, ...], message: str, hint: str = "") -> None:
        problems.append(problem_at(document, field, message, hint))

    if RESERVED_SLUG.fullmatch(sheet.id):
        at(("id",), f"the id {sheet.id!r} is reserved: the site's own pages use that name",
           "choose another id")
    if sheet.language not in config.languages:
        at(("language",), f"language {sheet.language!r} is not one of the project's "
           f"languages", "use " + " or ".join(config.languages))
    if sheet.status == "unavailable" and not sheet.unavailable_reason:
        at(("status",), "an unavailable sheet needs unavailable_reason, which readers will see")
    if sheet.last_reviewed < sheet.first_published:
        at(("last_reviewed",), "last_reviewed is earlier than first_published")
    section_ids = {s.id for s in sheet.sections}
    if len(sheet.figures) > config.limits.figures_per_sheet:
        at(("figures",), f"more than {config.limits.figures_per_sheet} figures")
    for i, figure in enumerate(sheet.figures):
        if figure.after not in section_ids:
            at(("figures", i, "after"), f"no section has the id {figure.after!r}",
               _suggest(figure.after, sorted(section_ids)))
        message = check_figure_path(config, figure.src)
        if message:
            at(("figures", i, "src"), message)
    return problems


def check_figure_path(config: Config, src: str) -> str:
    """Why a figure path is not acceptable, or '' when it is."""
    if "://" in src or src.startswith(("/", "\\", "data:")):
        return "a figure must be a file under sheets/figures/, given as a relative path"
    if any(folder.is_symlink() for folder in (config.sheets_dir, config.figures_dir)):
        return "sheets/figures/ is a symbolic link; figures must be files of the project"
    target = Path(os.path.realpath(config.sheets_dir / src))
    if not target.is_relative_to(config.figures_dir):
        return f"{src!r} is outside sheets/figures/, where figures must be"
    if target.suffix.lower() not in FIGURE_TYPES:
        return f"figures must be {', '.join(FIGURE_TYPES)} files"
    try:
        stat = os.stat(target)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{src!r} is a symbolic link loop"
        return f"{src!r} does not exist under sheets/"
    if not S_ISREG(stat.st_mode):
        return f"{src!r} is {kind(stat.st_mode)}, not a figure file"
    if stat.st_size > config.limits.figure_bytes:
        return (f"{src!r} is {stat.st_size:,} bytes, over the limit of "
                f"{config.limits.figure_bytes:,}")
    return _content_problem(target, src, config.limits, (stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=1024)
def _content_problem(target: Path, src: str, limits: Limits, version: tuple[int, int]) -> str:
    """What is wrong inside a figure file, read once per version (sheets share figures)."""
    try:
        data = read_bounded(target, limits.figure_bytes)
    except UnsafeFile as exc:
        return f"{src!r}: {exc.problems[0].message}"
    if target.suffix.lower() == ".svg":
        return svg_problem(data, limits)
    return raster_problem(data, target.suffix, src, limits.figure_pixels)


def raster_problem(data: bytes, suffix: str, src: str, max_pixels: int) -> str:
    """Why a PNG or JPEG figure is unusable: not what its name says, too many pixels, cut short."""
    expected = "PNG" if suffix.lower() == ".png" else "JPEG"
    kind, pixels = _image_facts(data)
    if kind == "bomb":
        return f"{src!r} has far more pixels than the limit of {max_pixels:,}"
    if kind != expected:
        return f"{src!r} is not a {expected} image"
    if pixels > max_pixels:
        return f"{src!r} has {pixels:,} pixels, over the limit of {max_pixels:,}"
    if not _complete(data, kind):
        return f"{src!r} is cut short (the file ends before the image does)"
    return ""


def _image_facts(data: bytes) -> tuple[str | None, int]:
    """An image's format and pixel count, from its header only (format None if unreadable)."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                return image.format, image.width * image.height
        except Image.DecompressionBombError:
            return "bomb", 0
        except (UnidentifiedImageError, OSError):
            return None, 0


def _complete(data: bytes, kind: str) -> bool:
    """Whether a PNG ends with its IEND chunk and its chunks' checksums hold, or a JPEG
    has its end-of-image marker (cheap: no pixel is decoded)."""
    if kind == "JPEG":
        return b"\xff\xd9" in data[-1024:]
    if not data.rstrip(b"\0").endswith(b"IEND\xaeB`\x82"):
        return False
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError):
        return False
    return True

"""Read sheet YAML safely into plain data, keeping the line and column of every value."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..config import Limits
from ..errors import CONTROL, Location, Problem, SheetError, UnsafeFile
from ..files import read_bounded

try:  # libyaml is much faster; the pure-Python loader gives the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
STR_TAG = "tag:yaml.org,2002:str"
SAFE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its data, where each value (by field path) stood, and its text.

    The text is kept so that nothing reads a sheet twice: finding the line of a paragraph
    inside a block (`i18n`, `quality`) looks here, not at the file.
    """

    path: str
    data: Any
    positions: dict[Path_, tuple[int, int]]
    text: str

    def locate(self, field_path: Path_) -> Location:
        """The location of a field path, or of its nearest ancestor that exists."""
        for end in range(len(field_path), -1, -1):
            pos = self.positions.get(tuple(field_path[:end]))
            if pos:
                return Location(self.path, pos[0], pos[1], dotted(field_path))
        return Location(self.path, 1, 1, dotted(field_path))


def dotted(field_path: Path_) -> str:
    """`('sections', 2, 'body')` -> `sections[2].body`."""
    text = ""
    for part in field_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def shorten(text: str, most: int = 80, *, quote: bool = True) -> str:
    """Text as a message quotes it: at most `most` characters (a 4,500-digit number is cut)."""
    cut = text if len(text) <= most else text[: most - 1] + "…"
    return repr(cut) if quote else cut


def find_sheets(sheets_dir: Path) -> list[Path]:
    """Every sheet file in the sheets folder, sorted by name (links and special files too,
    so that reading them gives a located error). A missing or linked folder is an error:
    a build from no sheets would unpublish every page."""
    if sheets_dir.is_symlink() or not sheets_dir.is_dir():
        what = "is a symbolic link" if sheets_dir.is_symlink() else "was not found"
        raise SheetError.at(f"{sheets_dir.name}/", f"the sheets folder {what}",
                            hint="the project needs a sheets/ folder of its own")
    return sorted(p for p in sheets_dir.glob("*.yaml") if not p.is_dir())


def read_yaml(path: Path, display: str, limits: Limits) -> Document:
    """Read one YAML file, refusing what is unsafe, oversized or not UTF-8."""
    try:
        raw = read_bounded(path, limits.sheet_bytes, shown=display,
                           hint="split it, or raise limits.sheet_bytes")
    except UnsafeFile as exc:
        raise SheetError(exc.problems) from None
    return parse_yaml(decode(raw, display), display, limits)


def decode(raw: bytes, display: str) -> str:
    """Decode UTF-8 (a leading BOM is dropped), naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SheetError.at(display, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                            line=line, column=column,
                            hint="save the file as UTF-8") from None


def parse_yaml(text: str, display: str, limits: Limits) -> Document:
    """Compose YAML into nodes (no object is built from tags), then into plain data."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, display) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise SheetError.at(display, f"character U+{_codepoint(exc.character):04X} is not allowed "
                            "in YAML", line=line, column=column,
                            hint="remove control characters from the file") from None
    except RecursionError:
        raise SheetError.at(display, "nesting is too deep") from None
    if node is None:
        raise SheetError.at(display, "the file is empty", line=1, column=1,
                            hint="run `factsheets new SLUG` for a skeleton")
    builder = _Builder(display, limits)
    data = builder.build(node, (), 0)
    return Document(display, data, builder.positions, text)


def _codepoint(character: str | int) -> int:
    """libyaml reports the offending character as an int, PyYAML as a str."""
    return character if isinstance(character, int) else ord(character)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, display: str) -> SheetError:
    """Turn a YAML parser error into a located, plain-language one."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = exc.problem or "invalid YAML"
    hint = ""
    if mark and text[mark.index: mark.index + 1] == "\t":
        problem, hint = "a tab character is used for indentation", "indent with spaces"
    elif "could not find expected ':'" in problem or "mapping values" in problem:
        hint = "check the indentation and that every key ends with ':'"
    return SheetError.at(display, f"YAML syntax error: {problem}", line=line,
                         column=column, hint=hint)


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, bounding size and depth."""

    def __init__(self, display: str, limits: Limits) -> None:
        self.display = display
        self.limits = limits
        self.count = 0
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: Node, message: str, path: Path_, hint: str = "") -> SheetError:
        mark = node.start_mark
        return SheetError.at(self.display, message, line=mark.line + 1,
                             column=mark.column + 1, field=dotted(path), hint=hint)

    def build(self, node: Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > self.limits.yaml_nodes:
            raise self.fail(node, f"the file expands to more than {self.limits.yaml_nodes:,} "
                            "values", (), hint="use fewer aliases (*name) or split the sheet")
        if depth > self.limits.yaml_depth:
            raise self.fail(node, "nesting is too deep", path)
        if node.tag not in SAFE_TAGS:
            raise self.fail(node, f"the tag {node.tag!r} is not allowed", path,
                            hint="sheets hold plain text, numbers, dates, lists and mappings")
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(cast(ScalarNode, node), path)

    def mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys (<<) are not allowed", path,
                                hint="write each field out in full")
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "keys must be plain names", path)
            key = self.name(key_node, str(key_node.value), path)
            if key in result:
                first = self.positions[(*path, key)][0]
                raise self.fail(key_node, f"duplicate key {key!r}", (*path, key),
                                hint=f"it was first given on line {first}")
            self.positions[(*path, key)] = (key_node.start_mark.line + 1,
                                            key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def scalar(self, node: ScalarNode, path: Path_) -> Any:
        try:
            value = (node.value if node.tag == STR_TAG
                     else self.constructor.construct_object(node, deep=True))
        except (ValueError, yaml.YAMLError) as exc:
            raise self.fail(node, f"{shorten(node.value)} is not a valid value: "
                            f"{shorten(str(exc), 200, quote=False)}", path,
                            hint="write dates as YYYY-MM-DD") from None
        except (AttributeError, KeyError, TypeError, OverflowError):  # `!!bool maybe`
            kind = node.tag.rsplit(":", 1)[-1]
            raise self.fail(node, f"{shorten(node.value)} is not a valid {kind}", path,
                            hint="remove the explicit !!tag, or give a value of that type"
                            ) from None
        if isinstance(value, str):
            self.plain(node, value, path)
        if isinstance(value, str) and len(value) > self.limits.string_chars:
            raise self.fail(node, f"text is {len(value):,} characters, over the limit of "
                            f"{self.limits.string_chars:,}", path)
        if isinstance(value, dt.datetime):
            return value.date() if value.time() == dt.time() else value
        return value

    def name(self, node: Node, key: str, path: Path_) -> str:
        """A key: plain text with no invisible (format) character such as U+200B or U+202E."""
        hidden = next((c for c in key if unicodedata.category(c) == "Cf"), None)
        if hidden:
            raise self.fail(node, f"the key {key!r} holds the invisible character "
                            f"U+{ord(hidden):04X}", path, hint="retype the key")
        return self.plain(node, key, path)

    def plain(self, node: Node, text: str, path: Path_) -> str:
        """Refuse control characters: invisible in an editor, harmful in a page or a terminal."""
        found = CONTROL.search(text)
        if found:
            raise self.fail(node, f"character U+{ord(found.group()):04X} is not allowed in text",
                            path, hint="remove the escape sequence that writes it")
        return text


def strings(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every text in parsed YAML data, with the field path it is at."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, (*path, index))
    elif isinstance(data, str):
        yield path, data


def problem_at(document: Document, field_path: Path_, message: str, hint: str = "") -> Problem:
    """A problem located at a field of a parsed document."""
    return Problem(document.locate(field_path), message, hint)

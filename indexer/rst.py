"""reStructuredText posts (Pelican, Nikola) → metadata, title and an HTML body; never raises."""

from __future__ import annotations

import copy
import html
import re
import textwrap
import threading
from dataclasses import dataclass, field
from functools import cache

from docutils import frontend, io, nodes, utils
from docutils.core import Publisher
from docutils.parsers import rst
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.languages import en
from docutils.readers import standalone
from docutils.transforms import Transform
from docutils.writers import html5_polyglot

# `.. key: value` (Nikola); not `.. name:: arg` (a directive) nor `.. _target: url`.
_META_LINE = re.compile(r"[ \t]*\.\.[ \t]+([A-Za-z][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
# Nikola before v7: a `.meta` sidecar held bare values, one a line, in this order.
_OLD_SIDECAR_KEYS = ("title", "slug", "date", "tags", "link", "description", "type")
# docutils' `simplename`: words joined by single `-._+:` characters, no leading/trailing `_`.
_NAME = r"(?:(?!_)\w)+(?:[-._+:](?:(?!_)\w)+)*"
_DIRECTIVE = re.compile(rf"\.\.[ \t]+(?:\|[^|\n]+\|[ \t]+)?({_NAME})[ \t]?::")
_ROLE = re.compile(rf":({_NAME}):`|`:({_NAME}):")
_DIRECTIVE_HEAD = re.compile(rf"[ \t]*\.\.[ \t]+(?:\|[^|\n]+\|[ \t]+)?({_NAME})[ \t]?::(.*)")
_OPTION_LINE = re.compile(r"[ \t]+:[^:\n]+:(?:[ \t].*)?$")
_TARGET_TEXT = re.compile(r"`?(.*?)(?:\s*<[^<>]*>)?`?__?", re.DOTALL)
_ROLE_TEXT = re.compile(r"(.*?)\s*<[^<>]*>", re.DOTALL)
# Content of these is code (a `<pre>`); their argument is a language or a file name.
_CODE_DIRECTIVES = {"code", "code-block", "sourcecode", "listing", "literalinclude", "highlight",
                    "ipython", "doctest", "testcode", "testoutput", "jupyter-execute", "code-cell",
                    "graphviz", "mermaid", "plantuml", "uml"}
# Replaced even though docutils (or Sphinx) has them: Sphinx's options must not lose the code.
_OVERRIDDEN = ("code", "code-block", "sourcecode")
# Their argument is an id, a URL, a file or class names: only their content (a caption) is text.
_EMBED_DIRECTIVES = {"youtube", "vimeo", "soundcloud", "media", "gist", "thumbnail", "chart", "image",
                     "figure", "post-list", "slides", "only", "ifconfig", "index", "toctree", "class",
                     "raw", "include", "role", "default-role"}
# Beyond these, docutils gives up (its own line limit is 10 000) or recurses for seconds before
# failing: such a post is read as plain text.
LINE_LENGTH_LIMIT = 100_000
MAX_INDENT_LEVELS = 100
_SETTINGS = {
    "report_level": 5,          # nothing written anywhere, no system messages in the output
    "halt_level": 5,            # never raise on bad markup
    "warning_stream": False,
    "file_insertion_enabled": False,  # `include`, `raw :file:`, `csv-table :url:`: no I/O
    "raw_enabled": True,        # raw HTML is only read for its text
    "embed_stylesheet": False,
    "syntax_highlight": "none",
    "math_output": "latex",     # formulas stay as their source text
    "line_length_limit": LINE_LENGTH_LIMIT,
    "input_encoding": "unicode",
    "output_encoding": "unicode",
    "traceback": True,          # exceptions reach read_rst, which falls back to plain text
}
_registry_lock = threading.Lock()
_looked_up: set[tuple[str, str]] = set()


@dataclass
class RstDocument:
    """A reST post: metadata (lower-case keys), its title, the body as HTML (title excluded)."""

    metadata: dict[str, str]
    title: str
    html: str
    warnings: list[str] = field(default_factory=list)


def _parse_meta_lines(lines: list[str]) -> tuple[dict[str, str], int]:
    """Leading `.. key: value` lines (indented lines continue a value) → (metadata, lines used)."""
    metadata: dict[str, str] = {}
    key = ""
    used = 0
    for line in lines:
        match = _META_LINE.match(line)
        if match:
            key = match.group(1).lower()
            metadata[key] = match.group(2) or ""
        elif key and line[:1] in (" ", "\t") and line.strip():
            metadata[key] = f"{metadata[key]} {line.strip()}".strip()
        else:
            break
        used += 1
    return metadata, used


def nikola_comment_metadata(text: str) -> tuple[dict[str, str], str]:
    """Nikola's `.. key: value` comment lines at the top of a file → (metadata, rest of text).

    Also reads the Markdown form, the same lines inside an HTML comment (``<!-- ... -->``).
    Text without such lines comes back unchanged with empty metadata.
    """
    start = len(text) - len(text.lstrip())
    if text.startswith("<!--", start):
        end = text.find("-->", start)
        if end < 0:
            return {}, text
        lines = text[start + 4:end].strip().splitlines()
        metadata = {k: v for line in lines if (m := _META_LINE.match(line))
                    for k, v in [(m.group(1).lower(), m.group(2) or "")]}
        return (metadata, text[end + 3:].lstrip("\r\n")) if metadata else ({}, text)
    lines = text[start:].splitlines(keepends=True)
    metadata, used = _parse_meta_lines([line.rstrip("\r\n") for line in lines])
    if not metadata:
        return {}, text
    return metadata, "".join(lines[used:])


def sidecar_metadata(text: str) -> dict[str, str]:
    """Metadata of a Nikola ``.meta`` file: ``.. key: value`` lines, or (before Nikola 7) bare
    values one a line in the order title, slug, date, tags, link, description, type."""
    lines = text.splitlines()
    metadata = {m.group(1).lower(): m.group(2) or "" for line in lines if (m := _META_LINE.match(line))}
    if metadata:
        return metadata
    return {key: line.strip() for key, line in zip(_OLD_SIDECAR_KEYS, lines, strict=False)}


class _AnyOption(dict):
    """An option spec accepting every option (unknown directives' options are ignored)."""

    def __missing__(self, key: str) -> object:
        return directives.unchanged


class _Lenient(Directive):
    """Stand-in for directives docutils does not know: code stays code, the rest becomes text."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption(name=directives.unchanged)  # non-empty, or docutils reads no options
    has_content = True

    def run(self) -> list[nodes.Node]:
        if self.name in _CODE_DIRECTIVES:
            code = "\n".join(self.content)
            return [nodes.literal_block(code, code)] if code.strip() else []
        result: list[nodes.Node] = []
        if self.arguments and self.name not in _EMBED_DIRECTIVES:
            inline, messages = self.state.inline_text(self.arguments[0], self.lineno)
            result.append(nodes.paragraph(self.arguments[0], "", *inline))
            result.extend(messages)
        if self.content:
            box = nodes.container()
            self.state.nested_parse(self.content, self.content_offset, box)
            result.append(box)
        return result


def _lenient_role(name: str, rawtext: str, text: str, lineno: int, inliner: object,
                  options: dict | None = None, content: list | None = None) -> tuple[list, list]:
    """Stand-in for roles docutils does not know: ``:doc:`Título <path>``` → ``Título``."""
    text = utils.unescape(text)
    match = _ROLE_TEXT.fullmatch(text)
    return [nodes.inline(rawtext, (match.group(1) if match else text).lstrip("~!"))], []


def _register_fallbacks(source: str, document: nodes.document) -> None:
    """Register `_Lenient` / `_lenient_role` for the directive and role names docutils lacks.

    docutils keeps them in process-wide registries, so this runs under a lock, once a name.
    """
    found = {("directive", m.group(1).lower()) for m in _DIRECTIVE.finditer(source)}
    found |= {("role", (m.group(1) or m.group(2)).lower()) for m in _ROLE.finditer(source)}
    with _registry_lock:
        for name in _OVERRIDDEN:
            directives.register_directive(name, _Lenient)
        for kind, name in found - _looked_up:
            if kind == "directive":
                if directives.directive(name, en, document)[0] is None:
                    directives.register_directive(name, _Lenient)
            elif roles.role(name, en, 0, document.reporter)[0] is None:
                roles.register_local_role(name, _lenient_role)
            _looked_up.add((kind, name))


def _salvage(block: str) -> list[nodes.Node]:
    """Readable nodes for markup docutils rejected (a failed directive, a malformed table)."""
    head = _DIRECTIVE_HEAD.match(block)
    if not head:
        return [nodes.paragraph(block, block)]
    name = head.group(1).lower()
    lines = block.splitlines()[1:]
    while lines and _OPTION_LINE.match(lines[0]):
        lines.pop(0)
    content = textwrap.dedent("\n".join(lines)).strip("\n")
    if name in _CODE_DIRECTIVES:
        return [nodes.literal_block(content, content)] if content.strip() else []
    argument = "" if name in _EMBED_DIRECTIVES else head.group(2).strip()
    text = "\n".join(filter(None, (argument, content)))
    return [nodes.paragraph(text, text)] if text else []


class _Tidy(Transform):
    """Before docutils drops its messages: keep the text of rejected markup, unwrap unresolved
    references (`` `texto`_ `` → ``texto``), remove generated tables of contents and image
    scales (the writer would look for the image file to measure it)."""

    default_priority = 850  # after `contents` (720), before FilterMessages (870)

    def apply(self) -> None:
        for message in tuple(self.document.findall(nodes.system_message)):
            block = message.next_node(nodes.literal_block)
            if message["level"] >= 3 and block is not None and message.parent is not None:
                message.parent.replace(message, _salvage(block.astext()))
        for node in tuple(self.document.findall(nodes.problematic)):
            text = node.astext()
            match = _TARGET_TEXT.fullmatch(text) if text.endswith("_") else None
            node.parent.replace(node, nodes.Text(match.group(1) if match else text))
        for topic in tuple(self.document.findall(nodes.topic)):
            if "contents" in topic["classes"]:
                topic.parent.remove(topic)
        for image in self.document.findall(nodes.image):
            image.attributes.pop("scale", None)


class _Parser(rst.Parser):
    """The reST parser, plus lenient fallbacks, `_Tidy`, and the messages it reported."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[nodes.system_message] = []

    def get_transforms(self) -> list[type[Transform]]:
        return [*super().get_transforms(), _Tidy]

    def parse(self, inputstring: str, document: nodes.document) -> None:
        document.reporter.attach_observer(self.messages.append)
        _register_fallbacks(inputstring, document)
        super().parse(inputstring, document)


@cache
def _default_settings() -> frontend.Values:
    """docutils settings for our components, built once (no config files are read)."""
    settings = frontend.get_default_settings(standalone.Reader, rst.Parser, html5_polyglot.Writer)
    for name, value in _SETTINGS.items():
        setattr(settings, name, value)
    return settings


def _warning_text(message: nodes.system_message) -> str:
    first = message.children[0].astext() if message.children else message.astext()
    text = " ".join(first.split())
    return f"line {message['line']}: {text}" if message.get("line") else text


def _docinfo(document: nodes.document) -> dict[str, str]:
    """Bibliographic fields (``:date:``, ``:tags:``, ...) the way Pelican reads them."""
    metadata: dict[str, str] = {}
    for docinfo in document.findall(nodes.docinfo):
        for element in docinfo.children:
            if isinstance(element, nodes.field):
                name, value = element[0].astext(), element[1].astext()
            elif isinstance(element, nodes.authors):
                name, value = "authors", ", ".join(author.astext() for author in element.children)
            else:
                name, value = element.tagname, element.astext()
            metadata[name.strip().lower()] = " ".join(value.split())
    return metadata


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _too_hard(source: str) -> str:
    """Why docutils should not try ``source`` ("" when it can)."""
    indents: set[int] = set()
    for number, line in enumerate(source.splitlines(), 1):
        if len(line) > LINE_LENGTH_LIMIT:
            return f"line {number} is longer than {LINE_LENGTH_LIMIT} characters"
        if line[:1] in (" ", "\t") and line.strip():
            expanded = line.expandtabs(8)
            indents.add(len(expanded) - len(expanded.lstrip()))
    if len(indents) > MAX_INDENT_LEVELS:
        return f"more than {MAX_INDENT_LEVELS} indentation levels"
    return ""


def _plain(text: str, metadata: dict[str, str], reason: str) -> RstDocument:
    paragraphs = (part.strip() for part in re.split(r"\n[ \t]*\n", text))
    markup = "".join(f"<p>{html.escape(part)}</p>\n" for part in paragraphs if part)
    return RstDocument(metadata, metadata.get("title", ""), markup,
                       [f"reStructuredText not parsed ({reason}); indexed as plain text"])


def read_rst(text: str) -> RstDocument:
    """Metadata (Nikola comments, then docinfo fields, then the document title), title and HTML
    body of a reST post. Unknown directives and roles keep their text; never raises."""
    nikola, rest = nikola_comment_metadata(text)
    # Blank lines where the metadata was, so docutils' line numbers match the file's.
    source = "\n" * text[: len(text) - len(rest)].count("\n") + rest
    reason = _too_hard(source)
    if reason:
        return _plain(rest, nikola, reason)
    parser = _Parser()
    # A copy: transforms may change settings (`sectnum` does) for their own document only.
    settings = copy.copy(_default_settings())
    settings.record_dependencies = utils.DependencyList()
    publisher = Publisher(standalone.Reader(parser), parser, html5_polyglot.Writer(),
                          source_class=io.StringInput, destination_class=io.StringOutput,
                          settings=settings)
    try:
        publisher.set_source(source)
        publisher.set_destination()
        publisher.publish()
    except Exception as exc:  # docutils on pathological input: the post still counts
        return _plain(rest, nikola, f"{type(exc).__name__}: {exc}")
    parts = publisher.writer.parts
    document = publisher.document
    doc_title = " ".join(document.get("title", "").split())
    metadata = {**_docinfo(document), **nikola}
    if not metadata.get("title") and doc_title:
        metadata["title"] = doc_title
    title = metadata.get("title", "")
    heading = parts["html_title"] if doc_title and not _same(doc_title, title) else ""
    warnings = list(dict.fromkeys(_warning_text(m) for m in parser.messages if m["level"] >= 2))
    return RstDocument(metadata, title, heading + parts["html_subtitle"] + parts["body"], warnings)

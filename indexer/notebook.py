"""Jupyter notebook posts (``.ipynb``, Pelican and Nikola) → metadata, Markdown body and code."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Notebook:
    """A notebook post: metadata (lower-case keys), Markdown cells joined, code cells joined."""

    metadata: dict[str, str]
    markdown: str
    code: str
    warnings: list[str] = field(default_factory=list)


def _text(value: Any) -> str | None:
    """A cell source or metadata value as text: strings, lists of strings (joined as Jupyter
    writes them), numbers; ``None`` for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "".join(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _metadata_value(value: Any) -> str | None:
    """Notebook metadata as text: lists become comma-separated, authors ``{"name": ...}`` names."""
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list):
        items = [_metadata_value(item) for item in value]
        return ", ".join(item for item in items if item)
    return _text(value)


def _metadata(notebook_meta: Any) -> dict[str, str]:
    """Top-level notebook metadata (``title``, ``authors``...), then Nikola's ``nikola`` mapping
    over it. Jupyter's own mappings (``kernelspec``, ``language_info``) are left out."""
    if not isinstance(notebook_meta, dict):
        return {}
    metadata: dict[str, str] = {}
    nikola = notebook_meta.get("nikola")
    for source in (notebook_meta, nikola if isinstance(nikola, dict) else {}):
        for key, value in source.items():
            text = None if isinstance(value, dict) else _metadata_value(value)
            if text is not None:
                metadata[str(key).lower()] = text.strip()
    return metadata


def _cells(data: dict[str, Any]) -> list[Any]:
    """The cells of nbformat 4 (``cells``) or nbformat 3 (``worksheets[].cells``)."""
    if "cells" in data:
        if not isinstance(data["cells"], list):
            raise ValueError("not a Jupyter notebook: 'cells' is not a list")
        return data["cells"]
    worksheets = data.get("worksheets")
    if not isinstance(worksheets, list):
        raise ValueError("not a Jupyter notebook: no 'cells' (nbformat 4) nor 'worksheets' (nbformat 3)")
    cells: list[Any] = []
    for sheet in worksheets:
        if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
            cells.extend(sheet["cells"])
    return cells


def read_notebook(text: str) -> Notebook:
    """Read a notebook's JSON. Outputs and raw cells are ignored; nbformat 3 heading cells
    become Markdown headings. Raise ValueError("not a Jupyter notebook: ...") when it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not a Jupyter notebook: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise ValueError("not a Jupyter notebook: JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError("not a Jupyter notebook: the JSON is not an object")
    cells = _cells(data)
    markdown: list[str] = []
    code: list[str] = []
    warnings: list[str] = []
    for number, cell in enumerate(cells, 1):
        kind = cell.get("cell_type") if isinstance(cell, dict) else None
        if kind == "raw":
            continue
        if kind not in ("markdown", "code", "heading"):
            warnings.append(f"notebook cell {number}: not a markdown, code or raw cell; ignored")
            continue
        source = _text(cell.get("source", cell.get("input", "")))  # nbformat 3 code: "input"
        if source is None:
            warnings.append(f"notebook cell {number}: its source is not text; ignored")
        elif not source.strip():
            continue
        elif kind == "code":
            code.append(source.strip("\n"))
        elif kind == "heading":
            level = cell.get("level") if isinstance(cell.get("level"), int) else 1
            markdown.append(f"{'#' * max(1, min(level, 6))} {source.strip()}")
        else:
            markdown.append(source.strip("\n"))
    return Notebook(_metadata(data.get("metadata")), "\n\n".join(markdown), "\n\n".join(code), warnings)

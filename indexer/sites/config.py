"""Read generator config files without executing them: YAML, TOML, JSON, Python literals."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path
from typing import Any

import yaml


class ConfigError(Exception):
    """A config file that cannot be read; the message names the file and the reason."""


def load_data(path: Path) -> dict[str, Any]:
    """The mapping in a ``.toml``, ``.yaml``/``.yml`` or ``.json`` config file ({} if empty)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from exc
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text) if text.strip() else {}
        else:
            data = yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 (a safe loader)
    except (tomllib.TOMLDecodeError, ValueError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: not valid {path.suffix[1:].upper()} ({exc})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a mapping of settings")
    return data


def python_settings(path: Path, known: dict[str, Any] | None = None) -> dict[str, Any]:
    """Module-level ``NAME = literal`` assignments of a Python config (Pelican, Nikola), read
    with ``ast`` and never imported. Names assigned from other names (``FEED_DOMAIN = SITEURL``)
    or from dicts and tuples that use them (``{DEFAULT_LANG: ""}``) resolve against what was
    read before, starting from ``known`` (``from pelicanconf import *``); anything else that is
    not a literal (function calls, f-strings) is left out."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read as Python ({exc})") from exc
    values: dict[str, Any] = dict(known or {})
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        try:
            evaluated = _literal(value, values)
        except ValueError:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                values[target.id] = evaluated
    return values


def _literal(node: ast.AST, names: dict[str, Any]) -> Any:
    """``ast.literal_eval`` that also resolves names already read and joins strings with ``+``."""
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        raise ValueError(node.id)
    if isinstance(node, ast.Dict):
        return {_literal(k, names): _literal(v, names) for k, v in zip(node.keys, node.values, strict=True)
                if k is not None}
    if isinstance(node, (ast.Tuple, ast.List)):
        items = [_literal(item, names) for item in node.elts]
        return tuple(items) if isinstance(node, ast.Tuple) else items
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left, names), _literal(node.right, names)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        raise ValueError("not a string concatenation")
    return ast.literal_eval(node)


def first_existing(root: Path, names: tuple[str, ...]) -> Path | None:
    """The first of ``names`` that is a file under ``root``."""
    for name in names:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None

"""Jupyter notebooks: metadata (Nikola's ``nikola`` key, top level), Markdown and code cells,
nbformat 3, and clear errors for what is not a notebook."""

from __future__ import annotations

import json

import pytest

from blogsearch.indexer.notebook import read_notebook


def _notebook(cells: list, metadata: dict | None = None, **extra) -> str:
    return json.dumps({"cells": cells, "metadata": metadata or {}, "nbformat": 4, "nbformat_minor": 5,
                       **extra})


def _cell(kind: str, source, **extra) -> dict:
    return {"cell_type": kind, "metadata": {}, "source": source, **extra}


def test_markdown_and_code_cells_outputs_and_raw_cells_ignored():
    text = _notebook([
        _cell("markdown", ["# Análisis de datos\n", "\n", "Cargamos el *CSV*."]),
        _cell("code", "import pandas as pd\ndf = pd.read_csv('ventas.csv')\n", execution_count=1,
              outputs=[{"output_type": "stream", "name": "stdout", "text": ["salida ruidosa\n"]}]),
        _cell("raw", "texto crudo para nbconvert"),
        _cell("markdown", "Conclusión: **crece**."),
        _cell("code", ["df.head()"], execution_count=2, outputs=[]),
        _cell("code", "", execution_count=None, outputs=[]),
    ])
    notebook = read_notebook(text)
    assert notebook.markdown == "# Análisis de datos\n\nCargamos el *CSV*.\n\nConclusión: **crece**."
    assert notebook.code == "import pandas as pd\ndf = pd.read_csv('ventas.csv')\n\ndf.head()"
    assert "salida" not in notebook.code and "crudo" not in notebook.markdown
    assert notebook.warnings == []


def test_nikola_metadata_wins_over_top_level_metadata():
    metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3"},
        "language_info": {"name": "python"},
        "title": "Título de Jupyter",
        "authors": [{"name": "Ana"}, {"name": "Luis"}],
        "nikola": {"title": "Cómo hacer pan", "Slug": "pan", "date": "2017-03-04 10:00:00 UTC-03:00",
                   "tags": "cocina,pan", "category": "", "link": "", "description": "Masa madre"},
    }
    notebook = read_notebook(_notebook([_cell("markdown", "Texto.")], metadata))
    assert notebook.metadata == {
        "title": "Cómo hacer pan", "authors": "Ana, Luis", "slug": "pan",
        "date": "2017-03-04 10:00:00 UTC-03:00", "tags": "cocina,pan", "category": "", "link": "",
        "description": "Masa madre",
    }


def test_top_level_metadata_alone():
    metadata = {"title": "Notas", "date": "2020-05-06", "tags": ["datos", "python"], "version": 2}
    notebook = read_notebook(_notebook([], metadata))
    assert notebook.metadata == {"title": "Notas", "date": "2020-05-06", "tags": "datos, python",
                                 "version": "2"}
    assert notebook.markdown == "" and notebook.code == ""


def test_nbformat_3_worksheets():
    text = json.dumps({
        "metadata": {"name": "viejo"},
        "nbformat": 3,
        "worksheets": [{"cells": [
            {"cell_type": "heading", "level": 2, "source": ["Un encabezado"], "metadata": {}},
            {"cell_type": "markdown", "source": "Explicación.", "metadata": {}},
            {"cell_type": "code", "input": ["x = 1\n", "print(x)"], "language": "python",
             "outputs": [{"output_type": "stream", "text": "1"}]},
        ]}],
    })
    notebook = read_notebook(text)
    assert notebook.markdown == "## Un encabezado\n\nExplicación."
    assert notebook.code == "x = 1\nprint(x)"
    assert notebook.metadata == {"name": "viejo"}


def test_odd_cells_are_skipped_with_warnings():
    text = _notebook([
        "no soy una celda",
        {"cell_type": "widget", "source": "?"},
        _cell("markdown", {"no": "texto"}),
        _cell("markdown", "Bien."),
    ])
    notebook = read_notebook(text)
    assert notebook.markdown == "Bien."
    assert notebook.warnings == [
        "notebook cell 1: not a markdown, code or raw cell; ignored",
        "notebook cell 2: not a markdown, code or raw cell; ignored",
        "notebook cell 3: its source is not text; ignored",
    ]


@pytest.mark.parametrize(("text", "reason"), [
    ('{"cells": [\n  {"cell_type": "markdown",,}\n]}', "invalid JSON at line 2"),
    ("[1, 2, 3]", "the JSON is not an object"),
    ('{"metadata": {}}', "no 'cells'"),
    ('{"cells": "texto"}', "'cells' is not a list"),
    ("[" * 100_000, "nested too deeply"),
])
def test_not_a_notebook(text, reason):
    with pytest.raises(ValueError, match="^not a Jupyter notebook: ") as error:
        read_notebook(text)
    assert reason in str(error.value)

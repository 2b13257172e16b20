"""Chunked, cached, parallel black formatting gives exactly what black gives on the whole file."""

from __future__ import annotations

import black
from conftest import GENERATED

from generator.format import formatter, statements
from generator.style import black_mode

MODE = black_mode()


def _unformatted_models() -> str:
    """A realistic module: the committed models modules with black's layout undone line by line."""
    modules = [
        p
        for p in (GENERATED / "faxplus" / "faxplus" / "models").glob("*.py")
        if p.name != "__init__.py"
    ]
    # A module per model (issue 16): all of them in one text, as a large client's module reads.
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(modules))
    # Collapse blank-line runs and re-join black's exploded calls, so black has real work to do.
    return text.replace("\n\n\n", "\n\n\n\n").replace("(\n        ", "(")


def test_split_cuts_only_before_top_level_statements():
    text = _unformatted_models()
    chunks = formatter.split_module(text, max_lines=40)
    assert len(chunks) > 5
    assert "".join(chunks) == text
    for chunk in chunks[1:]:
        assert chunk.startswith(("class ", "def ", "@")) or "=" in chunk.split("\n", 1)[0]


def test_chunked_formatting_equals_whole_file_formatting(monkeypatch):
    monkeypatch.setenv("OASGEN_NO_CACHE", "1")
    monkeypatch.setattr(formatter, "CHUNK_LINES", 40)
    monkeypatch.setattr(formatter, "PARALLEL_THRESHOLD", 10)  # exercise the process pool too
    text = _unformatted_models()
    expected = black.format_str(text, mode=MODE)
    assert formatter.format_black({"m.py": text}, jobs=2)["m.py"] == expected


def test_cache_is_used_and_keyed_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("OASGEN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("OASGEN_NO_CACHE", raising=False)
    source = "x = ( 1 )\n"
    assert formatter.format_black({"a.py": source})["a.py"] == "x = 1\n"
    entries = list((tmp_path / "format").rglob("*"))
    assert [e for e in entries if e.is_file()]
    calls = []
    monkeypatch.setattr(formatter, "_black_chunk", lambda item: calls.append(item) or "")
    assert formatter.format_black({"b.py": source})["b.py"] == "x = 1\n"  # from the cache
    assert calls == []
    formatter.format_black({"c.py": "y = ( 2 )\n"})
    assert len(calls) == 1  # new content is formatted


def test_laid_out_module_keeps_its_layout_and_gives_black_only_what_it_would_change(monkeypatch):
    """A statement black would change is formatted on its own; the others, and the blank lines
    between statements, stay exactly as rendered, and the whole equals black's output."""
    monkeypatch.setenv("OASGEN_NO_CACHE", "1")
    long_alias = (
        "Long = Annotated[Union["
        + ", ".join(f"Annotated[Variant{i}, Tag('V{i}')]" for i in range(6))
        + "]]\n"
    )
    text = (
        '"""Doc."""\n\nfrom x import y\n\nShort = int | None\n' + long_alias + "Other = str\n\n\n"
        "class A:\n    x: int = 1\n"
    )
    seen = []
    real = formatter._black_chunk
    monkeypatch.setattr(formatter, "_black_chunk", lambda item: seen.append(item[1]) or real(item))
    result = formatter.format_black({"m.py": text}, laid_out=True)["m.py"]
    assert result == black.format_str(text, mode=MODE)
    assert seen == [long_alias]  # only the statement black changes went to black


def _method_with_docstring(description: str, body: str) -> str:
    from generator.codegen.literals import docstring

    return (
        "class Pets:\n"
        "    def list(self) -> None:\n"
        f"        {docstring(description, '        ')}\n"
        f"{body}\n"
    )


def test_an_escaped_quote_run_in_a_docstring_does_not_hide_the_code_after_it():
    """Five quotes in spec text end a docstring line with three escaped quotes and two plain ones.
    Read line by line, that looked like the closing quotes, the real closing quotes then opened
    a docstring, and a long statement after them was never given to black."""
    long_line = "        return self._get(" + ", ".join(f'"argument_{n}"' for n in range(8)) + ")"
    assert len(long_line) > 100
    statement = _method_with_docstring('Quoted: """""\nThe end.', long_line)
    assert '\\"\\"\\"""\n' in statement  # the escaping filter's own output
    assert statements.formatting_reason(statement) == long_line


def test_statements_after_escaped_quote_runs_are_formatted_as_black_formats_them(monkeypatch):
    monkeypatch.setenv("OASGEN_NO_CACHE", "1")
    body = "        return self._get(" + ", ".join(f'"argument_{n}"' for n in range(8)) + ")"
    for description in ('a """""\nb', '"""""\n"""""', 'x \\"""""\ny', 'a \'\'\'\nb """"\nc'):
        text = _method_with_docstring(description, body)
        result = formatter.format_black({"m.py": text}, laid_out=True)["m.py"]
        assert result == black.format_str(text, mode=MODE), description


def test_text_inside_a_docstring_is_not_mistaken_for_code():
    """Docstring text is left as black leaves it, whatever its width: no needless black run."""
    url = "https://example.com/" + "path/" * 20  # no space to wrap at
    statement = _method_with_docstring(f'Quoted: """""\n{url}', "        return None")
    assert max(map(len, statement.split("\n"))) > 100
    assert statements.formatting_reason(statement) == ""


def test_code_black_cannot_parse_is_a_format_error_naming_the_file():
    """A broken template override must name its file, not end in black's traceback."""
    import pytest

    with pytest.raises(formatter.FormatError, match="m.py: black could not format"):
        formatter.format_black({"m.py": "def broken(:\n"})


def test_triple_quotes_are_found_as_python_reads_them():
    """Quotes inside a one-line string or a comment open nothing; an escaped quote closes nothing;
    an escaped backslash does not escape the quotes after it."""
    code = 'x = \'"""\'  # """ in a comment\ny = """a \\""" b\\\\"""\nz = "\\"\\"\\""\n'
    spans = [code[start:end] for start, end in statements._triple_quoted(code)]
    assert spans == ['"""a \\""" b\\\\"""']

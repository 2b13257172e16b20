"""Stage 4, code generation: render-ready views of the model, type annotations, Python literals, import
blocks, and the Jinja2 rendering of the package's files."""

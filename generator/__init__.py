"""oasgen: generate typed Python clients from OpenAPI descriptions.

The pipeline (pipeline.py) runs the stages one way, each a subpackage that imports only the ones
before it: spec/ (load, validate, convert Swagger 2.0), model/ (the typed model and its names),
codegen/ (views of the model rendered to files), format/ (black or ruff), output/ (the tree
written atomically, with its manifest); cli/ is the command line around the pipeline. Beside them,
used by all: config, diagnostics, paths, style and catalogue. tests/test_architecture.py holds
the tree to this.
"""

__version__ = "0.1.0"

"""Stage 6, output: the generated tree written atomically, with its manifest."""

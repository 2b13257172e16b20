"""The `oasgen` command line: argument parsing, the commands, and what they print."""

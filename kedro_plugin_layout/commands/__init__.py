"""One typed function per command; the CLI in `cli.py` is a thin layer over them."""

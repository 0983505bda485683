"""The errors this distribution raises for a user's mistake, free of any CLI library.

Each message is one line that names what is wrong (the file, the column, the value) and
how to fix it. The command-line layers (`kedro run` through the runtime's hooks, `kedro
serve`, `kedro layout`) print it as one `Error:` line and exit non-zero; a library caller
catches `UserError` like any exception.
"""


class UserError(Exception):
    """Base of every error raised for something the user can fix (data, configuration,
    command-line input); never for a bug of this distribution."""

"""Code shared by several stages and by the HTTP app: the schema, features and scoring.

Stage folders such as `01_data_preprocessing` cannot be named in an import statement,
so anything two stages need lives here and is imported as `{{ cookiecutter.python_package }}.utils.<module>`.
"""

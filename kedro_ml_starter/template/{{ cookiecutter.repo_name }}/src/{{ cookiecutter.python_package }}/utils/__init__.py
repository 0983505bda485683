"""Code shared by several stages and by the HTTP app: features, splits and scoring.

What the data holds (its columns, the target, the task) is not code: it is the data
contract in conf/base/parameters_data_contract.yml, which every stage receives as
`params:data_contract` and reads with `kedro_ml_starter.runtime.DataContract`.

Stage folders such as `01_data_preprocessing` cannot be named in an import statement,
so anything two stages need lives here and is imported as `{{ cookiecutter.python_package }}.utils.<module>`.
"""

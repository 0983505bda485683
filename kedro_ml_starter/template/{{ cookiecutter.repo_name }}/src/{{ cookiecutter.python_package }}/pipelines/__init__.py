"""The project's stages, one Kedro pipeline package each, in the order they run."""

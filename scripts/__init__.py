"""Tooling of the Plivo Power Platform connector: render, validate, mock, contract-test."""
__all__: list[str] = []
__version__ = "0.1.0"  # the package version: pyproject.toml reads it from here

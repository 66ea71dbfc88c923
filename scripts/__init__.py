"""Tooling of the Plivo Power Platform connector: render, validate, mock, contract-test."""
__all__: list[str] = []

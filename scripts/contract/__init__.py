"""The contract run: schemathesis against the rendered definition, on the mock or a real server."""

from .runner import ContractTarget, run_contract

__all__ = ["ContractTarget", "run_contract"]

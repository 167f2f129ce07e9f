"""Pydantic models of the public contracts: the intake form (v1), the screening result, the review API."""

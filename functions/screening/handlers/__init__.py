"""Thin Lambda entry points: routing, request parsing, auth checks and error mapping; no business logic."""

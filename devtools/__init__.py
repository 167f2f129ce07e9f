"""Development-only tools: local gateway, generators, benchmarks. Not deployed."""

"""The FHIR views' one domain error, importable without loading the mapping itself."""


class NoAnswers(Exception):
    """The intake holds no answers to map (erased, or a version-1 receipt of a clear intake)."""

"""API views, one module per sub-domain."""

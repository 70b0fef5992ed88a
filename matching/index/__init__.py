"""Vector and lexical indexes: the embedded one (NumPy, in-process) and Elasticsearch."""

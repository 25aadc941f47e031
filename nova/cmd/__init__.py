"""Console scripts: one small module per command (see setup.cfg entry points)."""

"""Virt drivers: ``driver.ComputeDriver`` is the interface nova-compute talks to."""

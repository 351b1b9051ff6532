"""Past one process: extraction in parallel workers (parallel) and on a Dask cluster (distributed, records)."""

"""The results store: runs, workloads, iterations, hook results, environment."""

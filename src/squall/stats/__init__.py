"""Pure statistics: exact percentiles, summary tables, HdrHistograms. No I/O."""

"""Building the site: staging and swap, worker processes, signals, the drawing cache (one root, one fingerprint), compression, timings."""

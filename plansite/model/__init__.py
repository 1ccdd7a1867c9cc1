"""The plan's data: the typed schema, reading YAML with its lines, loading and validating a data folder into a Plan, periods and dates, the site's gov settings."""

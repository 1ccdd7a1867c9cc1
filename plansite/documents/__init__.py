"""Documents officials take away: each quarterly report as a Word file, from the report's derived figures."""

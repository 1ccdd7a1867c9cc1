"""Charts: specs from the figures (plain data), their layout, and drawing them to SVG and PNG with matplotlib."""

"""Site search: the plan's own words for jieba, the index in UTF-8, and everything that reaches into Material's search (plugin and web worker)."""

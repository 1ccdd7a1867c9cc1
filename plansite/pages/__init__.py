"""Markdown pages from the plan and its figures: the templates, page metadata, sections and the sitemap, badges, print QR codes."""

"""The public transparency site of a government plan: data/ → validated model → figures → pages, charts, documents, downloads → MkDocs."""

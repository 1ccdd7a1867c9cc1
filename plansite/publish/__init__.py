"""Publishing: a tree any web server user can read, its checks, the nginx CSP, atomic releases."""

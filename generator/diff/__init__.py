"""`oasgen diff`: the surface of a client that a user's code sees, and how two surfaces differ."""

"""The web editor (Decap CMS) under ``quan-tri/``: its generated configuration,
its files in the site, and ``ntm edit`` for editing on one computer."""

"""The web view: a read-only Datasette over a store, with the project's own pages (datasette_plugin)."""

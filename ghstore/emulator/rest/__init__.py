"""The REST face (v3, under /api/v3/): `api.RestApi` routes a request to its handler
(`repos`, `issues`, `labels`, `comments`), which answers with the JSON of `shapes`."""

"""The edge: shared pages, the app's page cache and purges (project infrastructure).

Apps import `keys` (to name what a page shows and declare it shared) and `purge`
(to drop the pages that show what changed); the edge imports no app.
"""

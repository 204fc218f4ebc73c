"""Photos, voice notes and videos: which are kept (`kinds`), what is removed from them before
they are (`stripping`, `isobmff`), where they are kept sealed (`vault`), and the records the
worker and the panels keep of them (`fetching`, `reading`)."""

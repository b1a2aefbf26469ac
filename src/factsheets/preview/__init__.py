"""Preview: a project -> a live-reloading site on 127.0.0.1, with a translator's view."""

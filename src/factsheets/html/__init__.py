"""HTML: editions + templates -> sheet pages, indexes, the landing page and the Atom feed."""

"""PDF: a sheet's page HTML -> a tagged PDF/UA-1; the sheets' PDFs -> a language's bundle."""

"""factsheets: publish accessible, bilingual fact sheets as HTML and tagged PDF."""

__version__ = "0.1.0"

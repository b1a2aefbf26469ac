"""CSS px, points, inches and millimetres: how the units of layout and print relate."""

PX_PER_INCH = 96
"""CSS px per inch (CSS 2.1; WeasyPrint lays out in CSS px at zoom 1, which the project keeps)."""
PT_PER_INCH = 72
MM_PER_INCH = 25.4

PT_PER_PX = PT_PER_INCH / PX_PER_INCH
"""0.75: the scale at which WeasyPrint draws a CSS px in a PDF."""
PX_PER_MM = PX_PER_INCH / MM_PER_INCH
PT_PER_MM = PT_PER_INCH / MM_PER_INCH

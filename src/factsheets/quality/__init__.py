"""Quality: editions -> warnings (reading level, link text, alt text, review dates, addresses)."""

"""Library page script."""

from ui.library_page import library_page

library_page()

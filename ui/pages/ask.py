"""Ask page script."""

from ui.ask_page import ask_page

ask_page()

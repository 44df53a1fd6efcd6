"""The web framework the domain apps build their pages on: generic record views (list, page,
form, history, delete, restore), the record form, table columns, form fields and choices,
number and money formatting, the user's display preferences and the template tags.

It sits below the domain apps, which import it; the pages that import every app (dashboard,
figures, catalogue) sit above them in `shahrak.web`.
"""

"""Shahrak: the information system of an organization that builds and runs industrial estates."""

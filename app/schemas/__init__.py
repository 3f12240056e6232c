"""Pydantic schemas shared by the JSON API and the rest of the site (errors, poll results)."""

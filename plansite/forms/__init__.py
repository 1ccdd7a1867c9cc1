"""Quarterly report forms: spreadsheets out to the reporting units (`make forms`), checked import back (`make import`)."""

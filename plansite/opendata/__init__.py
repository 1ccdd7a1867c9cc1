"""Open data: the CSV tables and their one definition, plan.json, the Frictionless data package and the Atom feed."""

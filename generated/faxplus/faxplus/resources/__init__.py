"""Resources of Fax.Plus REST API, one per tag. Import them from their modules."""

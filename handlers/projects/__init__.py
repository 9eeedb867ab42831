"""The renovation project of a community: reading it (service), keeping it (editing), its survey gates, chat."""

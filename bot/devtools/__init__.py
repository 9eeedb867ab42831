"""Development tools: the resident simulator.  Not loaded in production."""

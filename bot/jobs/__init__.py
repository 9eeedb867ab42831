"""Scheduled jobs by area; each module is listed in bot.clock.registry.JOB_MODULES."""

"""Notices (公告/通知): writing, scoping, fanning out through the outbox, reading them back.

Pure code: ``service`` (create, schedule, fan out), ``scope`` (parse and name a scope,
who is in it), ``figures`` (delivery counts from the outbox), ``announce`` (a survey
run that opens is announced once), ``chat`` (通知/公告), ``links`` (signed H5 link).
"""

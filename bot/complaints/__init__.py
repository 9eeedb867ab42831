"""The complaint feature's edge: the request/job Env, signed links, the resident's pages."""

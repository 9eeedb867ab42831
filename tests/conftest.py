"""Shared fixtures.  Domain fixtures live in tests/fixtures/ (pytest_plugins)."""
pytest_plugins = ["tests.fixtures.app", "tests.fixtures.wechat", "tests.fixtures.fakewechat", "tests.fixtures.outbox",
                  "tests.fixtures.console",
                  "tests.fixtures.browser", "tests.fixtures.households", "tests.fixtures.services", "tests.fixtures.surveys",
                  "tests.fixtures.owners",
                  "tests.fixtures.faq", "tests.fixtures.complaints", "tests.fixtures.queries",
                  "tests.fixtures.publicity"]

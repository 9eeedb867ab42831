#!/usr/bin/env bash
# The long fuzzing run: the suite's hypothesis fuzz tests with many more examples.
#
#   bench/fuzz/run.sh                 2000 examples per test (LINLI_FUZZ_EXAMPLES)
#   LINLI_FUZZ_EXAMPLES=20000 bench/fuzz/run.sh
#
# Covers the gateway (tests/bot/test_gateway_fuzz.py), survey answers in chat
# (tests/bot/test_fuzz_survey_chat.py), the roster import
# (tests/handlers/households/test_fuzz_roster.py) and the exports and Open311
# (tests/bot/test_fuzz_exports.py), on SQLite; with
# LINLI_TEST_DATABASE_URL set, on that PostgreSQL server.  Prints hypothesis'
# statistics (examples, time per test) and exits non-zero on a finding.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export LINLI_FUZZ_EXAMPLES="${LINLI_FUZZ_EXAMPLES:-2000}"
started=$(date +%s)
.venv/bin/python -m pytest -q -p no:cacheprovider -p no:randomly --hypothesis-show-statistics \
    tests/bot/test_gateway_fuzz.py tests/bot/test_fuzz_survey_chat.py tests/handlers/households/test_fuzz_roster.py \
    tests/bot/test_fuzz_exports.py \
    "$@"
echo "fuzz: LINLI_FUZZ_EXAMPLES=$LINLI_FUZZ_EXAMPLES, $(( $(date +%s) - started )) s"

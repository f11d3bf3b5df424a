#!/usr/bin/env bash
# PrairieLearn's external grader runs this (info.json: "entrypoint") in the grading image, as root:
# /grade/student holds the student's vanishing-gradients.ts, /grade/results/results.json must be
# written, always. GRADE_ROOT moves /grade (the kit's own tests use a temporary folder); the kit is
# the folder three levels up from this script (/kit in the image built from the Dockerfile beside it).
set -uo pipefail
GRADE="${GRADE_ROOT:-/grade}"
KIT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
mkdir -p "$GRADE/results"
cd "$KIT" || exit 0

node grader/bin/grade.js \
  --submission "$GRADE/student" \
  --format prairielearn --out "$GRADE/results/results.json" \
  --report-dir "$GRADE/results/report" \
  --official --quiet
status=$?

# The grader writes results.json even when it fails; this is the last resort if it could not start.
if [[ ! -s "$GRADE/results/results.json" ]]; then
  printf '%s\n' '{"gradable": false, "score": 0, "message": "The autograder could not start (exit status '"$status"'); this is not your fault: tell your instructor.", "tests": []}' > "$GRADE/results/results.json"
fi
exit 0

#!/usr/bin/env bash
# PrairieLearn's external grader runs this (info.json: "entrypoint") in the grading image, as root:
# /grade/student holds the student's file (the lab's, <id>.ts), /grade/results/results.json must be
# written, always. GRADE_ROOT moves /grade (the kit's own tests use a temporary folder); the kit is
# the folder three levels up from this script (/kit in the image built from the Dockerfile beside it).
#
# One image grades every lab of the kit; the question's info.json names its lab, in either of the
# two ways PrairieLearn passes a question's configuration to its grader:
#   "externalGradingOptions": { ..., "environment": { "VG_LAB": "<id>" } }
#   "externalGradingOptions": { ..., "entrypoint": "/kit/grader/platforms/prairielearn/entrypoint.sh <id>" }
# (the argument wins). Neither: the lab whose file the student submitted, else the kit's default lab.
# An id the kit does not have stops the grader (exit 2): results.json then says the autograder
# could not start, and the question's configuration is to be fixed.
set -uo pipefail
GRADE="${GRADE_ROOT:-/grade}"
KIT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
LAB="${1:-${VG_LAB:-}}"
mkdir -p "$GRADE/results"
cd "$KIT" || exit 0

node grader/bin/grade.js ${LAB:+--lab "$LAB"} \
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

#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu), with the
# contents of autograder.zip in /autograder/source. It installs Node 24 (the current LTS), bubblewrap and setpriv
# (the operating system's boundary around student code), and the kit's locked dependencies, and
# builds the grader. Student code later runs in bubblewrap's namespaces where the container
# allows them, else as a uid of its own per sandbox (the grader runs as root); either way the
# result records which ("isolation"). Nothing here needs to create a user.
set -euo pipefail
cd /autograder/source

if ! command -v bwrap >/dev/null || ! command -v setpriv >/dev/null; then
  apt-get update
  apt-get install -y --no-install-recommends bubblewrap util-linux
fi

if ! command -v node >/dev/null || [[ "$(node -p 'process.versions.node.split(".")[0]')" -lt 22 ]]; then
  apt-get update
  apt-get install -y ca-certificates curl gnupg
  mkdir -p /etc/apt/keyrings
  curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor -o /etc/apt/keyrings/nodesource.gpg
  echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_24.x nodistro main" > /etc/apt/sources.list.d/nodesource.list
  apt-get update
  apt-get install -y nodejs
fi

npm ci --no-audit --no-fund
# The hidden suites, the reference and the solutions stay readable by root only: the child that
# runs student code (as a uid of its own) is also confined by Node's permission model to its own files.
chmod -R go-rwx /autograder/source

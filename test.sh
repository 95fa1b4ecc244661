#!/usr/bin/env bash
# Runs every test of every module (unit and integration), the formatter check included.
set -euo pipefail
cd "$(dirname "$0")"
. ./flexrig-env.sh
exec mvn -B -ntp verify "$@"

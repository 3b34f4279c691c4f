#!/usr/bin/env bash
# Writes the first N lines of FILE as one seed file each into DIR: split-lines.sh FILE DIR N
set -euo pipefail
head -n "$3" "$1" | awk -v dir="$2" '{ f = sprintf("%s/seed-%03d.json", dir, NR); print > f; close(f) }'

#!/usr/bin/env bash
# The layering check must pass on the real tree and fail on a tree with a forbidden include.
set -euo pipefail
script="$(cd "$(dirname "$0")/../.." && pwd)/scripts/check-layering"
"$script"  # the real tree is clean
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/model" "$tmp/src/pipeline"
printf '#include "pipeline/consumer.h"\n' > "$tmp/src/model/bad.cc"
printf '#include "model/batch.h"\n' > "$tmp/src/pipeline/good.cc"
if out=$("$script" "$tmp" 2>&1); then
  echo "FAIL: a model → pipeline include was not reported"; exit 1
fi
grep -q 'src/model/bad.cc:1: model may not include pipeline' <<<"$out" || { echo "FAIL: unexpected output: $out"; exit 1; }
grep -q 'good.cc' <<<"$out" && { echo "FAIL: an allowed include was reported: $out"; exit 1; }
echo "check-layering test passed"

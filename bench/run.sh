#!/usr/bin/env bash
# All benchmarks in one run; each prints its measurements and a ratio against the peer tool.
# Needs Go (peer tools are built from the Go module proxy into ~/.cache/kubeplan/tools) and ../shared/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s build
for b in validate precommit lint ${BENCH_CLUSTER:+plan}; do
  echo "== bench/$b.ts"
  npx tsx "bench/$b.ts"
done

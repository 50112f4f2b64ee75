#!/usr/bin/env bash
# Time kube-linter (default checks) on a directory of manifests, next to `kubeplan validate` on the same directory.
#
#   bench/kube-linter.sh [DIR] [RUNS]        DIR defaults to ../shared/corpus, RUNS to 3
#
# kube-linter comes from $KUBE_LINTER if set, else it is installed once with
# `go install golang.stackrox.io/kube-linter/cmd/kube-linter@latest` into $KUBEPLAN_CACHE/bin
# (default ~/.cache/kubeplan/bin), outside the repository. Needs Go for that.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${1:-../shared/corpus}
runs=${2:-3}
[ -d "$dir" ] || { echo "bench/kube-linter.sh: $dir is not a directory" >&2; exit 2; }

cache=${KUBEPLAN_CACHE:-$HOME/.cache/kubeplan}
bin=${KUBE_LINTER:-$cache/bin/kube-linter}
if [ ! -x "$bin" ]; then
  command -v go >/dev/null || { echo "bench/kube-linter.sh: Go is needed to install kube-linter (or set KUBE_LINTER=/path/to/kube-linter)" >&2; exit 2; }
  echo "installing kube-linter into $cache/bin …" >&2
  mkdir -p "$cache/bin"
  if ! GOBIN="$cache/bin" go install golang.stackrox.io/kube-linter/cmd/kube-linter@latest; then
    echo "bench/kube-linter.sh: go install failed (is golang.stackrox.io reachable through your Go module proxy?); set KUBE_LINTER=/path/to/kube-linter" >&2
    exit 2
  fi
fi

# Milliseconds of wall time for one run of a command; its output is discarded, its exit code ignored
# (both tools exit non-zero when they find something).
time_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

files=$(find "$dir" -name '*.yaml' -o -name '*.yml' | wc -l | tr -d ' ')
echo "dir: $dir ($files YAML files), $runs runs each, median wall time"
echo "kube-linter $("$bin" version 2>/dev/null || echo '?'): $(for _ in $(seq "$runs"); do time_ms "$bin" lint --format json "$dir"; done | median) ms"

if [ ! -f dist/cli/main.js ]; then npm run -s build >/dev/null; fi
echo "kubeplan validate: $(for _ in $(seq "$runs"); do time_ms node dist/cli/main.js validate "$dir" -o json; done | median) ms"

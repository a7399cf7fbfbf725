#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a bounded time each (default 60 s), one at a time,
# with libFuzzer's limits (2 GB RSS, 10 s per input) and debug assertions (overflow checks) on.
# Any crash, timeout or out-of-memory input is copied into fuzz/regressions/<target>/, which
# `cargo test --manifest-path fuzz/Cargo.toml` (scripts/test.sh) replays on stable.
# Needs the nightly toolchain; installs cargo-fuzz if missing. Usage: scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
host=$(rustc -vV | sed -n 's/^host: //p')
unset CARGO_BUILD_TARGET # cargo fuzz passes --target itself
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
fuzz() { cargo +nightly fuzz "$@"; }

fuzz build -a --target "$host"
failed=()
for target in $(fuzz list); do
  printf '\n== %s (%ss)\n' "$target" "$secs"
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target" "fuzz/regressions/$target"
  # New inputs go to the first folder (gitignored); the saved regressions seed the run.
  fuzz run -a --target "$host" "$target" "fuzz/corpus/$target" "fuzz/regressions/$target" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    || failed+=("$target")
  for found in "fuzz/artifacts/$target"/{crash,timeout,oom,leak}-*; do
    [ -e "$found" ] || continue
    cp -n "$found" "fuzz/regressions/$target/"
    echo "saved fuzz/regressions/$target/$(basename "$found")"
  done
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found inputs that fail: ${failed[*]} (minimize with: cargo +nightly fuzz tmin -a <target> <input>)"
  exit 1
fi
echo "every target ran ${secs}s clean"

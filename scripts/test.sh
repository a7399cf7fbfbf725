#!/usr/bin/env bash
# Runs every test leadcore has: Rust (unit, property, doc, vectors; benches compiled),
# Python (pytest against the installed wheel), Node (node --test against the built addon) and the
# reference services (examples/service) racing on PostgreSQL and SQLite.
# Installs what it needs itself: a venv with pip, and npm packages from the committed lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# cargo, maturin and napi share one target dir (napi always passes --target <host>).
host=$(rustc -vV | sed -n 's/^host: //p')
export CARGO_BUILD_TARGET="$host"
export CARGO_TERM_COLOR=never
# A fresh machine (CI) builds once: incremental caches would only cost time and disk (tens of GB
# across cargo, maturin and napi builds), and full debug info in the test builds would double
# the target dir; line tables keep file:line in panics and backtraces.
if [ -n "${CI:-}" ]; then
  export CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=line-tables-only
fi

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

# A build that runs out of disk fails in the linker with a bus error; say up front how much
# there is, so such a failure reads as what it is.
df -h . 2>/dev/null | awk 'NR == 2 { print "disk free where the build runs: " $4 " of " $2 }'

step "java runtime (for the Spark tests)"
# PySpark needs a JVM. The machine image ships OpenJDK 17; on a machine without one, install it
# from the Debian packages (never from anywhere else).
if ! command -v java >/dev/null 2>&1; then
  echo "no Java runtime found: installing openjdk-17-jre-headless from the Debian packages"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openjdk-17-jre-headless
fi
java -version 2>&1 | head -1

step "python venv"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r tests/python/requirements.txt
export PYO3_PYTHON="$root/.venv/bin/python"
LD_LIBRARY_PATH="$("$PYO3_PYTHON" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR"))'):${LD_LIBRARY_PATH:-}"
export LD_LIBRARY_PATH

step "rust: cargo test (leadcore, benches compiled)"
# Benches are compiled (so they cannot rot) but not run: their fixtures are sized for release.
cargo test --workspace --exclude leadcore-py --exclude leadcore-node --all-targets --no-run
cargo test --workspace --exclude leadcore-py --exclude leadcore-node --lib --bins --tests --examples
cargo test -p leadcore --doc
# Every input the fuzzer ever saved (fuzz/regressions/<target>/) through the same target bodies,
# on stable (scripts/fuzz.sh runs the targets themselves, on nightly).
cargo test --manifest-path fuzz/Cargo.toml --lib --target-dir "$root/target"

step "python: build and install the wheel"
.venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps ./leadcore-py

step "python: generated types (drift) and mypy --strict over tests/python/typecheck"
# leadcore/types.py is generated from schemas/leadcore.json by datamodel-code-generator (pinned in
# tests/python/requirements.txt; options in leadcore-py/pyproject.toml).
(cd leadcore-py && PYTHONWARNINGS=ignore "$root/.venv/bin/datamodel-codegen")
git diff --exit-code --stat -- leadcore-py/python/leadcore/types.py \
  || { echo "leadcore/types.py drifted from schemas/leadcore.json: commit the regenerated file"; exit 1; }
# Against the installed wheel (py.typed, _native.pyi, types.py); warn_unused_ignores makes every
# deliberate mistake in mistakes.py an error if mypy stops catching it.
(cd tests/python/typecheck && "$root/.venv/bin/python" -m mypy --config-file mypy.ini)

step "python: pytest"
(cd tests/python && "$root/.venv/bin/python" -m pytest -q --ignore=test_spark.py --ignore=test_dask.py)

step "python: Spark (local[2]) and Dask (LocalCluster, 2 processes) on 127.0.0.1"
export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$root/.venv/bin/python"
(cd tests/python && "$root/.venv/bin/python" -m pytest -q --durations=10 test_spark.py test_dask.py)

step "node: npm install (lockfile) and build"
(cd leadcore-node && npm install --no-audit --no-fund --loglevel=error && npm run build --silent)
# schema.d.ts is generated from schemas/leadcore.json (itself checked against the Rust types by
# cargo test's tests/schemas.rs) by json-schema-to-typescript in `npm run build`.
git diff --exit-code --stat -- leadcore-node/index.d.ts leadcore-node/index.js leadcore-node/schema.d.ts leadcore-py/python/leadcore/schemas/ \
  || { echo "index.d.ts / index.js / schema.d.ts drifted from the Rust sources: commit the regenerated files"; exit 1; }

step "node: tsc --strict over tests/types (the README's use, a service, deliberate mistakes)"
(cd leadcore-node && npx tsc -p ../tests/types)

step "node: node --test"
(cd leadcore-node && node --test ../tests/node/)

step "reference services: races on PostgreSQL and SQLite (tests/service)"
# examples/service: the Python service (FastAPI, from the venv) and the Node one (its own
# lockfile: pg, libsql); PostgreSQL from the Debian packages if missing, a throwaway cluster on
# 127.0.0.1 that the test starts and deletes.
(cd examples/service/node && npm install --no-audit --no-fund --loglevel=error)
(cd tests/service && "$root/.venv/bin/python" -m pytest -q -s --durations=5 .)

step "all tests passed"

#!/usr/bin/env bash
# Line coverage of the library, counting the `diplograph` subprocesses the tests start (the CLI
# tests run the real entry point). Prints coverage's report; writes nothing into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
"$PY" -m pip install --quiet 'coverage>=7.4'
work=$(mktemp -d)
site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
hook="$site/zz_diplograph_coverage.pth"
cat > "$work/rc" <<RC
[run]
source = diplograph
parallel = true
data_file = $work/.coverage
[report]
show_missing = true
skip_empty = true
RC
echo "import coverage; coverage.process_startup()" > "$hook"
trap 'rm -f "$hook"; rm -rf "$work"' EXIT
COVERAGE_PROCESS_START="$work/rc" "$PY" -m coverage run --rcfile="$work/rc" -m pytest -q -p no:cacheprovider "$@" || true
"$PY" -m coverage combine --rcfile="$work/rc" -q
"$PY" -m coverage report --rcfile="$work/rc"

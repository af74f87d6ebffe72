#!/usr/bin/env bash
# The habits CI checks besides the tests: every C file in git formatted as .clang-format says,
# and cppcheck clean over every file the build compiles (BUILD_DIR/compile_commands.json).
#   scripts/lint.sh [BUILD_DIR]     (default: build; configure it first)
# A false positive is suppressed where it stands, with the reason:
#   /* cppcheck-suppress ID ; why it cannot happen */
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
status=0

echo "-- clang-format: $(clang-format --version | sed 's/.*version \([0-9.]*\).*/\1/')"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files '*.c' '*.h')
else
    mapfile -t files < <(find . -name '*.[ch]' -not -path './build*' -not -path '*/node_modules/*')
fi
if ! clang-format --dry-run --Werror "${files[@]}"; then
    echo "lint: formatting differs from .clang-format: run clang-format -i on the files above" >&2
    status=1
else
    echo "${#files[@]} files formatted"
fi

echo "-- cppcheck $(cppcheck --version | sed 's/Cppcheck //')"
[ -f "$build/compile_commands.json" ] ||
    { echo "lint: no $build/compile_commands.json: configure $build with cmake first" >&2; exit 1; }
# jansson.h is included for its json_*_foreach macros (cppcheck does not read system headers).
# varFuncNullUB: glibc defines NULL as ((void *)0) in C, a valid sentinel for char * lists.
if ! cppcheck --project="$build/compile_commands.json" --include=/usr/include/jansson.h \
        --enable=warning,portability,performance --inline-suppr --error-exitcode=1 --quiet \
        -j"$(nproc)" --suppress=missingIncludeSystem --suppress=varFuncNullUB \
        --template='{file}:{line}: {severity}: {message} [{id}]'; then
    echo "lint: cppcheck found the problems above" >&2
    status=1
else
    echo "cppcheck: no findings"
fi
exit $status

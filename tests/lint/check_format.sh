#!/bin/sh
# Fails when a C++ file differs from what clang-format (Debian 12's, with the
# committed .clang-format) makes of it; lists the files. Fix with:
#   find daemon tests -name '*.cc' -o -name '*.h' | xargs clang-format -i
set -eu
if [ "${1:-}" = "--self-test" ]; then
  # A file clang-format would change must be caught.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  cp "$(dirname "$0")/../../.clang-format" "$tmp/"
  printf 'int  f( ){return 1;}\n' > "$tmp/bad.cc"
  if clang-format --dry-run --Werror "$tmp/bad.cc" >/dev/null 2>&1; then
    echo "check_format self-test: a misformatted file was not caught" >&2
    exit 1
  fi
  echo "check_format self-test: a misformatted file is caught"
  exit 0
fi
cd "$(dirname "$0")/../.."
files=$(find daemon tests -path tests/fuzz/corpus -prune -o \( -name '*.cc' -o -name '*.h' \) -print | sort)
bad=""
for f in $files; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
  echo "check_format: not clang-formatted:$bad" >&2
  exit 1
fi
echo "check_format: $(echo "$files" | wc -l) files clang-formatted"

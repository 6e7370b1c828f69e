#!/usr/bin/env bash
# ctest `library_exports` (label package): libllmm.so exports exactly the public API, as
# cmake/llmm.map means it to: every exported symbol is namespace llmm outside its internal
# namespaces, and every such symbol of libllmm.a (the same objects) is exported.
#   check_exports.sh LIBLLMM_SO LIBLLMM_A PUBLIC_INCLUDE_DIR
set -euo pipefail
so=$1 archive=$2 include=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Demangled names, one a line, with "typeinfo for ", "vtable for ", thunks... stripped.
names() {
  sed -E 's/^[0-9a-f]* *[A-Za-z] //' |
    sed -E 's/^(typeinfo name for|typeinfo for|vtable for|VTT for|construction vtable for .* in|non-virtual thunk to|virtual thunk to|guard variable for) //' |
    LC_ALL=C sort -u
}
nm -D -C --defined-only "$so" | names >"$work/exported"
nm -g -C --defined-only "$archive" 2>/dev/null | grep -E '^[0-9a-f]+ [TDBRWVu] ' | names >"$work/archive"

# The free functions the public headers declare in namespace llmm.
grep -ohE '^[A-Za-z_[][]A-Za-z_:<>,&*[ ]*\b[a-z_][a-z_0-9]*\(' "$include"/llmm/*.hpp |
  grep -oE '[a-z_][a-z_0-9]*\($' | tr -d '(' | LC_ALL=C sort -u >"$work/public_functions"

# public NAME: llmm:: then an upper-case name (a public type and its members), an operator, or
# a free function the public headers declare.
declare -A declared
while IFS= read -r f; do declared[$f]=1; done <"$work/public_functions"
public() {
  local rest=${1#llmm::}
  [[ $1 == llmm::* ]] || return 1
  [[ $rest =~ ^[A-Z] || $rest == operator* ]] && return 0
  [[ $rest =~ ^([a-z_][a-z_0-9]*)(.?) ]] || return 1
  [[ ${BASH_REMATCH[2]} != ":" && -n ${declared[${BASH_REMATCH[1]}]:-} ]]
}

status=0
while IFS= read -r name; do
  public "$name" || { echo "exported but not public API: $name"; status=1; }
done <"$work/exported"
while IFS= read -r name; do
  if public "$name"; then echo "$name"; fi
done < <(grep "^llmm::" "$work/archive") >"$work/public"
while IFS= read -r name; do
  echo "public API not exported (add it to cmake/llmm.map): $name"
  status=1
done < <(LC_ALL=C comm -23 "$work/public" "$work/exported")

echo "$(wc -l <"$work/exported") symbols exported, $(grep -c '^llmm::' "$work/archive") llmm symbols in the archive"
exit $status

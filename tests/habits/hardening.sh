#!/usr/bin/env bash
# Every installed program carries the hardening the top CMakeLists.txt asks for: a
# position-independent executable, relocations read-only and bound at start (GNU_RELRO with
# BIND_NOW), the stack protector, and, in optimised builds without the sanitizers,
# _FORTIFY_SOURCE's checked functions. Reads the ELF files with readelf, as checksec does.
#   hardening.sh fortify=0|1 PROGRAM...
set -u
fortify=${1#fortify=}
shift
[ $# -gt 0 ] || { echo "usage: hardening.sh fortify=0|1 PROGRAM..." >&2; exit 2; }
bad=0
for prog in "$@"; do
    name=$(basename "$prog")
    dyn=$(readelf -dW "$prog") || { echo "FAIL: $name: readelf cannot read it" >&2; exit 1; }
    syms=$(readelf -sW --dyn-syms "$prog")
    missing=()
    readelf -hW "$prog" | grep -q 'Type:.*DYN' || missing+=("PIE (ELF type DYN)")
    grep -q 'FLAGS_1.*PIE' <<<"$dyn" || missing+=("PIE flag")
    grep -q 'BIND_NOW' <<<"$dyn" || missing+=("BIND_NOW (-z now)")
    readelf -lW "$prog" | grep -q 'GNU_RELRO' || missing+=("GNU_RELRO (-z relro)")
    grep -q '__stack_chk_fail' <<<"$syms" || missing+=("stack protector (__stack_chk_fail)")
    if [ "$fortify" = 1 ]; then
        grep -qE '__[a-z]+_chk(@|$)' <<<"$syms" || missing+=("_FORTIFY_SOURCE (__*_chk)")
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        echo "FAIL: $name lacks: ${missing[*]}" >&2
        bad=1
    else
        echo "ok - $name: PIE, RELRO, BIND_NOW, stack protector$([ "$fortify" = 1 ] && echo ", fortified")"
    fi
done
exit $bad

#!/usr/bin/env bash
# hallq-counter's command line and terminal checks: each failure is one line on stderr and a
# non-zero exit, before the terminal is touched. Needs no daemon.
#   cli.sh HALLQ_COUNTER
set -u
COUNTER=${1:?usage: cli.sh HALLQ_COUNTER}
OUT=$(mktemp /tmp/hallq-counter-cli.XXXXXX)
trap 'rm -f "$OUT"' EXIT
export LANG=C.UTF-8 LC_ALL=C.UTF-8

fail() { echo "FAIL: $*" >&2; echo "--- output:" >&2; cat "$OUT" >&2; exit 1; }

# expect STATUS PATTERN CMD...: runs CMD, checks the exit status and a one-line message.
expect() {
    local want=$1 pattern=$2
    shift 2
    "$@" > "$OUT" 2>&1 < /dev/null
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "'$*' exited $rc, expected $want"
    grep -qE -- "$pattern" "$OUT" || fail "'$*' did not say /$pattern/"
    if [ "$want" -ne 0 ]; then
        [ "$(wc -l < "$OUT")" -eq 1 ] || fail "'$*' printed more than one line"
    fi
}

# The help is in Chinese unless --lang en (or HALLQ_LANG=en) asks for English.
expect 0 '^用法：hallq-counter --counter N' "$COUNTER" --help
expect 0 '^  -c, --counter N +窗口号' "$COUNTER" --help
expect 0 '^usage: hallq-counter --counter N' "$COUNTER" --help --lang en
expect 0 '^Keys: c call next' env HALLQ_LANG=en "$COUNTER" -h
expect 0 '^usage: hallq-counter' "$COUNTER" --counter 0 --lang=en --help
expect 0 '^hallq-counter [0-9]' "$COUNTER" --version
expect 2 '^hallq-counter: --counter N is required' "$COUNTER" --clerk wang
expect 2 "^hallq-counter: --counter takes a whole number from 1 to 999, not '0'" "$COUNTER" --counter 0
expect 2 "^hallq-counter: --counter takes a whole number from 1 to 999, not '3x'" "$COUNTER" -c 3x
expect 2 "^hallq-counter: --lang takes zh or en, not 'fr'" "$COUNTER" --counter 3 --lang fr
expect 2 "^hallq-counter: unknown option '--bogus'" "$COUNTER" --counter 3 --bogus 1
expect 2 "^hallq-counter: unexpected argument 'wang'" "$COUNTER" --counter 3 wang
expect 2 '^hallq-counter: --clerk needs a value' "$COUNTER" --counter 3 --clerk
expect 2 "^hallq-counter: clerk id 'a b' must be" "$COUNTER" --counter 3 --clerk 'a b'
expect 2 '^hallq-counter: --timeout takes a whole number from 100 to 60000' "$COUNTER" --counter 3 --timeout 5
expect 2 '^hallq-counter: no clerk' env -u USER -u HALLQ_CLERK "$COUNTER" --counter 3
expect 2 "^hallq-counter: HALLQ_LANG must be zh or en, not 'xx'" env HALLQ_LANG=xx "$COUNTER" --counter 3 --clerk a
# Terminal checks come before curses (which would exit the process on a bad TERM). The clerk
# reads them: in the clerk's language.
expect 2 '^hallq-counter: 未设置 TERM：屏幕需要终端' env -u TERM "$COUNTER" --counter 3 --clerk wang
expect 2 '^hallq-counter: 未设置 TERM' env TERM= "$COUNTER" --counter 3 --clerk wang
expect 2 '^hallq-counter: TERM is not set' env -u TERM "$COUNTER" --counter 3 --clerk wang --lang en
expect 2 '^hallq-counter: 标准输入和输出必须是终端' \
    env TERM=xterm-256color "$COUNTER" --counter 3 --clerk wang
expect 2 '^hallq-counter: standard input and output must be a terminal' \
    env TERM=xterm-256color HALLQ_LANG=en "$COUNTER" --counter 3 --clerk wang
echo "all counter command-line checks passed"

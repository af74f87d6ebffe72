#!/usr/bin/env bash
# The hall's calendar and quota at the kiosk, against the real daemon on a simulated clock
# set to chosen days of the shipped holidays example: National Day (closed, the next working
# day named), a Friday before the issuing hours (今日取号时间为 …), the quota spent but the
# green reserve (今日号源已发完, the reserve still issued to the green lane), an ordinary
# Saturday's extended service (its tickets flagged) and a 调休 Saturday (regular hours).
# The kiosk runs in tmux; its screens are kept in CAPTURES (when given) as kiosk-NAME.txt.
#
# usage: e2e_kiosk_calendar.sh HALLQD HALLQCTL HALLQ_TICKET [CAPTURES]
set -euo pipefail

HALLQD=$1
HALLQCTL=$2
TICKET=$3
CAPTURES=${4:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
EACH_RUN=data
NAME=kiosk-calendar
. "$here/sim_kiosk.sh"

cat >"$W/hall.conf" <<CONF
[calendar]
hours = 08:30-12:00, 13:30-17:30
extended = sat 09:00-11:30
holidays = $root/lib/hallq/holidays.example
[queue A]
name = 参保登记与变更
issue_hours = 08:30-11:30, 13:30-16:30
quota = 2
green_reserve = 1
[queue B]
name = 参保查询与参保凭证
[limits]
local = unlimited
CONF
"$HALLQD" --check-config --config "$W/hall.conf" >/dev/null || die "the test's config is refused"

# take: queue A, no particular service, the take key; the screen then says what happened.
take() {
    keys 1
    wait_screen "不指定具体事项"
    keys 0
    wait_screen "老年人绿色通道：否"
    keys Enter
}
# ctl_code ARGS: hallqctl's exit status and the error code it printed ("" none).
refused_code() {
    local out rc=0
    out=$("$HALLQCTL" "$@" 2>&1) || rc=$?
    [ "$rc" = 1 ] || die "hallqctl $* should be refused (exit $rc): $out"
    sed -n 's/.*(\([a-z_]*\))$/\1/p' <<<"$out"
}
extended_of() { # the 'extended' flag of ticket $1 in the snapshot
    "$HALLQCTL" --json snapshot | "$PY" -c "import json, sys
d = json.load(sys.stdin)
print([t.get('extended') for t in d['tickets'] if t['label'] == '$1'])"
}

# 1. National Day: nothing is issued, the next working day is said.
start_hall "2026-10-01 09:00"
take
wait_screen "今日不办理取号，下一个工作日为 2026-10-08"
capture closed-today
[ "$(refused_code issue B)" = closed_today ] || die "hallqctl issue on a holiday"
ok "holiday: the kiosk names the next working day; hallqctl gets closed_today"

# 2. Friday 07:50: before issuing opens, today's issuing hours are said.
start_hall "2026-10-09 07:50"
take
wait_screen "现在不是取号时间。今日取号时间为 08:30-11:30、13:30-16:30"
capture not-issuing
[ "$(refused_code issue A)" = not_issuing ] || die "hallqctl issue before the hours"
ok "before the hours: 今日取号时间为 …, not_issuing"

# 3. Friday 09:00: quota 2 with 1 for the green lane.
start_hall "2026-10-09 09:00"
[ "$("$HALLQCTL" issue A | head -1)" = A001 ] || die "first ticket"
take
wait_screen "今日号源已发完（余号留给老年人绿色通道）"
capture quota
[ "$("$HALLQCTL" issue A --elderly | head -1)" = A002 ] || die "the green reserve is not issued"
[ "$(refused_code issue A --elderly)" = quota_exhausted ] || die "past the quota"
[ "$("$HALLQCTL" issue B | head -1)" = B001 ] || die "queue B has no quota"
ok "quota: 今日号源已发完 while the green reserve is still issued, then refused to all"

# 4. An ordinary Saturday's extended service: issued and flagged; a 调休 Saturday is regular.
start_hall "2026-10-17 09:30"
[ "$("$HALLQCTL" issue B | head -1)" = B001 ] || die "extended service issues"
[ "$(extended_of B001)" = "[True]" ] || die "B001 not flagged extended: $(extended_of B001)"
start_hall "2026-10-10 09:30"
[ "$("$HALLQCTL" issue B | head -1)" = B001 ] || die "the 调休 Saturday issues"
[ "$(extended_of B001)" = "[False]" ] || die "a 调休 ticket flagged extended"
ok "extended Saturday tickets flagged; a 调休 Saturday works regular hours"
echo "$passed passed"

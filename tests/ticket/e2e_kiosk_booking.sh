#!/usr/bin/env bash
# Appointments end to end, against the real daemon on a simulated clock: bookings made with
# hallqctl, one checked in at the kiosk (tmux) by its code inside its window (a ticket in the
# appointment lane with the slot on the screen and on paper), one left until after its window
# (a booking no-show, then a walk-in ticket with the one-line explanation), a check-in too
# early refused with when it opens, call-next taking the appointment by its slot with its
# reason code, and a booking left open over the night marked a no-show at the next start.
# The kiosk's screens are kept in CAPTURES (when given) as kiosk-NAME.txt.
#
# usage: e2e_kiosk_booking.sh HALLQD HALLQCTL HALLQ_TICKET [CAPTURES]
set -euo pipefail

HALLQD=$1
HALLQCTL=$2
TICKET=$3
CAPTURES=${4:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EACH_RUN=paper
NAME=kiosk-booking
. "$here/sim_kiosk.sh"

cat >"$W/hall.conf" <<CONF
[rules]
normal_max_wait_min = 60   ; the walk-in of 08:40 has not waited past it by 09:20
[appointments]
lead_min = 0
early_min = 30
late_min = 15
[slots A]
weekdays = mon-fri
hours = 09:00-11:00
slot_min = 30
capacity = 2
[limits]
local = unlimited
CONF

# check_in TEXT: the check-in page, TEXT typed, Enter.
check_in() {
    keys y
    wait_screen "预约码或身份证号："
    keys -l "$1"
    keys Enter
}

# 1. 08:25 on a Monday: two bookings for 09:00, one too early to check in.
start_hall "2026-10-12 08:25"
code1=$("$HALLQCTL" book A 2026-10-12 09:00 --id-number 11010519491231002X | head -1)
code2=$("$HALLQCTL" book A 2026-10-12 09:00 --id-number 110105199003070017 | head -1)
code3=$("$HALLQCTL" book A 2026-10-12 09:30 --id-number 110105200001010016 | head -1)
[[ "$code1" =~ ^[3479ACDEFHJKMNPQRTWXY]{6}$ ]] || die "booking code '$code1'"
[ "$code1" != "$code2" ] || die "two bookings, one code"
check_in "$(tr 'A-Z' 'a-z' <<<"$code1")" # typed in lower case: the kiosk takes it
wait_screen "还未到签到时间，请于 08:30 后签到"
capture check-in-early
ok "bookings made by hallqctl; a check-in before slot - 30 min says when it opens"

# 2. 08:40: checked in at the kiosk by its code: the appointment lane, its slot shown and printed.
start_hall "2026-10-12 08:40"
"$HALLQCTL" issue A >/dev/null # a walk-in who came first
check_in "$code1"
wait_screen "预约时段 09:00"
wait_screen "A 0 0 2"
wait_screen "号票已打印"
capture check-in
bash "$here/npos/run.sh" --dump "$W/paper2.bin" --columns 32 >"$W/paper2.txt" 2>"$W/npos.err" ||
    die "the printed check-in ticket does not decode: $(cat "$W/npos.err")"
grep -qF '{"text":"【预约 09:00】","align":"center","bold":true}' "$W/paper2.txt" || die "the slot is not on the paper: $(cat "$W/paper2.txt")"
"$HALLQCTL" snapshot | grep -q "^  A002 .*appointment 09:00" ||
    die "the snapshot does not show A002's slot: $("$HALLQCTL" snapshot)"
ok "check-in by code: A002 in the appointment lane, 预约时段 09:00 on screen and paper"

# 3. 09:20: the other booking was not checked in by 09:15: a no-show, then a late walk-in.
start_hall "2026-10-12 09:20"
for _ in $(seq 1 50); do
    grep -q "booking $code2 .* not checked in: no-show" "$W/hallqd.log" && break
    sleep 0.1
done
grep -q "booking $code2 .* not checked in: no-show" "$W/hallqd.log" || die "no no-show for $code2"
check_in 110105199003070017
wait_screen "您已超过预约签到时间，已按现场取号排队"
wait_screen "A 0 0 3"
capture check-in-late
ok "not checked in by slot + 15 min: a booking no-show; checked in later: a walk-in A003"

# 4. Call-next: the appointment whose slot has begun goes before the walk-in who came first.
"$HALLQCTL" login 1 wang >/dev/null
[ "$("$HALLQCTL" call 1 | head -1)" = A002 ] || die "the appointment is not called first"
reason=$("$HALLQCTL" --json snapshot | "$PY" -c "import json, sys
d = json.load(sys.stdin)
print([t['reason_code'] for t in d['tickets'] if t['label'] == 'A002'][0])")
[ "$reason" = appointment ] || die "A002's reason is $reason"
"$HALLQCTL" finish 1 >/dev/null
[ "$("$HALLQCTL" call 1 | head -1)" = A001 ] || die "the walk-in is not next"
ok "call-next: A002 by its slot (reason appointment), then the walk-in A001"

# 5. The next morning: the 09:30 booking's check-in closed while the hall was closed: a
#    no-show as soon as hallqd starts.
start_hall "2026-10-13 08:00"
grep -q "booking $code3 (A, 2026-10-12 slot 09:30) not checked in: no-show" "$W/hallqd.log" ||
    die "yesterday's open booking is no no-show"
ok "a booking left open over the night is a no-show at the next start"
echo "$passed passed"

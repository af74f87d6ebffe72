#!/usr/bin/env bash
# The .deb installs into a fresh Debian 12 root (debootstrap), the daemon starts from its
# unit's command line as the hallq user, hallqctl answers, and an upgrade keeps the data.
# usage: deb.sh BUILD_DIR     (needs root and the Debian mirror; ~1-2 minutes)
set -u
BUILD=$(cd "${1:?build dir}" && pwd)
if [ -z "${HALLQ_IN_NS:-}" ]; then
    exec unshare -m env HALLQ_IN_NS=1 bash "$0" "$@"
fi
WORK=$(mktemp -d /tmp/hallq-deb.XXXXXX)
ROOT=$WORK/root
cleanup() {
    umount -l "$ROOT/proc" "$ROOT/dev" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$ROOT/tmp/d.log" ] && tail -20 "$ROOT/tmp/d.log" >&2; exit 1; }
pass() { echo "ok - $*"; }
in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

(cd "$BUILD" && cpack -G DEB >/dev/null) || fail "cpack"
DEB=$(ls "$BUILD"/hallq_*_amd64.deb | head -1)
[ -f "$DEB" ] || fail "no .deb built"
command -v debootstrap >/dev/null || fail "debootstrap is not installed (scripts/deps.sh)"
start=$(date +%s)
debootstrap --variant=minbase bookworm "$ROOT" http://deb.debian.org/debian > "$WORK/bootstrap.log" 2>&1 ||
    { tail -5 "$WORK/bootstrap.log"; fail "debootstrap"; }
mount -t proc proc "$ROOT/proc"
mount --rbind /dev "$ROOT/dev"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null
cp "$DEB" "$ROOT/tmp/hallq.deb"
in_root apt-get update -qq > "$WORK/apt.log" 2>&1 || fail "apt-get update in the new root"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    /tmp/hallq.deb >> "$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log"; fail "installing the .deb"; }
pass "installed into a fresh Debian 12 root in $(( $(date +%s) - start )) s"

for f in /usr/bin/hallqd /usr/bin/hallqctl /usr/share/man/man8/hallqd.8 /usr/share/man/man1/hallqctl.1 \
         /etc/hallq/hallq.conf /usr/share/doc/hallq/examples/hallq.conf \
         /usr/lib/systemd/system/hallqd.service; do
    [ -e "$ROOT$f" ] || fail "missing $f"
done
in_root getent passwd hallq >/dev/null || fail "no hallq system user"
expect_owner=$(in_root stat -c %U:%a /var/lib/hallq)
[ "$expect_owner" = "hallq:750" ] || fail "/var/lib/hallq is $expect_owner"
in_root man -w hallqd >/dev/null 2>&1 || [ -f "$ROOT/usr/share/man/man8/hallqd.8" ] || fail "man page"
pass "binaries, man pages, config, unit, user and /var/lib/hallq in place"

# Run the unit's own command line as its user, in a private network namespace.
EXEC=$(sed -n 's/^ExecStart=//p' "$ROOT/usr/lib/systemd/system/hallqd.service")
USER_=$(sed -n 's/^User=//p' "$ROOT/usr/lib/systemd/system/hallqd.service")
run_hall() {   # run_hall SCRIPT: daemon up, SCRIPT run against it, daemon stopped
    unshare -n bash -c '
        ip link set lo up
        chroot "$1" runuser -u "$2" -- $3 2>>"$1/tmp/d.log" &
        pid=$!
        for i in $(seq 1 100); do
            chroot "$1" hallqctl version >/dev/null 2>&1 && break
            sleep 0.1
        done
        chroot "$1" sh -c "$4"; rc=$?
        kill -TERM $pid; wait $pid
        exit $rc' _ "$ROOT" "$USER_" "$EXEC" "$1"
}
out=$(run_hall 'hallqctl version && hallqctl login 1 wang >/dev/null && hallqctl issue A | head -1 && hallqctl snapshot | head -1') ||
    fail "daemon from the unit's command line: $out"
grep -q "hallqd 0.1.0" <<<"$out" || fail "version: $out"
grep -q "^A001$" <<<"$out" || fail "issue: $out"
grep -q "^day " <<<"$out" || fail "snapshot: $out"
[ "$(stat -c %U "$ROOT/var/lib/hallq/hallq.db")" = "$(in_root id -un "$USER_" 2>/dev/null || echo hallq)" ] ||
    [ "$(in_root stat -c %U /var/lib/hallq/hallq.db)" = hallq ] || fail "database not owned by hallq"
pass "hallqd started as '$USER_' with '$EXEC'; hallqctl answered"

# Upgrade (reinstall over the installed package): the data stays.
in_root env DEBIAN_FRONTEND=noninteractive dpkg -i /tmp/hallq.deb >> "$WORK/apt.log" 2>&1 || fail "upgrade"
out=$(run_hall 'hallqctl issue A | head -1; hallqctl snapshot --json') || fail "after upgrade: $out"
grep -q "^A002$" <<<"$out" || fail "numbering after upgrade: $out"
grep -q '"label":"A001"' <<<"$out" || fail "A001 lost in the upgrade: $out"
pass "upgrade kept the hall's data"

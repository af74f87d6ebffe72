#!/usr/bin/env bash
# The two Debian packages in fresh Debian 12 roots (debootstrap), as a hall sets them up: the
# hall's server in one network namespace, a TV box that is also a clerk's PC in another,
# joined by a veth pair (server 192.168.1.10, device 192.168.1.20).
#   - hallq-server installs hallqd, its unit, the user hallq, the group hallq-managers,
#     /var/lib/hallq (hallq:hallq-managers 2750) and /etc/hallq/keys (hallq, 700);
#     hallq-client alone installs no hallqd, no daemon unit and no data folder
#   - the README's commands for keys, network and devices run verbatim (the blocks marked
#     <!-- package-test: NAME -->, each in the root and as the user its marker names); their
#     transcript is printed
#   - hallqd runs from its unit's command line as its user; the wall display from its unit's
#     command line, user and EnvironmentFile on the device, in tmux: a ticket issued on the
#     server and called from the clerk's PC with its own window's key appears on it
#   - a member of hallq-managers reads the data (stats export, backup); another user cannot
#   - an upgrade keeps the data, the keys and the configuration
# usage: deb.sh BUILD_DIR     (needs root and the Debian mirror; about 75 s, all in memory)
set -u
BUILD=$(cd "${1:?build dir}" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${HALLQ_IN_NS:-}" ]; then
    # Private mount and PID namespaces: the roots' mounts, the network namespaces' files and
    # every process the test started go away with it, however it ends. With the test as PID
    # 1, systemctl in a root sees that it runs in a chroot (it compares / with /proc/1/root)
    # and leaves start and restart alone.
    exec unshare -m -p -f --kill-child --mount-proc --propagation private \
        env HALLQ_IN_NS=1 bash "$0" "$@"
fi
WORK=$(mktemp -d /tmp/hallq-deb.XXXXXX)
# in memory: dpkg's many fsyncs cost nothing there, and the roots are gone with the namespace
mount -t tmpfs -o size=4g,mode=0755 hallq-deb "$WORK" || { echo "FAIL: tmpfs on $WORK" >&2; exit 1; }
SRV=$WORK/server     # the hall's server
DEV=$WORK/device     # the TV box and clerk's PC
NS_SRV=hallq-srv-$$
NS_DEV=hallq-dev-$$
TMUX_SOCK=$WORK/tmux.sock
DPID=
cleanup() {
    [ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
    tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
    ip netns del "$NS_SRV" 2>/dev/null
    ip netns del "$NS_DEV" 2>/dev/null
    for r in "$SRV" "$DEV"; do umount -R -l "$r/proc" "$r/dev" 2>/dev/null; done
    umount -l "$WORK" && rmdir "$WORK"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    for f in "$SRV/tmp/d.log" "$DEV/tmp/display.log"; do
        [ -s "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
    done
    [ -S "$TMUX_SOCK" ] && { echo "--- the display's screen" >&2; tmux -S "$TMUX_SOCK" capture-pane -p -t 0 >&2; }
    exit 1
}
pass() { echo "ok - $*"; }
# in_root ROOT CMD...: CMD in ROOT with a clean environment, as root
in_root() {
    local root=$1
    shift
    chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root "$@"
}
# wait_until SECONDS WHAT CMD...: CMD every 100 ms until it succeeds, else the test fails
wait_until() {
    local limit=$1 what=$2
    local deadline=$((SECONDS + limit))
    shift 2
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "$what (waited $limit s)"
        sleep 0.1
    done
}
start=$SECONDS

# ---- the packages ------------------------------------------------------------------------
(cd "$BUILD" && rm -f hallq*.deb && cpack -G DEB >/dev/null) || fail "cpack"
VERSION=$(sed -n 's/^project(hallq VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
SERVER_DEB=hallq-server_${VERSION}_amd64.deb
CLIENT_DEB=hallq-client_${VERSION}_amd64.deb
for d in "$SERVER_DEB" "$CLIENT_DEB"; do
    [ -f "$BUILD/$d" ] || fail "cpack made no $d"
    # the README installs them by these names
    grep -q "apt install .*\./\(build/\)\?$d" "$SRC/README.md" || fail "README does not install $d"
done
for f in $(dpkg-deb -c "$BUILD/$CLIENT_DEB" | awk '{print $6}'); do
    case $f in
        *hallqd* | *var/lib*) fail "the client package ships $f" ;;
    esac
done

# ---- the README's blocks -----------------------------------------------------------------
# block NAME: the ```sh block after <!-- package-test: NAME ... --> in the README
block() {
    awk -v name="$1" '
        $0 ~ "^<!-- package-test: " name "[ -]" { found = 1; next }
        found == 1 && /^```sh$/ { found = 2; next }
        found == 2 && /^```$/ { exit }
        found == 2 { print }' "$SRC/README.md"
}
for b in server tv clerk managers backup; do
    [ -n "$(block $b)" ] || fail "README has no block marked <!-- package-test: $b -->"
done
# run_block ROOT USER DIR NAME: the block run by bash -v in ROOT, as USER in DIR: every line
# is echoed as it is read, then what it printed
run_block() {
    local root=$1 user=$2 dir=$3 name=$4
    block "$name" > "$root/tmp/readme-$name.sh"
    echo "---- README block '$name', as $user in $dir:"
    chroot "$root" runuser -u "$user" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 HOME="$dir" USER="$user" \
        bash -c 'cd "$1" && exec bash -ev "$2"' _ "$dir" "/tmp/readme-$name.sh" 2>&1 |
        sed 's/^/    /'
    local rc=${PIPESTATUS[0]}
    echo "---- (exit $rc)"
    return "$rc"
}

# ---- two fresh Debian 12 roots: one debootstrap, with sudo and systemctl, copied ----------
command -v debootstrap >/dev/null || fail "debootstrap is not installed (scripts/deps.sh)"
debootstrap --variant=minbase bookworm "$SRV" http://deb.debian.org/debian > "$WORK/bootstrap.log" 2>&1 ||
    { tail -5 "$WORK/bootstrap.log"; fail "debootstrap"; }
pass "debootstrap in $((SECONDS - start)) s"
mount_root() {   # mount_root ROOT: /proc of the test's own PID namespace, and /dev
    mkdir -p "$1/proc" "$1/dev" && mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" ||
        fail "mounting /proc and /dev in $1"
}
cp /etc/resolv.conf "$SRV/etc/resolv.conf" 2>/dev/null
echo "127.0.1.1 $(hostname)" >> "$SRV/etc/hosts"   # sudo looks the host's name up
cp "$BUILD/$SERVER_DEB" "$BUILD/$CLIENT_DEB" "$SRV/tmp/"
mount_root "$SRV"
apt_get() {   # apt_get ROOT ARGS...
    local root=$1
    shift
    in_root "$root" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq "$@"
}
# sudo and systemctl, which the README's commands use; what hallq needs, downloaded once
{ in_root "$SRV" apt-get update -qq && apt_get "$SRV" install --no-install-recommends sudo systemd &&
    apt_get "$SRV" install --download-only "/tmp/$SERVER_DEB" "/tmp/$CLIENT_DEB"; } >> "$WORK/apt.log" 2>&1 ||
    { tail -20 "$WORK/apt.log"; fail "apt-get in the new root"; }
cp -a --one-file-system "$SRV" "$DEV" || fail "copying the root"
mount_root "$DEV"
apt_get "$SRV" install --no-install-recommends "/tmp/$SERVER_DEB" "/tmp/$CLIENT_DEB" >> "$WORK/apt.log" 2>&1 ||
    { tail -20 "$WORK/apt.log"; fail "installing the server's packages"; }
# the device as the README's apt install makes it: with fbterm and the font, recommended
apt_get "$DEV" install "/tmp/$CLIENT_DEB" >> "$WORK/apt.log" 2>&1 ||
    { tail -20 "$WORK/apt.log"; fail "installing the client package"; }
pass "hallq-server + hallq-client and hallq-client alone installed in two fresh roots at $((SECONDS - start)) s"

# ---- what each package put in place ------------------------------------------------------
for f in /usr/bin/hallqd /usr/bin/hallqctl /usr/share/man/man8/hallqd.8 /usr/share/man/man1/hallqctl.1 \
         /etc/hallq/hallq.conf /usr/share/doc/hallq/examples/hallq.conf /usr/share/doc/hallq/services.tsv \
         /usr/lib/systemd/system/hallqd.service /usr/bin/hallq-sync /usr/share/man/man8/hallq-sync.8 \
         /usr/lib/systemd/system/hallq-sync.service; do
    [ -e "$SRV$f" ] || fail "server: missing $f"
done
in_root "$SRV" getent passwd hallq >/dev/null || fail "server: no hallq system user"
in_root "$SRV" getent group hallq-managers >/dev/null || fail "server: no group hallq-managers"
got=$(in_root "$SRV" stat -c %U:%G:%a /var/lib/hallq)
[ "$got" = hallq:hallq-managers:2750 ] || fail "server: /var/lib/hallq is $got"
got=$(in_root "$SRV" stat -c %U:%G:%a /etc/hallq/keys)
[ "$got" = hallq:hallq:700 ] || fail "server: /etc/hallq/keys is $got"
[ -L "$SRV/etc/systemd/system/multi-user.target.wants/hallqd.service" ] || fail "server: hallqd.service not enabled"
out=$(in_root "$SRV" systemd-analyze verify --man=no hallqd.service 2>&1) && [ -z "$out" ] ||
    fail "systemd-analyze verify hallqd.service: $out"
# The shipper's unit: sound, and left disabled until [central] names the city database.
out=$(in_root "$SRV" systemd-analyze verify --man=no hallq-sync.service 2>&1) && [ -z "$out" ] ||
    fail "systemd-analyze verify hallq-sync.service: $out"
[ ! -e "$SRV/etc/systemd/system/multi-user.target.wants/hallq-sync.service" ] ||
    fail "server: hallq-sync.service enabled before [central] is set"
pass "server: binaries, man pages, config, unit (enabled), user, group, data and keys folders in place"

for f in /usr/bin/hallqctl /usr/bin/hallq-display /usr/bin/hallq-counter /usr/bin/hallq-ticket \
         /usr/share/man/man1/hallq-display.1 /etc/hallq/client.conf /usr/bin/fbterm \
         /usr/lib/systemd/system/hallq-display@.service; do
    [ -e "$DEV$f" ] || fail "device: missing $f"
done
for f in /usr/bin/hallqd /usr/lib/systemd/system/hallqd.service /var/lib/hallq /etc/hallq/hallq.conf; do
    [ ! -e "$DEV$f" ] || fail "device: the client package brought $f"
done
in_root "$DEV" getent passwd hallq >/dev/null || fail "device: no hallq user for the display's unit"
UNIT=$DEV/usr/lib/systemd/system/hallq-display@.service
ENVFILE=$(sed -n 's/^EnvironmentFile=-\?//p' "$UNIT")
[ "$ENVFILE" = /etc/hallq/client.conf ] || fail "the display's unit reads '$ENVFILE', not /etc/hallq/client.conf"
out=$(in_root "$DEV" systemd-analyze verify --man=no hallq-display@tty1.service 2>&1) && [ -z "$out" ] ||
    fail "systemd-analyze verify hallq-display@tty1.service: $out"
pass "device: the programs, the display's unit and client.conf; no hallqd, no data folder"

# ---- the server: the README's key and network commands, then hallqd as its unit runs it ---
run_block "$SRV" root /root server || fail "the README's server commands"
for f in tv1.key_secret win3.key_secret boss.key_secret server.key; do
    [ -s "$SRV/root/$f" ] || fail "the server commands made no $f"
done
[ "$(stat -c %a "$SRV/root/tv1.key_secret")" = 600 ] || fail "tv1.key_secret is not 600"
grep -q '^ *secret-key' "$SRV/root/tv1.key_secret" || fail "tv1.key_secret holds no secret"
[ -e "$SRV/etc/hallq/keys/clients/tv1.key" ] || fail "tv1 is not listed on the server"
! ls "$SRV"/etc/hallq/keys/clients/*secret* >/dev/null 2>&1 || fail "a device secret stayed on the server"

ip netns add "$NS_SRV" && ip netns add "$NS_DEV" || fail "ip netns add"
ip link add hq$$s type veth peer name hq$$d || fail "ip link add veth"
ip link set hq$$s netns "$NS_SRV" && ip link set hq$$d netns "$NS_DEV" || fail "moving the veth ends"
ip -n "$NS_SRV" addr add 192.168.1.10/24 dev hq$$s && ip -n "$NS_DEV" addr add 192.168.1.20/24 dev hq$$d ||
    fail "ip addr add"
for ns in "$NS_SRV" "$NS_DEV"; do ip -n "$ns" link set lo up; done
ip -n "$NS_SRV" link set hq$$s up && ip -n "$NS_DEV" link set hq$$d up || fail "ip link set up"

SUNIT=$SRV/usr/lib/systemd/system/hallqd.service
EXEC=$(sed -n 's/^ExecStart=//p' "$SUNIT")
DUSER=$(sed -n 's/^User=//p' "$SUNIT")
DUMASK=$(sed -n 's/^UMask=//p' "$SUNIT")
start_hall() {   # hallqd from its unit's command line, as its user, in the server's namespace
    : > "$SRV/tmp/d.log"
    # exec all the way down (setpriv, not runuser, which would stay as hallqd's parent): the
    # test signals hallqd itself and reads its exit status
    ip netns exec "$NS_SRV" sh -c 'umask "$1"; exec chroot "$2" setpriv --reuid="$3" --regid="$3" \
        --init-groups -- env -i PATH=/usr/bin:/bin LANG=C.UTF-8 $4 2>>"$2/tmp/d.log"' \
        _ "${DUMASK:-0022}" "$SRV" "$DUSER" "$EXEC" &
    DPID=$!
    wait_until 10 "hallqd listening" grep -q 'listening requests=' "$SRV/tmp/d.log"
}
stop_hall() {
    kill -TERM "$DPID" && wait "$DPID"
    local rc=$?
    DPID=
    [ "$rc" = 0 ] || fail "hallqd exited $rc on SIGTERM"
}
# on the server, as root with the manager's key the README made
manager() {
    ip netns exec "$NS_SRV" chroot "$SRV" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
        HALLQ_KEY=/root/boss.key HALLQ_SERVER_KEY=/root/server.key hallqctl "$@"
}
start_hall
grep -q 'requests=tcp://0.0.0.0:5570' "$SRV/tmp/d.log" || fail "hallqd does not listen on the network"
out=$(manager version) || fail "the manager's key on the server: $out"
grep -q "hallqd $VERSION" <<<"$out" || fail "version: $out"
out=$(manager issue A | head -1)
[ "$out" = A001 ] || fail "issue on the server: $out"
pass "hallqd runs as '$DUSER' with '$EXEC', keys on, listening beyond loopback"

# ---- the device: the README's commands for a TV box and a clerk's PC ----------------------
# scp tv1.key_secret server.key tv1:   and   scp win3.key_secret server.key win3:
cp -p "$SRV/root/tv1.key_secret" "$SRV/root/server.key" "$DEV/root/"
in_root "$DEV" adduser --disabled-password --gecos "" wang >/dev/null || fail "adduser wang"
cp -p "$SRV/root/win3.key_secret" "$SRV/root/server.key" "$DEV/home/wang/"
in_root "$DEV" chown wang:wang /home/wang/win3.key_secret /home/wang/server.key
run_block "$DEV" root /root tv || fail "the README's commands for a TV box"
[ -L "$DEV/etc/systemd/system/multi-user.target.wants/hallq-display@tty1.service" ] ||
    fail "systemctl enable hallq-display@tty1 made no link"
run_block "$DEV" wang /home/wang clerk || fail "the README's commands for a clerk's PC"

# The display as its unit starts it on tty1 (fbterm left out: tmux is the terminal here).
DCMD=$(sed -n 's/^ExecStart=.* -- //p' "$UNIT")
DUSER_TV=$(sed -n 's/^User=//p' "$UNIT")
DENV=$(sed -n 's/^Environment=//p' "$UNIT"; grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$DEV$ENVFILE")
grep -q '^HALLQ_ENDPOINT=tcp://192.168.1.10:5570$' <<<"$DENV" || fail "client.conf: $DENV"
: > "$DEV/tmp/display.log"
tmux -S "$TMUX_SOCK" new-session -d -x 160 -y 45 \
    "ip netns exec $NS_DEV chroot $DEV setpriv --reuid=$DUSER_TV --regid=$DUSER_TV --init-groups -- \
     env -i PATH=/usr/bin:/bin TERM=screen \
     $(tr '\n' ' ' <<<"$DENV") $DCMD 2>>$DEV/tmp/display.log" || fail "tmux"
screen_() { tmux -S "$TMUX_SOCK" capture-pane -p -t 0; }
shows() { screen_ | grep -q -- "$1"; }
# The clerk at window 3 calls A001 from the device, with the window's key from ~/.profile.
clerk() { ip netns exec "$NS_DEV" chroot "$DEV" runuser -l wang -c "$1"; }
out=$(clerk 'hallqctl login 3 wang >/dev/null && hallqctl call 3') || fail "the clerk's call: $out"
[ "$(head -1 <<<"$out")" = A001 ] || fail "the clerk called '$out', not A001"
out=$(clerk 'hallqctl call 4' 2>&1) && fail "window 3's key acted for window 4: $out"
grep -q 'forbidden' <<<"$out" || fail "window 3's key at window 4: $out"
wait_until 10 "A001 on the display" shows A001
if [ -x "$BUILD/bin/display-bigfont-find" ]; then
    # The digits are reverse-video blanks: read with their attributes.
    tmux -S "$TMUX_SOCK" capture-pane -p -e -N -t 0 | "$BUILD/bin/display-bigfont-find" A001 >/dev/null ||
        fail "A001 is not in big digits: $(screen_)"
fi
echo "---- the wall display on the device:"
screen_ | sed -e 's/[[:space:]]*$//' -e '/^$/d' -e 's/^/    /'
pass "the display on the device shows A001, issued on the server and called from the clerk's PC"

# ---- the managers' group -----------------------------------------------------------------
for u in li zhao; do in_root "$SRV" adduser --disabled-password --gecos "" "$u" >/dev/null || fail "adduser $u"; done
run_block "$SRV" root /root managers || fail "the README's managers' command"
got=$(in_root "$SRV" stat -c %U:%G /var/lib/hallq/hallq.db)
[ "$got" = hallq:hallq-managers ] || fail "hallq.db is $got"
as_user() { local u=$1; shift; in_root "$SRV" runuser -u "$u" -- "$@"; }
out=$(as_user li hallqctl stats export --data /var/lib/hallq --by day 2>&1) || fail "li's stats export: $out"
# the day's row: one ticket issued, one called
grep -q '^20[0-9-]*,1,1,' <<<"$out" || fail "li's export has not today's ticket: $out"
as_user li hallqctl backup --data /var/lib/hallq --out /tmp/li.db >/dev/null || fail "li's backup"
as_user li sh -c 'echo x > /var/lib/hallq/x' 2>/dev/null && fail "li wrote into /var/lib/hallq"
out=$(as_user zhao hallqctl stats export --data /var/lib/hallq --by day 2>&1) && fail "zhao, not a manager, read the data: $out"
[ "$(wc -l <<<"$out")" = 1 ] && grep -q 'Permission denied' <<<"$out" || fail "zhao's refusal: $out"
pass "a member of hallq-managers reads the data while hallqd runs, writes nothing; another user is refused: $out"
run_block "$SRV" root /root backup || fail "the README's backup command"
got=$(in_root "$SRV" sh -c 'stat -c %U:%G /var/backups/hallq/hallq-*.db')
[ "$got" = hallq:hallq-managers ] || fail "the backup is $got"
pass "the README's backup command writes /var/backups/hallq, readable by the managers"
stop_hall

# ---- upgrade: reinstalling keeps the data, the keys and the configuration ----------------
in_root "$DEV" env DEBIAN_FRONTEND=noninteractive dpkg -i "/tmp/$CLIENT_DEB" >> "$WORK/apt.log" 2>&1 ||
    fail "upgrade on the device"
grep -q '^HALLQ_ENDPOINT=tcp://192.168.1.10:5570$' "$DEV/etc/hallq/client.conf" ||
    fail "the upgrade lost client.conf's lines"
in_root "$SRV" env DEBIAN_FRONTEND=noninteractive dpkg -i "/tmp/$CLIENT_DEB" "/tmp/$SERVER_DEB" >> "$WORK/apt.log" 2>&1 ||
    fail "upgrade"
grep -q '^request = tcp://0.0.0.0:5570' "$SRV/etc/hallq/hallq.conf" || fail "the upgrade lost hallq.conf's lines"
[ -e "$SRV/etc/hallq/keys/clients/tv1.key" ] || fail "the upgrade lost the keys"
got=$(in_root "$SRV" stat -c %U:%G:%a /var/lib/hallq)
[ "$got" = hallq:hallq-managers:2750 ] || fail "after the upgrade /var/lib/hallq is $got"
start_hall
out=$(manager issue A | head -1)
[ "$out" = A002 ] || fail "numbering after the upgrade: $out"
manager snapshot --json | grep -q '"label":"A001"' || fail "A001 lost in the upgrade"
stop_hall
pass "the upgrade kept the data, the keys and the configuration ($((SECONDS - start)) s in all)"

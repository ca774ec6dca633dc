#!/usr/bin/env bash
# Tests the Supervisor deployment for real: installs Debian's `supervisor` (when missing), runs
# ragmail under it against a mail server, answers a mail, kills ragmail with SIGKILL, and shows that
# Supervisor brings it back, healthy, that the unclean stop was detected and alerted, and that mail
# is answered again. Uses its own supervisord (own config and socket in a temporary folder), not the
# system's. Run from the repository root after packaging the jar:
#   mvn -pl ragmail-daemon -am package -DskipTests && ragmail-daemon/deploy/supervisor/test-supervisor.sh
set -euo pipefail

JAR=$(readlink -f "${JAR:-ragmail-daemon/target/ragmail.jar}")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/ragmail-supervisor.XXXXXX)
CONF="$WORK/supervisord.conf"
say() { printf '\n== %s\n' "$*"; }
fail() { printf '\nFAIL: %s\n' "$*"; exit 1; }

[ -f "$JAR" ] || fail "no $JAR; package it first"
if ! command -v supervisord >/dev/null; then
    say "installing Debian's supervisor"
    apt-get install -y -q supervisor >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q supervisor >/dev/null; }
fi
supervisord --version | sed 's/^/supervisord /'

cleanup() {
    supervisorctl -c "$CONF" shutdown >/dev/null 2>&1 || true
    touch "$WORK/mail/stop" 2>/dev/null || true
    [ -n "${MAIL_PID:-}" ] && wait "$MAIL_PID" 2>/dev/null || true
}
trap cleanup EXIT

say "starting a mail server (GreenMail from the jar)"
mkdir -p "$WORK/mail" "$WORK/data"
java -Xmx128m -cp "$JAR" "$HERE/MailServer.java" "$WORK/mail" > "$WORK/mail.log" 2>&1 &
MAIL_PID=$!
for _ in $(seq 1 120); do [ -f "$WORK/mail/ports" ] && break; sleep 0.5; done
read -r IMAP SMTP < "$WORK/mail/ports"
HEALTH=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "IMAP $IMAP, SMTP $SMTP, health $HEALTH"

cat > "$WORK/ragmail.env" <<ENV
RAGMAIL_IMAP_HOST=127.0.0.1
RAGMAIL_IMAP_PORT=$IMAP
RAGMAIL_IMAP_SECURITY=none
RAGMAIL_IMAP_USER=support@shop.example
RAGMAIL_IMAP_PASSWORD=support-Pa55
RAGMAIL_IMAP_POLL_INTERVAL=2s
RAGMAIL_SMTP_HOST=127.0.0.1
RAGMAIL_SMTP_PORT=$SMTP
RAGMAIL_SMTP_SECURITY=none
RAGMAIL_SMTP_USER=none
RAGMAIL_FROM=support@shop.example
RAGMAIL_ALERT_TO=ops@shop.example
RAGMAIL_DATA_DIR=$WORK/data
RAGMAIL_HEALTH_PORT=$HEALTH
ENV
chmod 600 "$WORK/ragmail.env"

cat > "$CONF" <<SUP
[unix_http_server]
file=$WORK/supervisor.sock
[supervisord]
logfile=$WORK/supervisord.log
pidfile=$WORK/supervisord.pid
childlogdir=$WORK
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$WORK/supervisor.sock
SUP
# the shipped program section, with this test's paths and without the dedicated user
sed -e "s#/opt/ragmail/ragmail.jar#$JAR#" -e "s#/etc/ragmail/ragmail.env#$WORK/ragmail.env#" \
    -e "s#/etc/ragmail/ragmail.properties#$WORK/none.properties#" -e "s#/var/lib/ragmail#$WORK/data#g" \
    -e "s#/var/log/supervisor/#$WORK/#" -e '/^user=/d' "$HERE/ragmail.conf" >> "$CONF"

status_json() { curl -s "http://127.0.0.1:$HEALTH/health" || true; }
details_json() { curl -s "http://127.0.0.1:$HEALTH/health/daemon" || true; }
wait_healthy() {
    for _ in $(seq 1 240); do
        # /health/ready is what supervisors probe; /health says healthy (or degraded: a component not heard of yet)
        if curl -sf "http://127.0.0.1:$HEALTH/health/ready" >/dev/null \
                && status_json | grep -Eq '"status" ?: ?"(healthy|degraded)"'; then return 0; fi
        sleep 0.5
    done
    fail "ragmail did not become healthy; see $WORK"
}
wait_replies() {
    for _ in $(seq 1 240); do
        [ "$(cut -d' ' -f1 "$WORK/mail/replies" 2>/dev/null || echo 0)" -ge "$1" ] && return 0
        sleep 0.5
    done
    fail "no reply number $1; see $WORK/data/logs"
}

say "supervisord starts ragmail"
supervisord -c "$CONF"
wait_healthy
PID1=$(supervisorctl -c "$CONF" pid ragmail)
supervisorctl -c "$CONF" status ragmail
printf 'Do you have acetone?\nHello, do you have ACE-500 in stock?\n' > "$WORK/mail/deliver/1.txt"
wait_replies 1
echo "first mail answered (filed for review: no Mistral key, template drafter)"

say "kill -9 $PID1"
kill -9 "$PID1"
PID2=0
for _ in $(seq 1 120); do
    # `pid` prints 0 (and exits non-zero) while the program is not running
    PID2=$(supervisorctl -c "$CONF" pid ragmail 2>/dev/null | head -1 || true)
    [[ "$PID2" =~ ^[0-9]+$ ]] && [ "$PID2" != "0" ] && [ "$PID2" != "$PID1" ] && break
    PID2=0
    sleep 0.5
done
[ "$PID2" != "0" ] || fail "supervisor did not restart ragmail"
wait_healthy
supervisorctl -c "$CONF" status ragmail
echo "restarted as PID $PID2"
details_json | grep -Eq '"unclean_start" ?: ?true' || fail "the unclean stop was not detected"
for _ in $(seq 1 60); do [ "$(cut -d' ' -f2 "$WORK/mail/replies")" -ge 1 ] && break; sleep 0.5; done
[ "$(cut -d' ' -f2 "$WORK/mail/replies")" -ge 1 ] || fail "no unclean-stop alert reached ops@shop.example"
echo "unclean stop detected and alerted to ops@shop.example"

printf 'Second question\nAnd IPA-200?\n' > "$WORK/mail/deliver/2.txt"
wait_replies 2
echo "second mail answered after the restart; first one not answered twice: $(cut -d' ' -f1 "$WORK/mail/replies") replies"

say "ragmail status"
java -Xmx32m -XX:TieredStopAtLevel=1 -jar "$JAR" status --url "http://127.0.0.1:$HEALTH/health"

say "graceful stop through supervisor (SIGTERM)"
supervisorctl -c "$CONF" stop ragmail
grep -q "stopped cleanly" "$WORK/data/logs/ragmail.log" || fail "no clean stop in the log"
echo "stopped cleanly"
printf '\nPASS: Supervisor restarted ragmail after SIGKILL and it came back healthy (work dir %s)\n' "$WORK"

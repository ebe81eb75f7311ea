#!/bin/sh
# SPDX-License-Identifier: MIT
# Starts an sshd on 127.0.0.1, on a free high port, for fanout's SSH suite:
# from nothing, as root, and again without harm when it already runs. Its
# whole state is under $FANOUT_SSH_DIR (default /tmp/fanout-ssh): host and
# client keys, authorized_keys, known_hosts, sshd_config, the sshd's pid and
# log, and `ssh_config`, whose host `fanout-test` is the test sshd as the
# test user. Use it as fanout does:
#   FANOUT_SSH="ssh -F /tmp/fanout-ssh/ssh_config" fanout --hosts fanout-test ...
# The test user ($FANOUT_SSH_USER, default fanout-ssh) is a clean account:
# shell /bin/sh, no rc files, so nothing but the job writes to its output.
# sshd keeps its default MaxSessions (10), so a cap on sessions is real.
set -eu

dir=${FANOUT_SSH_DIR:-/tmp/fanout-ssh}
user=${FANOUT_SSH_USER:-fanout-ssh}
started=$(date +%s%N)

if [ "$(id -u)" -ne 0 ]; then
  echo "up.sh: run as root: it installs openssh-server and adds a user" >&2
  exit 1
fi

# Whether our sshd runs: its pid file names a live process that is not a
# zombie (PID 1 may not reap).
running() {
  [ -f "$dir/sshd.pid" ] || return 1
  pid=$(cat "$dir/sshd.pid")
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state=$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f1)
  [ "$state" != Z ]
}

if [ ! -x /usr/sbin/sshd ]; then
  # Debian's maintainer scripts would start a system sshd on port 22:
  # policy-rc.d says no, unless the machine already has one of its own.
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    guard=/usr/sbin/policy-rc.d
  fi
  export DEBIAN_FRONTEND=noninteractive
  status=0
  apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends openssh-server \
    >/dev/null || {
    apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null &&
      apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends openssh-server \
        >/dev/null
  } || status=$?
  [ -z "$guard" ] || rm -f "$guard"
  [ "$status" -eq 0 ] || exit "$status"
fi

# A clean user: /bin/sh, a home without rc files, and an account that is
# not locked (sshd refuses key logins to a locked one without PAM).
if ! id "$user" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/sh "$user"
fi
usermod -p '*' "$user"
home=$(getent passwd "$user" | cut -d: -f6)
rm -f "$home/.bashrc" "$home/.profile" "$home/.bash_logout"

install -d -m 711 "$dir"
install -d -m 755 /run/sshd # privilege separation, which systemd would make

if running; then
  echo "READY in $((($(date +%s%N) - started) / 1000000)) ms (already running, port $(cat "$dir/port"))"
  exit 0
fi

[ -f "$dir/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
[ -f "$dir/client_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
install -m 644 "$dir/client_key.pub" "$dir/authorized_keys"

# A free port: asked of the kernel, then taken by sshd at once.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "$port" >"$dir/port"
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/host_key.pub")" >"$dir/known_hosts"

cat >"$dir/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
UseDNS no
MaxStartups 100:30:200
AllowUsers $user
EOF

cat >"$dir/ssh_config" <<EOF
Host fanout-test
  HostName 127.0.0.1
  Port $port
  User $user
  IdentityFile $dir/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  LogLevel ERROR
Host fanout-closed
  HostName 127.0.0.1
  Port 1
  User $user
  IdentityFile $dir/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
  BatchMode yes
EOF
chmod 644 "$dir/ssh_config" "$dir/known_hosts" "$dir/client_key.pub"
# The client key is root's to use (fanout runs as root in the tests).
chmod 600 "$dir/client_key"

/usr/sbin/sshd -t -f "$dir/sshd_config"
/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"

tries=0
until ssh -F "$dir/ssh_config" fanout-test true 2>/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -ge 100 ]; then
    echo "up.sh: sshd does not answer; see $dir/sshd.log" >&2
    exit 1
  fi
  sleep 0.05
done
echo "READY in $((($(date +%s%N) - started) / 1000000)) ms (port $port)"

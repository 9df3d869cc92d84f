# shellcheck shell=bash
# A one-node Slurm cluster for the tests, in a temporary folder: munged (as
# the munge user, with its own key and socket), slurmctld and slurmd on free
# ports, node "localhost" with this machine's CPUs. Sourced by the tests:
#
#   source tests/cluster/slurm_cluster.sh
#   slurm_cluster_start   # exports SLURM_CONF; the node is idle on return
#   sbatch ...            # the daemons stop when the shell exits, however it exits
#
# Needs root (slurmd runs jobs as their user) and the Debian packages
# slurmctld, slurmd, slurm-client and munge. Nothing outside the temporary
# folder is read or changed, so a cluster already on the machine is left alone.

slurm_cluster_dir=""
slurm_cluster_pids=()

slurm_cluster_fail() {
  echo "slurm_cluster: $*" >&2
  local log
  for log in "$slurm_cluster_dir"/*.log "$slurm_cluster_dir"/munge/munged.log; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}

# Two free TCP ports, found by binding port 0.
slurm_cluster_free_ports() {
  python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])'
}

# Starts a daemon in the background (it stays a child of this shell, so its
# PID is known without a PID file) and remembers the PID.
slurm_cluster_spawn() {
  local log=$1
  shift
  "$@" > "$log" 2>&1 &
  slurm_cluster_pids+=($!)
}

slurm_cluster_start() {
  local tool
  for tool in munged mungekey slurmctld slurmd sbatch sinfo setpriv python3; do
    command -v "$tool" > /dev/null || slurm_cluster_fail "$tool is not installed"
  done
  [ "$(id -u)" = 0 ] || slurm_cluster_fail "needs root (slurmd runs the jobs)"

  slurm_cluster_dir=$(mktemp -d "${TMPDIR:-/tmp}/hapmat-slurm.XXXXXX")
  trap slurm_cluster_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local d=$slurm_cluster_dir
  # munged wants every folder above its socket searchable and writable by
  # its owner only.
  chmod 755 "$d"
  mkdir -m 755 "$d/munge"
  chown munge:munge "$d/munge"
  setpriv --reuid=munge --regid=munge --init-groups mungekey --create --keyfile="$d/munge/munge.key" \
    || slurm_cluster_fail "mungekey could not create a key"
  slurm_cluster_spawn "$d/munged.out" setpriv --reuid=munge --regid=munge --init-groups \
    munged --foreground --socket="$d/munge/munge.socket" --key-file="$d/munge/munge.key" \
    --pid-file="$d/munge/munged.pid" --log-file="$d/munge/munged.log" \
    --seed-file="$d/munge/munged.seed"

  local ports
  read -r -a ports <<< "$(slurm_cluster_free_ports)"
  mkdir "$d/state" "$d/spool"
  cat > "$d/slurm.conf" << EOF
ClusterName=hapmattest
SlurmctldHost=localhost
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
AuthType=auth/munge
AuthInfo=socket=$d/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=localhost CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$d/slurm.conf

  # munged must be answering before the Slurm daemons ask it for credentials.
  local deadline=$((SECONDS + 30))
  until [ -S "$d/munge/munge.socket" ]; do
    ((SECONDS < deadline)) || slurm_cluster_fail "munged did not start"
    kill -0 "${slurm_cluster_pids[0]}" 2> /dev/null || slurm_cluster_fail "munged exited"
    sleep 0.1
  done
  slurm_cluster_spawn "$d/slurmctld.out" slurmctld -D -f "$SLURM_CONF"
  slurm_cluster_spawn "$d/slurmd.out" slurmd -D -f "$SLURM_CONF" -N localhost

  local pid state=""
  until [ "$state" = idle ]; do
    ((SECONDS < deadline)) || slurm_cluster_fail "the node is not idle after 30 s (state '$state')"
    for pid in "${slurm_cluster_pids[@]}"; do
      kill -0 "$pid" 2> /dev/null || slurm_cluster_fail "a daemon (pid $pid) exited"
    done
    sleep 0.1
    state=$(sinfo -h -n localhost -o %t 2> /dev/null || true)
  done
  echo "slurm_cluster: node localhost idle, SLURM_CONF=$SLURM_CONF" >&2
}

# Stops the daemons this shell started, by PID (TERM, then KILL after 10 s),
# and removes the folder (kept with HAPMAT_KEEP_SLURM=1, for debugging).
slurm_cluster_stop() {
  local status=$? pid i
  trap - EXIT
  # Jobs still running (a failed test) end first: their slurmstepd would
  # outlive slurmd.
  if ((${#slurm_cluster_pids[@]} == 3)) && kill -0 "${slurm_cluster_pids[1]}" 2> /dev/null; then
    timeout 10 scancel --full --user=root 2> /dev/null || true
    for ((i = 0; i < 100; i++)); do
      [ -z "$(timeout 5 squeue -h -o %A 2> /dev/null)" ] && break
      sleep 0.1
    done
  fi
  for ((i = ${#slurm_cluster_pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${slurm_cluster_pids[i]}" 2> /dev/null || true
  done
  for pid in "${slurm_cluster_pids[@]}"; do
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  slurm_cluster_pids=()
  if [ -n "$slurm_cluster_dir" ] && [ "${HAPMAT_KEEP_SLURM:-0}" != 1 ]; then
    rm -rf "$slurm_cluster_dir"
  fi
  exit "$status"
}

#!/usr/bin/env bash
# Converts a genome matrix on a Slurm cluster: an array job converts its N
# parts (part.sbatch), then a job that starts only when every part succeeded
# joins them (concat.sbatch, --dependency=afterok). Prints the two job ids.
# See docs/CLUSTER.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

usage() {
  cat << 'EOF'
usage: submit.sh -n N [options] MATRIX OUTPUT [-- CONVERT_OPTIONS...]

  -n, --parts N        number of parts: array tasks 1-N (required)
  -c, --threads T      threads of each part (sbatch -c; default 1)
  --mem MB             memory of each part's job in MiB (default 256)
  --time MINUTES       time limit of each part's job (default 60)
  --concat-time MIN    time limit of the join (default 600)
  --index[=tbi|csi]    index the joined VCF (BGZF output only): .tbi when the
                       positions fit one, else .csi; =tbi or =csi forces one
  --hapmat PATH        the hapmat binary (default: hapmat on PATH, else build/hapmat)
  --parts-dir DIR      where parts and logs go (default: OUTPUT.parts)
  --keep-parts         keep the parts after the join (default: delete them)
  --only LIST          submit only these parts, e.g. 3 or 3,5-7, then the join
  --missing            submit only the parts that have no file (or record) yet, then the join
  --sbatch "OPTIONS"   more sbatch options for every job (partition, account, ...)
  --wait               wait until the join ends; exit 1 if it did not succeed
  --dry-run            print the sbatch commands instead of running them

MATRIX is plain text or BGZF; a name ending in .gz/.bgz for OUTPUT gives BGZF.
After a failed part, run the same command with --missing: the parts already
done stay, the failed ones run again, then the join.
EOF
}

die() {
  echo "submit.sh: $*" >&2
  exit 2
}

n="" threads=1 mem=256 time=60 concat_time=600 index=() hapmat="" parts_dir=""
keep_parts=no only="" missing=no extra="" wait=no dry_run=no
positional=()
while (($#)); do
  case $1 in
    -n | --parts) n=${2:?}; shift ;;
    -c | --threads) threads=${2:?}; shift ;;
    --mem) mem=${2:?}; shift ;;
    --time) time=${2:?}; shift ;;
    --concat-time) concat_time=${2:?}; shift ;;
    --index | --index=tbi | --index=csi) index=("$1") ;;
    --hapmat) hapmat=${2:?}; shift ;;
    --parts-dir) parts_dir=${2:?}; shift ;;
    --keep-parts) keep_parts=yes ;;
    --only) only=${2:?}; shift ;;
    --missing) missing=yes ;;
    --sbatch) extra=${2:?}; shift ;;
    --wait) wait=yes ;;
    --dry-run) dry_run=yes ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) positional+=("$1") ;;
  esac
  shift
done
convert_options=("$@")

((${#positional[@]} == 2)) || { usage >&2; die "expected MATRIX and OUTPUT"; }
[[ $n =~ ^[1-9][0-9]*$ ]] || die "-n N: a whole number >= 1 is required"
[[ $threads =~ ^[1-9][0-9]*$ ]] || die "--threads: a whole number >= 1, not '$threads'"
[ -z "$only" ] || [ "$missing" = no ] || die "--only and --missing exclude each other"
for word in "${convert_options[@]}"; do
  case ${word%%=*} in
    -o* | --output | --part | --index | -t* | --threads)
      die "convert options must not hold '$word': this script sets the output, part, index and threads" ;;
  esac
done

matrix=$(realpath -e "${positional[0]}") || die "no matrix ${positional[0]}"
output=$(realpath -m "${positional[1]}")
parts_dir=$(realpath -m "${parts_dir:-$output.parts}")
suffix=""
shopt -s nocasematch
[[ $output == *.gz || $output == *.bgz ]] && suffix=.gz
shopt -u nocasematch
((${#index[@]} == 0)) || [ -n "$suffix" ] || die "--index needs a BGZF output (a name ending in .gz)"

# A gzip file that is not BGZF cannot be split: every part would fail.
magic=$(head -c 16 "$matrix" | od -An -tx1 | tr -d ' \n')
if [[ $magic == 1f8b* && ${magic:24:4} != 4243 ]]; then
  die "$matrix is gzip but not BGZF, so it cannot be split into parts: recompress it with bgzip"
fi

if [ -z "$hapmat" ]; then
  hapmat=$(command -v hapmat || true)
  [ -n "$hapmat" ] || hapmat=$here/../../build/hapmat
fi
[ -x "$hapmat" ] || die "no hapmat binary at '$hapmat'"
hapmat=$(realpath "$hapmat")

part_file() {
  printf '%s/part-%0*d-of-%d%s' "$parts_dir" "${#n}" "$1" "$n" "$suffix"
}

# The array indices to submit: all, --only LIST, or the missing parts.
array="1-$n"
if [ -n "$only" ]; then
  [[ $only =~ ^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$ ]] || die "--only: a list like 3 or 3,5-7"
  array=$only
elif [ "$missing" = yes ]; then
  if [ -e "$output" ]; then
    echo "submit.sh: $output exists: nothing to redo (delete it to run again)" >&2
    exit 0
  fi
  array=""
  for ((k = 1; k <= n; k++)); do
    # A part is done once its record is written, after the part.
    [ -e "$(part_file "$k")" ] && [ -e "$(part_file "$k").hapmat-part" ] \
      || array+="${array:+,}$k"
  done
fi

# shellcheck disable=SC2206 # extra sbatch options are words, as on a command line
extra_options=($extra)
run() {
  if [ "$dry_run" = yes ]; then
    printf '%q ' "$@" >&2
    echo >&2
    echo DRYRUN
  else
    "$@"
  fi
}

[ "$dry_run" = yes ] || mkdir -p "$parts_dir/logs"
dependency=()
if [ -n "$array" ]; then
  array_job=$(run sbatch --parsable "${extra_options[@]}" --array="$array" \
    --cpus-per-task="$threads" --mem="$mem" --time="$time" \
    --output="$parts_dir/logs/part-%a.log" --open-mode=append \
    "$here/part.sbatch" "$hapmat" "$n" "$parts_dir" "$suffix" "$matrix" "${convert_options[@]}")
  array_job=${array_job%%;*}
  echo "parts: job $array_job, array $array of $n"
  dependency=(--dependency="afterok:$array_job" --kill-on-invalid-dep=yes)
else
  echo "parts: all $n present, none submitted"
fi

concat_job=$(run sbatch --parsable "${extra_options[@]}" "${dependency[@]}" \
  --cpus-per-task=1 --mem="$mem" --time="$concat_time" \
  --output="$parts_dir/logs/concat.log" --open-mode=append \
  "$here/concat.sbatch" "$hapmat" "$n" "$parts_dir" "$suffix" "$output" "$keep_parts" "${index[@]}")
concat_job=${concat_job%%;*}
echo "join: job $concat_job -> $output"
[ "$wait" = yes ] && [ "$dry_run" = no ] || exit 0

# Waits for the join: it ends COMPLETED, or FAILED, or CANCELLED by Slurm
# when a part failed (its dependency can never be met). Polled every second
# for a minute, then every 15 s.
start=$SECONDS
while state=$("$here/../slurm_status.sh" "$concat_job") && [ "$state" = running ]; do
  sleep $((SECONDS - start < 60 ? 1 : 15))
done
if [ "$state" != success ]; then
  echo "submit.sh: the join (job $concat_job) did not succeed: a part failed, or the join" \
    "itself; see $parts_dir/logs. Once the cause is fixed, run the same command with" \
    "--missing to redo only the parts that have no file." >&2
  exit 1
fi

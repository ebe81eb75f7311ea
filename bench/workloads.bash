# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# bench/workloads.bash: the workloads of bench/run, which sources this file.
# Each workload_* declares its contestants (the limit first), measures them
# and declares its targets, with the functions and settings of bench/run.

# 2000 jobs that do nothing: all that is measured is the cost of starting,
# watching and reaping a process, which is the runner's own overhead.
#
# Fairness: every contestant execs exactly one `/bin/sh -c true` per job,
# by absolute path (no PATH search), and hyperfine execs each contestant
# directly (--shell=none), so no extra shell is timed anywhere.
#   limit   argv is /bin/sh -c true.
#   xargs   -n1 gives each line of the argument file its own invocation,
#           `/bin/sh -c true N`: sh takes N as $0 and ignores it. Arguments
#           come from a file (-a), not a pipe, so no `seq` or shell runs.
#   parallel  -N0 reads one line of the argument file per job but passes
#           none of it, so the command stays `true`; GNU parallel runs it as
#           `$PARALLEL_SHELL -c 'true '`, i.e. /bin/sh -c true (bench/run
#           sets it). --will-cite only silences the citation notice.
#   make    a Makefile of N phony targets whose recipe is `@/bin/sh -c true`.
#           GNU make runs a recipe through /bin/sh -c only when it holds shell
#           syntax; a plain `@true` it would exec directly (/usr/bin/true, no
#           shell: checked with strace). Spelling the shell out gives one
#           exec of /bin/sh -c true per target, as everywhere else. -r -R: no
#           built-in rules or variables to search; -s: no echo.
#   ninja   a build.ninja of N edges of a rule whose `command = true`: ninja
#           always runs a command as /bin/sh -c COMMAND, so this is /bin/sh -c
#           true. The outputs are never created, so every run rebuilds all N.
#           ninja keeps its .ninja_log in the build folder, as in real use.
#   fanout  each job is `cmd = "true"`, which fanout runs as /bin/sh -c true.
workload_spawn() {
    local width=$1 id=spawn-j$1 prefix=$WORK/spawn
    local makefile=$WORK/spawn.mk
    if [[ ! -f $prefix.toml ]]; then
        trivial_jobs "$prefix" "$SPAWN_JOBS"
        {
            printf '.PHONY: all'; printf ' j%d' $(seq "$SPAWN_JOBS"); printf '\n'
            printf 'all:'; printf ' j%d' $(seq "$SPAWN_JOBS"); printf '\n'
            printf 'j%d ' $(seq "$SPAWN_JOBS"); printf ':\n\t@/bin/sh -c true\n'
        } >"$makefile"
    fi
    contestant limit "$(printf '%q ' "$LIMIT" "$SPAWN_JOBS" "$width" /bin/sh -c true)"
    contestant xargs "$(printf '%q ' xargs -a "$prefix.args" -P "$width" -n 1 /bin/sh -c true)"
    contestant parallel "$(printf '%q ' parallel --will-cite -j "$width" -N0 -a "$prefix.args" true)"
    contestant make "$(printf '%q ' make -s -r -R -f "$makefile" -j "$width")"
    contestant ninja "$(printf '%q ' ninja --quiet -C "$prefix-ninja" -j "$width")"
    contestant fanout "$(printf '%q ' "$FANOUT" -f "$prefix.toml" -j "$width" -q --color never)"
    measure "$id" "$SPAWN_JOBS x sh -c true, -j$width"
    target "$id" fanout ratio 1.08 limit
    target "$id" fanout ratio 1.00 xargs
}

# trivial_jobs PREFIX N: N jobs that run `/bin/sh -c true`, for each runner:
# PREFIX.args (the numbers 1..N, one a line, for xargs and GNU parallel),
# PREFIX.toml (N `cmd = "true"` jobs for fanout) and PREFIX-ninja/build.ninja.
trivial_jobs() {
    local prefix=$1 count=$2 i
    seq "$count" >"$prefix.args"
    for ((i = 0; i < count; i++)); do
        printf '[[job]]\ncmd = "true"\n'
    done >"$prefix.toml"
    mkdir -p "$prefix-ninja"
    {
        printf 'rule true\n  command = true\n'
        printf 'build j%d: true\n' $(seq "$count")
        printf 'build all: phony'; printf ' j%d' $(seq "$count"); printf '\n'
        printf 'default all\n'
    } >"$prefix-ninja/build.ninja"
}

# One job printing many short lines: fanout must split them and put the tag
# in front of each; cat in its place only copies bytes, which is the limit.
#
# The producer is `cat FILE` of a file on tmpfs, run through /bin/sh -c once
# by every contestant. A `yes | head -c` producer would cost more than the
# relay being measured and cap every contestant at its own speed.
#   cat       the limit: `/bin/sh -c 'cat FILE' | cat`, spelled out in the
#             pipeline that hyperfine's sh runs.
#   sed       `/bin/sh -c 'cat FILE' | sed 's/^/tag | /'`: the usual way to
#             prefix lines, with the producer spelled out as for cat.
#   parallel  GNU parallel --tag --line-buffer -j 1 running `cat ::: tag` in
#             a folder where `tag` links to FILE: its one job is
#             $PARALLEL_SHELL -c 'cat tag', i.e. /bin/sh -c 'cat tag', and its
#             tag is "tag<TAB>". Its buffer files go to tmpfs (--tmpdir).
#   fanout    one job named tag, `cmd = "cat FILE"`: /bin/sh -c 'cat FILE'.
# The sink is a pipe into `cat >/dev/null` for all: a runner could notice
# that its stdout is /dev/null and skip the work.
workload_tag() {
    local id=tag input=$WORK/tag.input jobfile=$WORK/tag.toml dir=$WORK/tag
    local producer sink='cat >/dev/null'
    # yes ends by SIGPIPE, which pipefail would report: check the size instead.
    yes "$TAG_LINE" | head -c "$TAG_BYTES" >"$input" || true
    [[ $(stat -c %s "$input") -eq $TAG_BYTES ]] || die "cannot write $input"
    mkdir -p "$dir"
    ln -sf "$input" "$dir/$TAG_NAME"
    producer="cat $(printf '%q' "$input")"
    printf '[[job]]\nname = "%s"\ncmd = "%s"\n' "$TAG_NAME" "$producer" >"$jobfile"
    verify_tagging "$jobfile" "$input" "$TAG_NAME"
    contestant cat "/bin/sh -c $(printf '%q' "$producer") | cat | $sink"
    contestant sed "/bin/sh -c $(printf '%q' "$producer") | sed 's/^/$TAG_NAME | /' | $sink"
    contestant parallel \
        "cd $dir && parallel --will-cite -j 1 --tmpdir $dir --tag --line-buffer cat ::: $TAG_NAME | $sink"
    contestant fanout "$(printf '%q ' "$FANOUT" -f "$jobfile" -j 1 -q --color never) | $sink"
    measure "$id" "1 job x $((TAG_BYTES / 1000000)) MB of short lines" \
        --bytes "$TAG_BYTES" --shell sh
    target "$id" fanout mbps 1000
}

# Eight jobs printing short lines at once, each TAG_BYTES / 8 (25 MB by
# default): besides tagging, the runner must keep the lines of different jobs
# whole while they interleave.
#
# Every job is `cat jK` of a file on tmpfs (jK: a link to one input) run as
# /bin/sh -c 'cat jK', and every contestant's output goes through a pipe into
# `cat >/dev/null`, as in `tag`.
#   raw       the limit: an sh script starts the 8 `/bin/sh -c 'cat jK'` in
#             the background and waits; they all write into one pipe that a
#             `cat` relays, in fanout's place. No tags, and lines may mix.
#   parallel-lb     GNU parallel --tag --line-buffer: whole lines, tagged
#             "jK<TAB>", interleaved as they come, like fanout.
#   parallel-group  GNU parallel --tag --group: each job's output held back
#             and printed in one piece when it ends.
#             Both run their jobs as /bin/sh -c 'cat jK' (PARALLEL_SHELL) and
#             keep their buffer files in the tmpfs work folder (--tmpdir).
#   fanout    8 jobs named jK, `cmd = "cat .../jK"`, -j 8.
workload_tag8() {
    local id=tag8 dir=$WORK/tag8 sink='cat >/dev/null'
    eight_producers "$dir"
    verify_tagging "$dir/jobs.toml" "$dir/input" "${JOB_NAMES[@]}"
    contestant raw "cd $dir && /bin/sh raw.sh | cat | $sink"
    contestant parallel-lb "cd $dir && parallel --will-cite -j 8 --tmpdir $dir --tag --line-buffer cat ::: ${JOB_NAMES[*]} | $sink"
    contestant parallel-group "cd $dir && parallel --will-cite -j 8 --tmpdir $dir --tag --group cat ::: ${JOB_NAMES[*]} | $sink"
    contestant fanout "$(printf '%q ' "$FANOUT" -f "$dir/jobs.toml" -j 8 -q --color never) | $sink"
    measure "$id" "8 jobs x $(awk -v b="$PER_JOB" 'BEGIN { printf "%g", b / 1e6 }') MB of short lines" \
        --bytes "$((PER_JOB * 8))" --shell sh
    target "$id" fanout mbps 800
}

# The work of tag8, each job's output held back and printed in one piece
# when the job ends, as a CI log wants it: fanout --output group against
# GNU parallel --group, both tagging the lines. Both keep what they hold
# back in the tmpfs work folder.
#   raw             the limit, as in tag8: no tags, nothing held back.
#   parallel-group  GNU parallel --tag --group (--tmpdir), as in tag8.
#   fanout-group    fanout --output group, spooling past its memory share
#                   into TMPDIR.
workload_group8() {
    local id=group8 dir=$WORK/tag8 sink='cat >/dev/null'
    eight_producers "$dir"
    verify_tagging --group "$dir/jobs.toml" "$dir/input" "${JOB_NAMES[@]}"
    contestant raw "cd $dir && /bin/sh raw.sh | cat | $sink"
    contestant parallel-group "cd $dir && parallel --will-cite -j 8 --tmpdir $dir --tag --group cat ::: ${JOB_NAMES[*]} | $sink"
    contestant fanout-group "cd $dir && TMPDIR=$dir $(printf '%q ' "$FANOUT" -f "$dir/jobs.toml" -j 8 -q --color never --output group) | $sink"
    measure "$id" "8 jobs x $(awk -v b="$PER_JOB" 'BEGIN { printf "%g", b / 1e6 }') MB, --output group" \
        --bytes "$((PER_JOB * 8))" --shell sh
    target "$id" fanout-group ratio 1.00 parallel-group
}

# eight_producers DIR: the work of tag8 and group8, in DIR: `input`, TAG_BYTES
# / 8 bytes of short lines; j1..j8, links to it; raw.sh, which starts the 8
# `/bin/sh -c 'cat jK'` in the background and waits; and jobs.toml, 8 fanout
# jobs jK, `cmd = "cat DIR/jK"`. Sets JOB_NAMES (j1..j8) and PER_JOB.
eight_producers() {
    local dir=$1 k
    PER_JOB=$((TAG_BYTES / 8))
    JOB_NAMES=()
    mkdir -p "$dir"
    yes "$TAG_LINE" | head -c "$PER_JOB" >"$dir/input" || true
    [[ $(stat -c %s "$dir/input") -eq $PER_JOB ]] || die "cannot write $dir/input"
    for ((k = 1; k <= 8; k++)); do
        JOB_NAMES+=("j$k")
        ln -sf input "$dir/j$k"
        printf "/bin/sh -c 'cat j%d' &\n" "$k"
        printf '[[job]]\nname = "j%d"\ncmd = "cat %s/j%d"\n' "$k" "$dir" "$k" >&3
    done >"$dir/raw.sh" 3>"$dir/jobs.toml"
    echo wait >>"$dir/raw.sh"
}

# A fast wrong answer is no answer: check once, before its speed means
# anything, that fanout printed every line of every job whole, once, behind
# that job's own tag. verify_tagging [--group] JOBFILE INPUT NAME...: each
# job NAME of JOBFILE prints INPUT; they all run at once. With --group,
# fanout runs with --output group, and each job's lines come in one run.
verify_tagging() {
    local output=() grouped=0 jobfile input want counts name expect=''
    if [[ $1 == --group ]]; then
        output=(--output group)
        grouped=1
        shift
    fi
    jobfile=$1 input=$2
    shift 2
    want=$(wc -l <"$input")
    # A last line without a newline is printed with one added. $(...) drops
    # a trailing newline, so it is empty exactly when the input ends in one.
    [[ -z $(tail -c 1 "$input") ]] || want=$((want + 1))
    counts=$("$FANOUT" -f "$jobfile" -j "$#" -q --color never "${output[@]}" \
        | awk -v line="$TAG_LINE" -v grouped="$grouped" '
            { n = index($0, " | "); tag = substr($0, 1, n - 1)
              # The last line of a job may be a cut-off prefix of TAG_LINE.
              if (n == 0 || index(line, substr($0, n + 3)) != 1) bad++; else seen[tag]++
              if (NR == 1 || tag != last) runs++
              last = tag }
            END { for (t in seen) printf "%s=%d\n", t, seen[t]; print "bad=" bad + 0
                  if (grouped) print "runs=" runs }' \
        | sort | tr '\n' ' ') || die "fanout failed on $jobfile"
    for name in "$@" bad; do
        [[ $name == bad ]] && expect+="bad=0" || expect+="$name=$want"
        expect+=$'\n'
    done
    ((grouped == 0)) || expect+="runs=$#"$'\n'
    expect=$(printf '%s' "$expect" | sort | tr '\n' ' ')
    [[ $counts == "$expect" ]] \
        || die "fanout printed per tag ($counts), expected ($expect)"
}

# One trivial job, from the runner's start to its exit: what a user waits
# for when fanout wraps a single quick command. The process start of the job
# itself is in every figure; the limit is spawn_limit doing that one start.
#   limit     spawn_limit 1 1 /bin/sh -c true
#   xargs     one line in the argument file: /bin/sh -c true 1
#   parallel  -N0, one line: /bin/sh -c 'true ' (see workload_spawn)
#   make      a Makefile of one phony target, `@/bin/sh -c true`
#   ninja     a build.ninja of one edge, `command = true`
#   fanout    a job file of one `cmd = "true"`
# make and ninja are run as in workload_spawn. Each contestant runs 10 times
# per round: single runs of a few milliseconds are mostly noise. Target:
# fanout's median <= 1.15x the limit's.
workload_start() {
    local id=start prefix=$WORK/start makefile=$WORK/start.mk
    trivial_jobs "$prefix" 1
    printf '.PHONY: all\nall:\n\t@/bin/sh -c true\n' >"$makefile"
    contestant limit "$(printf '%q ' "$LIMIT" 1 1 /bin/sh -c true)"
    contestant xargs "$(printf '%q ' xargs -a "$prefix.args" -n 1 /bin/sh -c true)"
    contestant parallel "$(printf '%q ' parallel --will-cite -N0 -a "$prefix.args" true)"
    contestant make "$(printf '%q ' make -s -r -R -f "$makefile")"
    contestant ninja "$(printf '%q ' ninja --quiet -C "$prefix-ninja")"
    contestant fanout "$(printf '%q ' "$FANOUT" -f "$prefix.toml" -j 1 -q --color never)"
    measure "$id" "start-up, 1 x sh -c true" --per-round 10
    target "$id" fanout ratio 1.15 limit
}

# workload_timeout term|kill: one job that would sleep 30 s, stopped by a
# 500 ms timeout: how soon after its deadline the runner is done.
#   term  the job is `sleep 30` and ends at the first SIGTERM. Deadline:
#         the timeout, 500 ms.
#   kill  the job is `trap "" TERM; sleep 30`: sh ignores SIGTERM, and sleep
#         inherits the ignored disposition over exec, so only the SIGKILL
#         sent after a 200 ms grace ends it. Deadline: 700 ms.
# Every contestant runs the job as one /bin/sh -c 'CMD' and signals its whole
# process group (so sleep gets the signal even when sh forked it), and is
# exec'd by hyperfine directly, with no shell around it.
#   timeout   the limit: coreutils `timeout 0.500 /bin/sh -c CMD`, with
#             `-k 0.200` for kill. It exits 124 after a SIGTERM that worked;
#             when it needs SIGKILL, it sends it to its own process group,
#             itself included, and so ends as 128 + 9 = 137.
#   parallel  GNU parallel --timeout 0.500 running CMD through
#             $PARALLEL_SHELL, i.e. /bin/sh -c CMD. It notices the timeout in
#             its main loop, which sleeps up to 1 s between passes, then runs
#             its --term-seq, by default TERM,200,TERM,100,TERM,50,KILL,25:
#             SIGTERM, 200 ms, SIGTERM, 100 ms, SIGTERM, 50 ms, SIGKILL, 25 ms,
#             each step skipped once the job is gone. For kill it is given
#             TERM,200,KILL,25, the same 200 ms grace as the others. It exits
#             1: one job failed.
#   fanout    a job file of one job, `timeout = "500ms"`, `grace = "200ms"`
#             for kill. It exits 1: one job is not ok.
# Target: fanout's median <= the deadline + 5 ms.
workload_timeout() {
    local variant=$1 id=timeout-$1 timeout_ms=500 grace_ms=200 nap_ms=30000
    local jobfile=$WORK/timeout-$1.toml job title deadline_ms signal limit_exit
    local timeout_s grace_s limit_opts parallel_opts
    timeout_s=$(seconds_of_ms "$timeout_ms")
    grace_s=$(seconds_of_ms "$grace_ms")
    if [[ $variant == term ]]; then
        job="sleep $((nap_ms / 1000))"
        title="$job, $timeout_ms ms timeout"
        deadline_ms=$timeout_ms
        signal=15
        limit_exit=124
        limit_opts=("$timeout_s")
        parallel_opts=(--timeout "$timeout_s")
        printf '[[job]]\nname = "sleep"\ncmd = '\''%s'\''\ntimeout = "%dms"\n' \
            "$job" "$timeout_ms" >"$jobfile"
    else
        job="trap \"\" TERM; sleep $((nap_ms / 1000))"
        title="SIGTERM ignored, $timeout_ms ms + $grace_ms ms grace"
        deadline_ms=$((timeout_ms + grace_ms))
        signal=9
        limit_exit=137
        limit_opts=(-k "$grace_s" "$timeout_s")
        parallel_opts=(--timeout "$timeout_s" --term-seq "TERM,$grace_ms,KILL,25")
        printf '[[job]]\nname = "sleep"\ncmd = '\''%s'\''\ntimeout = "%dms"\ngrace = "%dms"\n' \
            "$job" "$timeout_ms" "$grace_ms" >"$jobfile"
    fi
    contestant timeout "$(printf '%q ' timeout "${limit_opts[@]}" /bin/sh -c "$job")" "$limit_exit"
    contestant parallel \
        "$(printf '%q ' parallel --will-cite -j 1 "${parallel_opts[@]}" ::: "$job")" 1
    contestant fanout "$(printf '%q ' "$FANOUT" -f "$jobfile" -j 1 -q --color never)" 1
    verify_timeout "$deadline_ms" "$nap_ms" "$signal"
    measure "$id" "$title" --deadline "$deadline_ms"
    target "$id" fanout ms $((deadline_ms + 5))
}

# seconds_of_ms MS: MS milliseconds as seconds with 3 decimals, for timeout(1)
# and GNU parallel.
seconds_of_ms() {
    printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
}

# verify_timeout DEADLINE_MS JOB_MS SIGNAL: runs each declared contestant
# once and checks that it was the timeout that ended it: the expected exit
# code, no sooner than the deadline and before the job would have ended on
# its own (JOB_MS), and for fanout a summary row `timeout -SIGNAL`, which
# says whether it had to send SIGKILL.
verify_timeout() {
    local deadline=$1 job_ms=$2 signal=$3 i rc start ms err=$WORK/timeout.err
    for ((i = 0; i < ${#NAMES[@]}; i++)); do
        command_argv "${CMDS[i]}"
        rc=0
        # EPOCHREALTIME is seconds with 6 decimals: its digits are microseconds.
        start=${EPOCHREALTIME//[!0-9]/}
        # bash reports a command killed by a signal on its own stderr, and
        # timeout(1) ends by its own SIGKILL in the kill variant: expected here.
        { "${ARGV[@]}" >/dev/null 2>"$err"; } 2>/dev/null || rc=$?
        ms=$(((${EPOCHREALTIME//[!0-9]/} - start) / 1000))
        [[ $rc == "${EXITS[i]}" ]] \
            || die "${NAMES[i]} exited $rc, not ${EXITS[i]}: $(head -c 300 "$err")"
        ((ms >= deadline && ms < job_ms)) \
            || die "${NAMES[i]} ended after $ms ms, not at its ${deadline} ms deadline"
        if [[ ${NAMES[i]} == fanout ]]; then
            grep -Eq " timeout +-$signal( |$)" "$err" \
                || die "fanout's summary is not a timeout by signal $signal: $(cat "$err")"
        fi
    done
}

# Peak memory of a runner given many jobs at once: 20000 trivial jobs, -j8,
# the same inputs as the spawn workloads (see workload_spawn for how each
# contestant gets one /bin/sh -c true per job). xargs, the smallest runner,
# is the reference of the ratios; it is not a limit. The figure is the peak
# RSS of the largest single process (the runner, in practice: a job's sh
# stays under 2 MB), so a runner that keeps a record of every job shows it.
# Target: fanout <= 10 MB (10^7 bytes).
workload_rss() {
    local id=rss prefix=$WORK/rss
    trivial_jobs "$prefix" "$RSS_JOBS"
    contestant xargs "$(printf '%q ' xargs -a "$prefix.args" -P 8 -n 1 /bin/sh -c true)"
    contestant parallel "$(printf '%q ' parallel --will-cite -j 8 -N0 -a "$prefix.args" true)"
    contestant ninja "$(printf '%q ' ninja --quiet -C "$prefix-ninja" -j 8)"
    contestant fanout "$(printf '%q ' "$FANOUT" -f "$prefix.toml" -j 8 -q --color never)"
    measure_rss "$id" "peak RSS, $RSS_JOBS x sh -c true, -j8"
    target "$id" fanout mb 10
}

# Processes or threads (README "Processes or threads"): trivial function
# jobs, `call = "libseed.so:exit_ok"` (a function that returns 0), -j8, in
# each pool. What is measured is the pool's own cost per job.
#   process  each job a child forked from fanout; the limit is spawn_limit
#            --fork, which forks that many children that _exit(0) at once
#            (no pipes, no process groups, no waiting on pidfds).
#   thread   each job a call on a worker thread; no limit contestant.
# The process pool runs fewer jobs (BENCH_CALL_PROCESS_JOBS): a fork costs
# milliseconds on a VM, and 100,000 of them would take minutes per run.
workload_calls() {
    local pool=$1 jobs=$2 id=call-$1 jobfile=$WORK/call-$1.toml i
    for ((i = 0; i < jobs; i++)); do
        printf '[[job]]\ncall = "%s:exit_ok"\n' "$SEED_LIB"
    done >"$jobfile"
    if [[ $pool == process ]]; then
        contestant fork-limit "$(printf '%q ' "$LIMIT" "$jobs" 8 --fork)"
    fi
    contestant fanout "$(printf '%q ' "$FANOUT" -f "$jobfile" -j 8 -q --color never --pool "$pool")"
    measure "$id" "$jobs x trivial call job, --pool $pool, -j8" --jobs "$jobs"
    if [[ $pool == process ]]; then
        target "$id" fanout jps 2000
    else
        target "$id" fanout jps 200000
    fi
}

# Peak RSS of each pool at -j8 with BENCH_CALL_RSS_JOBS trivial function jobs.
workload_call_rss() {
    local id=call-rss jobfile=$WORK/call-rss.toml i
    for ((i = 0; i < CALL_RSS_JOBS; i++)); do
        printf '[[job]]\ncall = "%s:exit_ok"\n' "$SEED_LIB"
    done >"$jobfile"
    contestant process "$(printf '%q ' "$FANOUT" -f "$jobfile" -j 8 -q --color never --pool process)"
    contestant thread "$(printf '%q ' "$FANOUT" -f "$jobfile" -j 8 -q --color never --pool thread)"
    measure_rss "$id" "peak RSS, $CALL_RSS_JOBS x trivial call job, -j8"
}

# workload_inputs PEER N: fan-out over input lines, `seq 1 N | RUNNER true` at
# -j8: each line runs `true LINE`, the line appended as the last argument.
# What is measured is reading the lines and starting, watching and reaping a
# process per line. Every contestant reads `seq`'s output from a pipe, so they
# all run under hyperfine's sh; each execs true by its absolute path, resolved
# here once, so no contestant pays a PATH search per job.
#   limit     `spawn_limit - 8 TRUE`: a line of stdin, posix_spawnp of
#             `TRUE LINE`, waitpid, nothing else.
#   xargs     `xargs -P 8 -n 1 TRUE`: `TRUE LINE` per line.
#   parallel  `parallel --will-cite -j 8 TRUE`: GNU parallel runs each job
#             through $PARALLEL_SHELL, `/bin/sh -c 'TRUE LINE'`, one shell
#             more per job than the others; that is how it runs any job.
#   fanout    `fanout -j 8 -q --color never -- TRUE`: the command form with
#             no {}, so each line is the last argument of `TRUE`.
# PEER xargs is the workload `inputs` (N = BENCH_INPUTS_N); PEER parallel is
# `inputs-parallel`, with as few lines as GNU parallel gets through in a
# reasonable time (BENCH_INPUTS_PARALLEL_N): its rate is its cost per job.
# Targets, for `inputs`: fanout <= xargs, and <= 1.10 x the limit.
workload_inputs() {
    local peer=$1 count=$2 id=inputs true_bin input
    [[ $peer == xargs ]] || id=inputs-$peer
    true_bin=$(type -P true)
    input="seq 1 $count |"
    verify_inputs
    contestant limit "$input $(printf '%q ' "$LIMIT" - 8 "$true_bin")"
    if [[ $peer == xargs ]]; then
        contestant xargs "$input $(printf '%q ' xargs -P 8 -n 1 "$true_bin")"
    else
        contestant parallel "$input $(printf '%q ' parallel --will-cite -j 8 "$true_bin")"
    fi
    contestant fanout "$input $(printf '%q ' "$FANOUT" -j 8 -q --color never -- "$true_bin")"
    measure "$id" "seq 1 $count | ... true, -j8" --jobs "$count" --shell sh
    if [[ $peer == xargs ]]; then
        target "$id" fanout ratio 1.00 xargs
        target "$id" fanout ratio 1.10 limit
    fi
}

# verify_inputs: checks once that fanout runs one job per input line, with
# the line as its last argument: `seq 1 1000 | fanout -- echo` must print
# each number once, behind its job's tag.
verify_inputs() {
    local echo_bin
    echo_bin=$(type -P echo)
    cmp -s <(seq 1 1000) <(seq 1 1000 | "$FANOUT" -j 8 -q --color never -- "$echo_bin" \
        | awk '{ print substr($0, index($0, " | ") + 3) }' | sort -n) \
        || die "seq 1 1000 | fanout -- echo did not echo each line once"
}

# Peak RSS of the command form over input lines, -j8, for many lines and for
# few: fanout reads its input as it goes and keeps counts, not jobs, for the
# ones that succeeded, so the two peaks must be close. Each contestant is
# `/bin/sh -c 'seq 1 N | fanout -j 8 -q --color never -- TRUE'` under GNU
# time: %M is the largest of sh, seq, fanout and the jobs, which is fanout.
# Target: the peak for BENCH_INPUTS_RSS_N lines within 2 MB of the peak for
# BENCH_INPUTS_RSS_BASE_N.
workload_inputs_rss() {
    local id=inputs-rss true_bin count runner
    local few=fanout-$INPUTS_RSS_BASE_N many=fanout-$INPUTS_RSS_N
    [[ $few != "$many" ]] || die "BENCH_INPUTS_RSS_N and BENCH_INPUTS_RSS_BASE_N must differ"
    true_bin=$(type -P true)
    runner=$(printf '%q ' "$FANOUT" -j 8 -q --color never -- "$true_bin")
    for count in "$INPUTS_RSS_BASE_N" "$INPUTS_RSS_N"; do
        contestant "fanout-$count" "$(printf '%q ' /bin/sh -c "seq 1 $count | $runner")"
    done
    measure_rss "$id" "peak RSS, seq 1 N | fanout -j8 -- true"
    target "$id" "$many" mbdiff 2 "$few"
}

# `gzip -9 -k` of every file of a tree, the file names coming from
# `find -print0`, -j8: a batch job as users run it. The tree is a copy of
# BENCH_GZIP_SOURCE (/usr/share/doc) on tmpfs, regular files only (no
# symlinks; hard links copied as files), without the names gzip refuses to
# compress (.gz, .z, .tgz, .taz, -gz, -z, _z, in any case).
#   xargs     `xargs -0 -P 8 -n 1 GZIP -9 -k`, the reference of the ratios.
#   parallel  `parallel --will-cite -0 -j 8 GZIP -9 -k`: each job is
#             `/bin/sh -c 'GZIP -9 -k NAME'`, NAME quoted by parallel.
#   fanout    `fanout -0 -j 8 -q --color never -- GZIP -9 -k`.
# Each is `cd COPY && find . -type f ! -name '*.gz' -print0 | RUNNER`: the
# runners start gzip while find is still listing, and without the `! -name`
# find could list a .gz that a gzip has just made. Before every run, warm-up
# included, COPY is made anew from the tmpfs copy, untimed (hyperfine's
# --prepare); after every round, check_gzip_batch checks what each
# contestant's timed run left. The rate is the bytes of the files over the
# median.
workload_gzip_batch() {
    local id=gzip-batch dir=$WORK/gzip-batch gzip_bin find count bytes
    gzip_bin=$(type -P gzip)
    copy_gzip_source "$dir"
    count=$(tr -cd '\0' <"$dir/files" | wc -c)
    bytes=$(cd "$dir/master" && xargs -0 -a "$dir/files" stat -c %s \
        | awk '{ s += $1 } END { print s + 0 }')
    printf '#!/bin/sh\n# fresh NAME: a new copy of the files for contestant NAME.\n' >"$dir/fresh"
    # shellcheck disable=SC2016  # $1 is the script's, not ours
    printf 'cd %q && rm -rf "$1" && cp -a master "$1"\n' "$dir" >>"$dir/fresh"
    chmod +x "$dir/fresh"
    find="find . -type f ! -name '*.gz' -print0"
    contestant xargs "cd $dir/xargs && $find | $(printf '%q ' xargs -0 -P 8 -n 1 "$gzip_bin" -9 -k)"
    contestant parallel \
        "cd $dir/parallel && $find | $(printf '%q ' parallel --will-cite -0 -j 8 "$gzip_bin" -9 -k)"
    contestant fanout "cd $dir/fanout && $find | $(printf '%q ' "$FANOUT" -0 -j 8 -q \
        --color never -- "$gzip_bin" -9 -k)"
    measure "$id" "gzip -9 -k of $count files ($((bytes / 1000000)) MB), -j8" \
        --bytes "$bytes" --shell sh --prepare "$dir/fresh" --check check_gzip_batch
    rm -rf "$dir"
}

# copy_gzip_source DIR: DIR/master, the files of GZIP_SOURCE as described
# above, and the lists the check reads, NUL-separated and sorted: DIR/files
# (./NAME), DIR/files.gz (./NAME.gz) and DIR/expect (both together).
copy_gzip_source() {
    local dir=$1
    [[ -d $GZIP_SOURCE ]] || die "BENCH_GZIP_SOURCE=$GZIP_SOURCE is not a folder"
    mkdir -p "$dir/master"
    (cd "$GZIP_SOURCE" && find . -type f ! \( -iname '*.gz' -o -iname '*.z' -o -iname '*.tgz' \
        -o -iname '*.taz' -o -iname '*-gz' -o -iname '*-z' -o -iname '*_z' \) -print0) \
        | tar -C "$GZIP_SOURCE" --null -T - --hard-dereference -cf - \
        | tar -C "$dir/master" -xf - || die "cannot copy $GZIP_SOURCE to $dir/master"
    (cd "$dir/master" && find . -type f -print0) | sort -z >"$dir/files"
    [[ -s $dir/files ]] || die "BENCH_GZIP_SOURCE=$GZIP_SOURCE has no file to compress"
    sed -z 's/$/.gz/' "$dir/files" >"$dir/files.gz"
    sort -z "$dir/files" "$dir/files.gz" >"$dir/expect"
}

# check_gzip_batch NAME: that contestant NAME's run left, beside each file of
# the copy, its FILE.gz and no other file; that `gzip -t` passes on every
# .gz; and that `gzip -dc` of each gives its file byte for byte. That last is
# one `gzip -dc` of all the .gz in order against one `cat` of all the files:
# the same bytes, cut in the same places, since each .gz's length field
# (which gzip -t checks against what it decompresses to) must first equal its
# file's size. Any failure stops the run, then NAME's copy is removed.
check_gzip_batch() {
    local name=$1 dir=$WORK/gzip-batch
    (
        cd "$dir/$name" || die "gzip-batch: $name left no folder"
        find . -type f -print0 | sort -z | cmp -s - "$dir/expect" \
            || die "gzip-batch: $name did not leave exactly FILE and FILE.gz for each file"
        xargs -0 -a "$dir/files.gz" gzip -t \
            || die "gzip-batch: $name made a .gz that gzip -t rejects"
        cmp -s <(xargs -0 -a "$dir/files.gz" tail -q -c 4 \
                | od -An -v -tu4 -w4 --endian=little | tr -d ' ') \
            <(xargs -0 -a "$dir/files" stat -c %s) \
            || die "gzip-batch: $name made a .gz whose length is not its file's size"
        cmp <(xargs -0 -a "$dir/files.gz" gzip -dc) <(xargs -0 -a "$dir/files" cat) \
            || die "gzip-batch: $name made a .gz that does not decompress to its file"
    ) || exit 1
    rm -rf "${dir:?}/$name"
}

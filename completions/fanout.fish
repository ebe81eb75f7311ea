# SPDX-License-Identifier: MIT
# fish completion for fanout: options, their values, and the names of the
# jobs of the job file in effect (read with `fanout --list`).

# Whether the line has a `--` before the word being completed: what follows
# it is a command, not job names.
function __fanout_after_dashes
    contains -- -- (commandline -opc)[2..-1]
end

# Whether the word being completed is the command right after `--`.
function __fanout_command_word
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 2; and test "$tokens[-1]" = --
end

# The names of the jobs of the job file named by -f on the line (none:
# fanout.toml), as `fanout --list` prints them, and the name of each group
# whose members it lists, so that `lint` completes beside `lint:1:a`.
function __fanout_jobs
    set -l tokens (commandline -opc)
    set -l cmd $tokens[1]
    set -l file
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case -f --file
                set i (math $i + 1)
                set file $tokens[$i]
            case '--file=*'
                set file (string replace -- --file= '' $tokens[$i])
            case '-f?*'
                set file (string sub -s 3 -- $tokens[$i])
        end
        set i (math $i + 1)
    end
    # `-f -` reads the job file from stdin: no names to offer then.
    test "$file" = -; and return
    set -l args --list
    test -n "$file"; and set args $args -f $file
    command -q -- $cmd; or set cmd fanout
    command -q -- $cmd; or return
    set -l names
    for name in (command $cmd $args </dev/null 2>/dev/null)
        set -l group (string replace -rf -- '^(.+?):[0-9]+(:.*)?$' '$1' $name)
        for word in $group $name
            contains -- $word $names; or set names $names $word
        end
    end
    printf '%s\n' $names
end

complete -c fanout -f -n 'not __fanout_after_dashes' -a '(__fanout_jobs)'
complete -c fanout -x -n __fanout_command_word -a '(__fish_complete_command)'

complete -c fanout -s h -l help -d 'Print the help and exit'
complete -c fanout -l version -d 'Print the version and exit'
complete -c fanout -s f -l file -r -F -d 'The job file'
complete -c fanout -s j -l jobs -x -d 'Run at most N jobs at once'
complete -c fanout -l pool -x -a 'process thread' -d 'What runs a job'
complete -c fanout -l launcher -x -a 'local slurm' -d 'Where jobs run'
complete -c fanout -l timeout -x -d 'Timeout for jobs whose job file sets none'
complete -c fanout -l grace -x -d 'Time between SIGTERM and SIGKILL'
complete -c fanout -l color -x -a 'auto always never' -d 'Colour the job names'
complete -c fanout -l status -x -a 'auto always never' -d 'A live status line'
complete -c fanout -l output -x -a 'lines group keep-order' -d 'How job output is printed'
complete -c fanout -l ci -x -a 'github gitlab none' -d 'Fold blocks and mark failures for this CI'
complete -c fanout -l fail-fast -d 'On the first failure start nothing more'
complete -c fanout -l keep-going -d 'Run every job that does not need a failed one'
complete -c fanout -s q -l quiet -d 'No summary table'
complete -c fanout -s v -l verbose -d 'A line when each job starts and ends'
complete -c fanout -s 0 -l null -d 'Input lines end at a NUL byte'
complete -c fanout -l retries -x -d "Retry each of the command's jobs up to N times"
complete -c fanout -l junit -r -F -d 'Write a JUnit XML report to FILE'
complete -c fanout -l json -r -F -d 'Write a JSON report to FILE'
complete -c fanout -l joblog -r -F -d "Write GNU parallel's job log to FILE"
complete -c fanout -l log-dir -x -a '(__fish_complete_directories (commandline -ct))' -d "Write each job's output to a file in DIR"
complete -c fanout -l tail -x -d 'Print again the last N lines of each failed job'
complete -c fanout -l resume -d 'Skip the jobs that succeeded in an earlier run'
complete -c fanout -l rerun-failed -d 'Run only the jobs that did not succeed in the last run'
complete -c fanout -l state -r -F -d 'The file that records each run for --resume'
complete -c fanout -l hosts -x -a '(__fish_print_hostnames)' -d 'Run the commands over SSH on these hosts'
complete -c fanout -l list -d 'Print the names of the jobs that would run'
complete -c fanout -l dry-run -d 'Print each command that would run'

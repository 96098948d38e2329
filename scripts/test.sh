#!/usr/bin/env bash
# Run test stages and print one summary line per stage with its time.
# Usage: scripts/test.sh [lint] [sanity] [pytest] [badinput] [galaxy] [e2e] [molecule]
# SCENARIOS="a b" limits the molecule stage to those scenarios.
# shellcheck disable=SC2317  # the stage_* functions are called through run_stage
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

summary=()
failed=0

run_stage() {
    local name=$1; shift
    local start=$SECONDS
    echo "=== stage $name: $*"
    if "$@"; then
        # A molecule run limited by SCENARIOS is a subset, and says so.
        local scope=""
        [ "$name" = molecule ] && [ -n "${SCENARIOS:-}" ] && scope=" (subset: $SCENARIOS)"
        summary+=("$(printf '%-10s passed  %4ds%s' "$name" $((SECONDS - start)) "$scope")")
    else
        summary+=("$(printf '%-10s FAILED  %4ds' "$name" $((SECONDS - start)))")
        failed=1
    fi
}

stage_lint() {
    # ansible-lint puts $ANSIBLE_HOME/collections (default ~/.ansible/collections) first on the
    # collections path, and molecule installs a copy of this collection there: a copy from an
    # earlier run would be linted against instead of the checkout. A home of its own avoids that.
    yamllint -s . && ANSIBLE_HOME="$PWD/.cache/ansible-lint-home" ansible-lint --offline -q
}

stage_pytest() {
    pytest -q -p no:cacheprovider tests/unit examples/demo_app/tests
}

# Bad input refused before anything changes, naming the variable (tests/badinput).
stage_badinput() {
    pytest -q -p no:cacheprovider tests/badinput
}

# The rehearsal end to end from the built and installed collection (tests/e2e).
stage_e2e() {
    pytest -v -s -p no:cacheprovider tests/e2e
}

# Scenarios to run (SCENARIOS, or all), each checked to have a test file.
molecule_scenarios() {
    if [ -n "${SCENARIOS:-}" ]; then
        local -a listed
        read -r -a listed <<< "$SCENARIOS"
        printf '%s\n' "${listed[@]}"
    else
        find molecule -mindepth 2 -maxdepth 2 -name molecule.yml -printf '%h\n' | xargs -n1 basename | sort
    fi
}

# Run molecule scenarios one after the other; a scenario without a test file fails (testinfra
# would print "Skipping, no tests found" and pass).
run_scenarios() {
    local rc=0 scenario start
    for scenario in "$@"; do
        if ! compgen -G "molecule/$scenario/tests/test_*.py" >/dev/null; then
            printf '    molecule %-14s FAILED: no molecule/%s/tests/test_*.py (or no such scenario)\n' "$scenario" "$scenario"
            rc=1
            continue
        fi
        start=$SECONDS
        if molecule test -s "$scenario" > "tests/output/molecule-$scenario.log" 2>&1; then
            printf '    molecule %-14s passed %4ds\n' "$scenario" $((SECONDS - start))
        else
            printf '    molecule %-14s FAILED %4ds (log: tests/output/molecule-%s.log)\n' "$scenario" $((SECONDS - start)) "$scenario"
            tail -60 "tests/output/molecule-$scenario.log"
            rc=1
        fi
    done
    return "$rc"
}

stage_molecule() {
    local -a scenarios
    mapfile -t scenarios < <(molecule_scenarios)
    # No scenario is a failure, not a pass.
    if [ "${#scenarios[@]}" -eq 0 ]; then
        echo "    molecule: no scenario found under molecule/" >&2
        return 1
    fi
    # A copy of the collection an older molecule left under ~/.ansible would come first on the
    # collections path (molecule.yml's prerun: false: the checkout is used).
    rm -rf "$HOME/.ansible/collections/ansible_collections/django_aws"
    run_scenarios "${scenarios[@]}"
}

# Minutes each scenario takes on a 2-core machine (measured), to share them out between lanes.
scenario_weight() {
    case $1 in
        django_app) echo 25 ;; single_host) echo 12 ;; projects) echo 8 ;; aws) echo 6 ;; nginx_proxy|postgresql) echo 5 ;;
        supervisor) echo 4 ;; redis) echo 3 ;; *) echo 6 ;;
    esac
}

# e2e and the molecule scenarios side by side (TEST_LANES lanes, default 3: the e2e and two of
# scenarios): they use ports, stacks and containers of their own, and most of their time is spent
# waiting on a host or a container, not on the controller's CPU. Each lane logs to
# tests/output/lane-*.log; the summary gets one line per stage.
stage_slow_in_lanes() {
    local lanes=${TEST_LANES:-3} with_e2e=$1 with_molecule=$2
    local -a scenarios names loads pids
    local i lane best
    mkdir -p tests/output/lanes
    rm -f tests/output/lanes/*
    if [ "$with_molecule" = 1 ]; then
        mapfile -t scenarios < <(molecule_scenarios)
        if [ "${#scenarios[@]}" -eq 0 ]; then
            echo "    molecule: no scenario found under molecule/" >&2
            echo "molecule 1 0" > tests/output/lanes/molecule.result
        fi
        rm -rf "$HOME/.ansible/collections/ansible_collections/django_aws"
    fi
    local molecule_lanes=$(( lanes - with_e2e ))
    [ "$molecule_lanes" -ge 1 ] || molecule_lanes=1
    # Heaviest first, each to the lane with the least work so far.
    for ((i = 0; i < molecule_lanes; i++)); do names[i]=""; loads[i]=0; done
    for scenario in $(for s in "${scenarios[@]}"; do echo "$(scenario_weight "$s") $s"; done | sort -rn | awk '{print $2}'); do
        best=0
        for ((i = 1; i < molecule_lanes; i++)); do
            [ "${loads[i]}" -lt "${loads[best]}" ] && best=$i
        done
        names[best]="${names[best]} $scenario"
        loads[best]=$(( loads[best] + $(scenario_weight "$scenario") ))
    done
    if [ "$with_e2e" = 1 ]; then
        ( start=$SECONDS; stage_e2e > tests/output/lanes/e2e.log 2>&1; echo "e2e $? $((SECONDS - start))" > tests/output/lanes/e2e.result ) &
        pids+=($!)
    fi
    for ((lane = 0; lane < molecule_lanes; lane++)); do
        [ -n "${names[lane]}" ] || continue
        # shellcheck disable=SC2086  # the scenario names are words
        ( start=$SECONDS; run_scenarios ${names[lane]} > "tests/output/lanes/molecule-$lane.log" 2>&1
          echo "molecule-$lane $? $((SECONDS - start))" > "tests/output/lanes/molecule-$lane.result" ) &
        pids+=($!)
        echo "    molecule lane $lane:${names[lane]}"
    done
    wait "${pids[@]}"
    cat tests/output/lanes/*.log
}

record_lanes() {
    local name rc seconds file molecule_rc=0 molecule_seconds=0 seen_molecule=0
    for file in tests/output/lanes/*.result; do
        [ -e "$file" ] || continue
        read -r name rc seconds < "$file"
        case $name in
            e2e) summary+=("$(printf '%-10s %s  %4ds' e2e "$([ "$rc" = 0 ] && echo passed || echo FAILED)" "$seconds")")
                 [ "$rc" = 0 ] || failed=1 ;;
            molecule*) seen_molecule=1; [ "$rc" = 0 ] || molecule_rc=1
                       [ "$seconds" -gt "$molecule_seconds" ] && molecule_seconds=$seconds ;;
        esac
    done
    if [ "$seen_molecule" = 1 ]; then
        local scope=""
        [ -n "${SCENARIOS:-}" ] && scope=" (subset: $SCENARIOS)"
        summary+=("$(printf '%-10s %s  %4ds%s (side by side with e2e)' molecule "$([ "$molecule_rc" = 0 ] && echo passed || echo FAILED)" "$molecule_seconds" "$scope")")
        [ "$molecule_rc" = 0 ] || failed=1
    fi
}

mkdir -p tests/output
# e2e and molecule together run side by side (stage_slow_in_lanes); alone, as before.
want_e2e=0; want_molecule=0
for stage in "$@"; do
    case $stage in e2e) want_e2e=1 ;; molecule) want_molecule=1 ;; esac
done
lanes_done=0
for stage in "$@"; do
    case $stage in
        lint) run_stage lint stage_lint ;;
        sanity) run_stage sanity scripts/sanity.sh ;;
        pytest) run_stage pytest stage_pytest ;;
        badinput) run_stage badinput stage_badinput ;;
        galaxy) run_stage galaxy scripts/galaxy_check.sh ;;
        e2e|molecule)
            if [ "$want_e2e$want_molecule" = 11 ] && [ "${TEST_LANES:-3}" -gt 1 ]; then
                if [ "$lanes_done" = 0 ]; then
                    echo "=== stages e2e and molecule, side by side"
                    start=$SECONDS
                    stage_slow_in_lanes 1 1
                    record_lanes
                    summary+=("$(printf '%-10s          %4ds' "(together)" $((SECONDS - start)))")
                    lanes_done=1
                fi
            elif [ "$stage" = e2e ]; then
                run_stage e2e stage_e2e
            else
                run_stage molecule stage_molecule
            fi ;;
        *) echo "unknown stage: $stage" >&2; exit 2 ;;
    esac
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
exit $failed

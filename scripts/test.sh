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

stage_molecule() {
    local -a scenarios
    if [ -n "${SCENARIOS:-}" ]; then
        read -r -a scenarios <<< "$SCENARIOS"
    else
        mapfile -t scenarios < <(find molecule -mindepth 2 -maxdepth 2 -name molecule.yml -printf '%h\n' | xargs -n1 basename | sort)
    fi
    # No scenario is a failure, not a pass; so is a scenario without a test file (testinfra
    # would print "Skipping, no tests found" and pass).
    if [ "${#scenarios[@]}" -eq 0 ]; then
        echo "    molecule: no scenario found under molecule/" >&2
        return 1
    fi
    local rc=0 scenario start
    for scenario in "${scenarios[@]}"; do
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

mkdir -p tests/output
for stage in "$@"; do
    case $stage in
        lint) run_stage lint stage_lint ;;
        sanity) run_stage sanity scripts/sanity.sh ;;
        pytest) run_stage pytest stage_pytest ;;
        badinput) run_stage badinput stage_badinput ;;
        galaxy) run_stage galaxy scripts/galaxy_check.sh ;;
        molecule) run_stage molecule stage_molecule ;;
        e2e) run_stage e2e stage_e2e ;;
        *) echo "unknown stage: $stage" >&2; exit 2 ;;
    esac
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
exit $failed

#!/usr/bin/env bash
# renames.sh applies the renames of issue 15 ("one name per idea") with gopls,
# finding each declaration by name, so it still works after other branches
# have moved the code around. Run it from the module root on a clean tree,
# after the branches of the wave are merged:
#
#	docs/renames.sh && go build ./... && go vet ./... && go test ./...
#	go run ./internal/cmd/apicheck -w
#
# (verified on a copy of branch s3-thin, 2026-12-03: 5 gopls renames in about 80 s on the
# shared machine, 18 files changed; build, vet, gofmt clean; the tests of kpi, alert, exchange,
# report, examples/... and the root package pass), then add the CHANGELOG entry below under [Unreleased] and commit.
#
# The renames:
#   kpi.Change             -> kpi.Comparison     (kpi.Compare's result, YoY/MoM; goalkit.Change
#                                                  stays: who changed a target, and why)
#   alert.Transition       -> alert.StateChange  (an alert instance's state change; a deal's
#                                                  funnel.Transition keeps its name)
#   alert.Result.Transitions      -> StateChanges
#   goalkit.Evaluation.Transitions -> StateChanges
#   kpi.Status.Gap         -> kpi.Status.GapRate (Attainment − TimeProgress, a share of the
#                                                  target; Remaining and AheadBy are amounts)
# The JSON key ("gap") and the exchange CSV column of Status.Gap do not change: wire formats
# stay put.
#
# CHANGELOG draft, under "### Changed (incompatible)":
# - One name per idea: `kpi.Change` is `kpi.Comparison` (`goalkit.Change` is who changed a
#   target and why), `alert.Transition` is `alert.StateChange` and the fields
#   `alert.Result.Transitions` and `goalkit.Evaluation.Transitions` are `StateChanges`
#   (`funnel.Transition` is a deal's stage entry), and `kpi.Status.Gap` is `GapRate`: a share
#   of the target, beside the amounts `Remaining` and `AheadBy`. JSON and CSV keep the key
#   `gap`. Rename with `gofmt -r` or gopls; behaviour is unchanged.
set -euo pipefail

# rename FILE PCRE NEW renames the identifier that PCRE matches in FILE (the match must be the
# identifier alone: use \K and lookahead for context) to NEW, across the module.
rename() {
	local file=$1 pattern=$2 new=$3 offsets
	offsets=$(grep -boP "$pattern" "$file" | cut -d: -f1)
	if [ "$(printf '%s\n' "$offsets" | grep -c .)" != 1 ]; then
		echo "renames.sh: want one match of $pattern in $file, got: ${offsets:-none}" >&2
		exit 1
	fi
	echo "gopls rename -w $file:#$offsets $new"
	gopls rename -w "$file:#$offsets" "$new"
}

rename kpi/compare.go '^type \KChange(?= struct)' Comparison
rename alert/lifecycle.go '^type \KTransition(?= struct)' StateChange
rename alert/lifecycle.go '^\t\KTransitions(?= \[\]StateChange)' StateChanges
rename evaluate.go '^\t\KTransitions(?= \[\]alert\.StateChange)' StateChanges
rename kpi/status.go '^\t\KGap(?= decimal\.NullDecimal)' GapRate

# gopls renames identifiers, not prose: the comments that name the old identifiers.
prose() { sed -i -E "/^[[:space:]]*\/\//s/\b$1\b/$2/g" "${@:3}"; }
prose Change Comparison kpi/compare.go
prose Transition StateChange alert/lifecycle.go
prose Transitions StateChanges alert/lifecycle.go evaluate.go
prose Gap GapRate kpi/status.go kpi/doc.go
gofmt -l . | (! grep .) || { echo "renames.sh: gofmt differs" >&2; exit 1; }
sed -i 's/`Gap`/`GapRate`/g; s/`Status\.Gap`/`Status.GapRate`/g' docs/ARCHITECTURE.md README.md

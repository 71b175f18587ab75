// Package exchange moves the org, plans, facts and deals between goalkit and
// other systems as CSV and JSON files, and writes goal statuses out: what an
// ERP integrator loads in bulk, and the plan a manager edits in a
// spreadsheet.
//
// # Streaming
//
// Readers ([NewUnitReader], [NewGoalReader], [NewFactReader],
// [NewDealReader]) return one record at a time and never load a whole
// file; writers ([NewUnitWriter], [NewGoalWriter], [NewFactWriter],
// [NewDealWriter], [NewStatusWriter]) write one at a time. A bad record is
// a [*RowError] naming the file, the line it starts on, the column (CSV) or
// field (JSON), the text and the fix, and reading goes on with the next.
//
// # Imports
//
// [ImportUnits], [ImportPlans], [ImportFacts] and [ImportDeals] read a file
// into a [goalkit.Engine] with [Options]: a dry run (read and check
// everything, write nothing), kpi.AllOrNothing (a file with any bad row
// imports nothing and fails with an [*ImportError] listing every bad row,
// matching [ErrInvalid]) or kpi.KeepGood (the good rows are imported, the
// bad ones returned in [Result].Rejected), a progress callback (rows,
// facts, elapsed) after every batch, and ctx cancellation between batches.
// Facts and deals stream in batches (Options.BatchSize), one transaction a
// batch; all-or-nothing first checks the whole file against the engine's
// metrics, funnels and org, then reads it again to write, so the input
// must be an io.Seeker (an *os.File). The org and plans are whole values
// and are read whole.
//
// # CSV
//
// A header row names the columns, in any order; a column the format does
// not know is an error (a misspelt "vaule" is not silently dropped), and
// the optional ones may be left out. Dates are ISO 8601 (2026-01-31),
// strictly (2026-02-30 is an error); an empty date is none. Decimals are
// plain ("1200.50") and written with their places, so a target of
// "60000000.00" stays so. Nested values are JSON inside the cell.
//
//	units:  id, parent, [kind, name, active_from, active_until, earlier]
//	        earlier = [{"parent":"south","until":"2026-04-01"}]
//	goals:  plan, id, parent, metric, unit, grain, start, end, label, target,
//	        [stretch, floor, locked]                     (the long form)
//	facts:  key, metric, unit, date, value, [currency, credits, dims]
//	        credits = [{"unit":"li","share":"0.5"},...]; dims = {"product":"X"}
//	deals:  id, unit, value, stage, date, [funnel, currency, expected_close]
//	        one row a transition; consecutive rows of one ID are one deal
//	status: goal, unit, period, start, end, as_of, target, actual,
//	        attainment, time_progress, gap, expected, remaining, projected
//
// The wide sheet ([WriteWide], [ReadWide]) is a plan as a manager edits
// it: units down, periods across ("id" (hide it), "unit", "2026-Q1",
// "2026-01", ...). Reading an edited sheet returns an [Edit]: the changed
// cells, the parents now out of balance, and the edited copy of the plan to
// save with Engine.SavePlan once the preview is accepted.
//
// # JSON
//
// One JSON value a record: writers write JSON lines, readers take JSON
// lines or one array. The values are the domain types' own JSON: snake_case
// keys, enums as words ("month", "amount", "higher"), dates as ISO 8601
// strings, decimals as strings with their places ("100.00"). A unit is a goal.Unit, a fact a kpi.Fact, a
// deal a funnel.Deal with its transitions, a long-form goal a [GoalRow]
// (a goal.Goal and "plan"), a status a kpi.Status:
//
//	{"id":"wang","parent":"north","kind":"rep","name":"王",
//	 "earlier":[{"parent":"south","until":"2026-04-01"}]}
//	{"key":"erp:inv:1","metric":"revenue","unit":"li","date":"2026-01-05",
//	 "value":"1200.50","dims":{"product":"GTX Pro"}}
//	{"id":"d1","funnel":"sales","unit":"li","value":"5000.00","currency":"CNY",
//	 "transitions":[{"stage":"lead","date":"2026-01-02"}]}
//	{"plan":"north-q1","id":"li/2026-01","parent":"li/q1","metric":"revenue","unit":"li",
//	 "period":{"grain":"month","start":"2026-01-01","end":"2026-02-01","label":"2026-01"},
//	 "target":"9000000.00","stretch":null,"floor":null}
//
// A date that is not set (active_from, active_until, expected_close) is
// left out; dates are strict, as in CSV. A field the type does not know
// is an error. goal.Plan's own JSON (one value a plan, every target with
// the metric's places: "60000000.00") is the shape for a whole plan.
package exchange

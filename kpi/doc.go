// Package kpi tracks actuals against goals: facts in, rolled-up figures,
// attainment, pacing, projections, comparisons and leaderboards out.
//
// # Facts and the ledger
//
// A Fact is one actual event — a deal won, a call made, a payment collected
// — with a metric, the unit credited, a day, an exact decimal value and an
// idempotency key. A Ledger holds facts bucketed by (metric, unit, day) over
// a fixed span of days and answers "how much did this unit do in this
// period" for any unit and any range of days, with its sub-units (Subtree,
// the default) or without (Own).
//
// Ingestion is idempotent: a key seen before with the same content
// (SameFact, the rule every goalkit store follows too) changes nothing, the
// same key with different content is an ErrConflict, never a silent
// overwrite. Corrections are explicit: Retract takes a fact out of
// every figure, Replace swaps its content in one step. A retracted key stays
// known, so a replayed message cannot bring the fact back by accident.
// Batches are all-or-nothing by default (AllOrNothing); KeepGood applies the
// good facts and hands back the bad ones. Bad facts get a *FactError naming
// the field: unknown unit or metric, more decimal places than the metric
// allows (goalkit never rounds a fact), a day outside the span, a currency
// that is not the metric's.
//
// # The org over time
//
// A fact counts for its unit and for every unit above it on the fact's day:
// a rep who moved from one team to another on March 1 counts for the old
// team before and for the new one from then on (goal.Unit.Earlier), on
// whatever day the fact is ingested. The Ledger follows goal.Org.Chains,
// the one implementation of that rule, which goalkit's stores follow too
// (Ancestry).
//
// # Split credit
//
// A fact may be split over several units with shares that sum to exactly 1.
// Each unit is credited its share of the value allocated in the metric's
// minor units by the largest remainder method, so the parts sum exactly to
// the value (SplitMinor, exported so that every store — goalkit's and a
// host's own — credits exactly what the ledger does: a remainder tie goes to
// the credit listed first); every ancestor is credited the sum over its subtree. A parent's
// actual is therefore always its own facts plus the sum of its children's,
// and a deal split between two reps counts once for their team. Counts of
// facts follow the same rule with the shares themselves (0.5 deal each, 1
// for the team), so averages like deal size stay right at every level.
//
// # Range facts and currencies
//
// A fact with End covers the days [Date, End) — a weekly sales total, a
// monthly invoice run — and is spread over them (every day, or the working
// days of a calendar) by SpreadDays: equal days, the minor units left over
// to the earliest, by SplitMinor's rule. It stays one fact for idempotency,
// Retract and Replace. goalkit's stores spread range facts; the Ledger
// keeps one day a fact and refuses them. A fact booked in another currency
// carries what it was in Converted (original currency, amount, rate), and
// its Value is Convert(Amount, Rate): half to even at the metric's places.
// The Engine converts with the host's dated rates; CheckFact holds the
// conversion to that rule.
//
// # Exactness and cost
//
// Values are exact decimals at the API and int64 minor units inside. A fact
// costs one write per level of its unit's path and no allocation; a range
// query costs the same whatever the range's length; memory is about 45 bytes
// a fact at 10M facts. A fact that could overflow an int64 total fails with
// ErrOverflow; nothing wraps. For bulk loads prefer IngestBatch (or
// IngestMinor, for values already in integer minor units) to Ingest in a
// loop: it validates and hashes facts a few dozen ahead so that their
// memory reads overlap. (The layout behind these figures is in
// docs/ARCHITECTURE.md.)
//
// # KPIs
//
// A KPI is a Sum or a Count of a metric's facts, or a Ratio of two KPIs
// (win rate = won ÷ closed, Average deal size = revenue ÷ won deals). Ratios
// roll up by recomputing numerator and denominator over the subtree, never
// by averaging averages, and are rounded to DefaultRatioPlaces (6); a ratio
// with a zero denominator is undefined (an invalid decimal.NullDecimal).
//
// # Status of a goal
//
// Ledger.Status (or the pure Track) tells where a goal stands as of a day,
// counting that day as elapsed:
//
//   - Attainment = actual ÷ target. A zero target has no attainment: the
//     field is invalid, never 100% and never a division by zero.
//   - TimeProgress is the share of the period elapsed by calendar days, by
//     working days of a goal.Calendar, or along a seasonal curve (per-day or
//     per-sub-period weights). PlanPace gives each goal of a plan the pace
//     the plan sets (its finest sub-periods' targets, summed over units;
//     working days for a leaf), the one the goalkit Engine uses, so a Ledger
//     and an Engine agree on the same plan: l.Status(g, asOf, pp.Of(g)).
//   - GapRate = attainment − time progress, and AheadBy = actual − expected to
//     date; both are mirrored for lower-is-better metrics so that positive
//     is always good.
//   - RequiredRunRate = (target − actual) ÷ remaining (working) days.
//   - Projected extrapolates the actual along the same basis (linear or
//     seasonal); ProjectedWithPipeline adds a weighted open pipeline the
//     caller passes (the funnel package computes it).
//
// Quotients are rounded half away from zero: rates to RatePlaces (6)
// places, amounts to the metric's places.
//
// # Comparisons and leaderboards
//
// YoY (同比) and MoM (环比) compare a KPI with the same period a year
// earlier or the period before; growth from a zero base is undefined. Rank
// orders units by any figure with ties sharing a rank ("1, 2, 2, 4"), listed
// by unit ID, so the order never depends on input order.
//
// The package is pure: no I/O, no clock (the as-of day is a parameter), no
// package-level state. A Ledger is safe for concurrent use; the other types
// are values.
package kpi

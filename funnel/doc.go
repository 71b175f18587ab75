// Package funnel models sales funnels: the stages deals move through,
// conversion and stage durations measured from real deal histories, the
// reverse funnel that turns a revenue target into the number of deals each
// stage must take in and when, and the forward funnel that weighs the open
// pipeline.
//
// # Funnels and deals
//
// A Funnel is an ordered list of open stages (lead → qualified → proposal,
// or 线索 → 商机) and the outcomes that end a deal: won, lost and,
// optionally, invalid. A host may keep several funnels, each with its own
// key. A Deal is one opportunity's history: the Transitions into stages and,
// at the end, into an outcome, each with its date, plus the deal's value and
// owning unit.
//
// # Measuring: cohorts, not ratios of counts
//
// Measure and MeasureByUnit follow cohorts: a stage's cohort is the deals
// that entered it in a window, and its conversion is how many of those same
// deals went on to a later stage. It is never "entries into the next stage
// this month ÷ entries into this one", which mixes deals of different
// months. Three rules make the count precise:
//
//   - A deal that skips a stage (lead straight to proposal, or proposal
//     straight to won) counts as having passed through it on the day it went
//     past it. A skipped stage has no duration sample, since nobody knows how
//     long the deal spent there. A deal counts only from the stage it entered
//     the funnel at: a deal created at qualified was never a lead.
//   - A deal that moves back keeps the furthest stage it reached; its current
//     stage (for the pipeline and stagnation) is where it moved to.
//   - Everything is as of a date given by the caller (the package never
//     reads a clock): later transitions are ignored. A cohort deal whose fate
//     is not known as of that date is reported as open (OpenHere: has not
//     left the stage; OpenLater: advanced, not yet won or lost) and is not a
//     trial of the Ratios (Advance, Win), which are over resolved deals only;
//     the censoring-aware estimates below count it as at risk. Lost and
//     invalid deals are failures.
//
// # Conversion when losses are never recorded
//
// Most lead funnels never mark a lead lost: it just stops moving. Rates over
// resolved deals then say 100%. Every StageMeasure therefore also carries
// censoring-aware figures: Conversion (advancing past the stage) and Winning
// (winning from it) are Aalen–Johansen estimates of cumulative incidence, in
// which the event competes with ending (lost, invalid) and a deal still open
// is right-censored: at risk for as long as it has been open, never a failure
// and never a success. Curve gives the share advancing within t days of
// entering, for every t an event happened, with the deals still at risk
// then; Lags the distribution of the days to winning. Their 95% intervals
// use the delta-method variance on the complementary log-log scale.
// MeasureOptions.Horizon adds the conversion within that many days over the
// cohort deals that had that long to mature (Within, Matured; Cohorts reports
// it per period, each marked Mature or not); the rest are
// immature and counted in neither way. An Aging policy (a limit per stage set
// by the host, or a percentile of the measured stays) counts an open deal
// older than its stage's limit as lost on the day it passed it, and names it
// in Measurement.Stalled. Measurement.Model takes the censoring-aware rates,
// so the reverse funnel, the weighted pipeline and the engine's conversion
// watches do too; ResolvedModel keeps the resolved-only ratios.
//
// Measure is strict: the first bad history fails the call. With
// MeasureOptions.KeepGood it measures the good deals and lists the others in
// Measurement.Rejected, each with its reason.
//
// Each rate is a Ratio with its sample size and a 95% Wilson interval, so a
// rate from 3 deals looks as uncertain as it is. MeasureByUnit measures every
// unit of a goal.Org from the deals of the unit and its sub-units (a
// manager's rate is recomputed from his reps' deals, never averaged from
// their rates) and smooths each unit's rate toward its parent's, as in a
// beta-binomial (empirical Bayes) model with the parent's rate as the prior
// mean and PriorStrength pseudo-deals (20 by default) as its weight: a rep
// with 5 deals mostly gets his team's rate, a rep with 500 his own.
//
// Rates are decimals with RatePlaces places, so a host's 0.3 is exactly 0.3.
// Money is never rounded: sums are exact; the average won value is rounded
// to AvgPlaces and reported next to its exact sum and count.
//
// # Models
//
// A Model holds, per stage, the conversion to the next stage, the probability
// of winning from the stage and the typical duration, plus the average won
// value. Measurement.Model builds one from a measurement (smoothed rates,
// median durations, host-set Stage.Probability where given); a host without
// history builds one by hand, as CRMs let managers set 20% / 30% / 80%.
//
// # The reverse funnel
//
// Reverse starts from revenue targets per unit and period (for instance the
// leaf goals of a goal.Plan, see TargetsFromPlan) and works backwards: won
// deals = ceil(revenue ÷ average won value); the last stage needs
// ceil(won ÷ its conversion) entries, the stage before it ceil(that ÷ its
// conversion), and so on. Rounding up at every step means no stage is ever
// short of what the next needs (count × conversion ≥ next count, exactly),
// and each count is the smallest that is enough. Deals that must win in June
// enter a stage earlier by the typical time from that stage to winning, so
// each stage's count is spread over the shifted date range (over the shifts
// of the stage's lag distribution, when the model has one) and cut into
// periods with goal.Calendar.PeriodOf, in proportion to days and exactly (the
// parts sum to the count, by largest remainder). Activities per deal of a
// stage (3 visits per qualified lead) become activity targets over the days
// deals spend in the stage; with weekly periods they are weekly visit and
// call targets. The result converts to goal.Goal values or to one exact
// goal.Plan per metric, which the kpi package tracks like any other goal.
//
// # The forward funnel
//
// Pipeline weighs every open deal by its stage's win probability and files it
// under its expected close period (the host's date, or the day it entered
// its stage plus the median of the lags longer than its stay so far, or
// plus the typical remaining durations when the model has no lags), per unit and rolled up the
// org; Coverage divides it by the target still to win. Stalled lists deals
// that have been in their stage for more than a multiple of its typical
// duration.
//
// # Errors and safety
//
// Bad input gets an error matching ErrInvalid (a *ValidationError that says
// what was wrong and what to do), ErrNotFound, ErrInfeasible or
// ErrCurrencyMismatch; nothing panics on host input. Functions are pure and
// deterministic, keep no state between calls and are safe for concurrent use;
// the types are plain values owned by the caller.
package funnel

// Package alert notices early that a rep, a team or a funnel stage is off plan. It does no I/O,
// reads no clock and uses randomness only from explicit seeds: time, previous states and
// samples go in; new states and notifications come out.
//
// # Detectors
//
// A detector watches one stream of per-period observations (a week's conversions out of the
// deals that reached a stage, a week's visits) for a drop below plan, and says after each period
// whether it signals. Two kinds of stream are supported: a RateStream, where each period has
// Trials attempts of which Successes convert (binomial in control, with planned rate P0), and a
// CountStream, where each period has a count (Poisson in control, with planned mean Lambda0). A
// Baseline holds that in-control model. A period with zero trials is "no data": it never moves a
// detector, so a week without deals is not a 0% conversion rate.
//
// The fixed rule CRMs ship, "rate below 50% of plan", optionally "held for k periods"
// (BelowPlanDesign), is cheap to explain but its false-alarm rate is set by the data, not by
// anyone: on a rep with ten deals a week it fires on one in five in-control weeks. The
// statistical detectors instead take their threshold from the false-alarm rate the host can live
// with, stated as the in-control average run length (ARL): the mean number of periods between
// false alarms (200 weekly periods ≈ 5 false alarms per 1,000).
//
//   - CUSUMDesign: a one-sided lower CUSUM of the log-likelihood ratio of a designed drop, P0 →
//     Shifted (binomial) or Lambda0 → Shifted (Poisson). The quickest to detect the drop it is
//     designed for.
//   - EWMADesign: a lower EWMA chart on the rate, with the exact variance of the average given
//     the trials seen, in standard deviations; smoothing λ = 0.2 by default.
//   - BetaBinomialDesign: a discounted Beta posterior of the recent rate (δ = 0.85 by default)
//     that signals when the posterior probability that the rate is below plan passes a threshold.
//
// Calibrate turns a design and a target ARL into the threshold (h, L or the posterior
// probability) by seeded simulation of the in-control stream, deterministic for a seed; a
// Calibrator remembers calibrations. InControlARL measures the ARL of any detector, fixed rules
// included. Real streams vary more than the binomial or Poisson model allows: EstimateDispersion
// measures the excess from in-control history as a factor φ, and with it as
// Baseline.Dispersion the false-alarm rate still meets its target.
//
// Detectors are plain structs: their exported fields are their whole design and state, so a
// store can persist them between evaluations, and a copy is an independent detector.
//
// # Rules
//
// Rules turn tracked figures into Samples for the Lifecycle. Each rule is a plain value whose Check method is pure:
// it reads only its arguments (a kpi.Status; a detector's persisted state and one period's
// observation; a funnel model and deals), never a clock, and returns the same Sample for the
// same input. The engine computes the inputs, calls Check and passes the Samples to
// Lifecycle.Evaluate.
//
//   - PaceRule: a goal's actual against what the plan expects by now on the plan's own curve
//     (working days, seasonality), judged by the metric's variance: a one-sided z test with a
//     stated false-flag rate per check. LinearPaceRule is the straight-line, fixed-percentage
//     rule CRMs ship, kept for contrast.
//   - ProjectedMissRule: the projection to period end (run-rate or seasonal, optionally with
//     the weighted pipeline) below target by more than a tolerance.
//   - ConversionDropRule and VolumeDropRule: a calibrated detector (CUSUM by default) watching a
//     funnel stage's conversion rate, or an activity count against what the reverse funnel
//     needs, one closed period at a time. ConversionWatch runs a ConversionDropRule over every
//     unit and stage of a funnel: which periods have settled, what a cohort observes, how a new
//     stream is calibrated; the host stores each stream's StreamState between evaluations.
//   - StagnationRule: deals sitting in a stage far longer than the stage's typical duration.
//
// Every Sample carries Rule, Unit, Metric and, for the rules about one goal's period, Period:
// the lifecycle fingerprints them. Rules return inactive samples too, so that the lifecycle can
// tell a cleared condition from a missing evaluation.
//
// # Lifecycle
//
// Detectors and rules say whether a condition holds; the Lifecycle turns those answers into
// alerts that are raised once, held, reminded, escalated and resolved, in the manner of
// Prometheus's alerting rules. An alert instance is identified by its labels — rule, unit,
// metric, period and any extras — through a stable Fingerprint. Each evaluation, the engine
// passes Lifecycle.Evaluate the time, the instances it saved last time and one Sample per
// candidate alert (is the condition true now, the value, the threshold, a message); Evaluate
// returns the new instances and the notifications to send. It reads no clock and does no I/O,
// so tests step time explicitly.
//
// An instance goes inactive → pending → firing → resolved. It stays pending until the condition
// has held for the policy's For (a duration) and ForPeriods (evaluations); a condition that
// clears while pending drops it without a word. A firing instance stays firing for
// KeepFiringFor/KeepFiringForPeriods after the condition clears, then resolves; a resolved
// instance is kept for ResolvedRetention, and if the condition returns it starts a new episode.
// An alert whose sample is missing from an evaluation is evaluated as if its condition were
// false.
//
// Notifications go out on firing, every RepeatInterval while firing, once per episode to the
// unit's parent after EscalateAfter, and on resolution. Each carries a Key that depends only on
// the instance, the kind, the episode and the reminder number, so hosts de-duplicate retries by
// Key. Silences (label matchers and a time window) and inhibition (a firing team alert mutes the
// same alert of its reps) mute notifications but never state: a muted firing, escalation or
// resolution is sent, with the same Key, by the first evaluation after the muting ends. The host
// delivers notifications through its Notifier; the engine calls it, Evaluate never does. The
// engine's Deliver first words each for its recipient (Notification.Summary, in the language
// Notification.Language; package messages); Message stays the rule's sentence, as details.
package alert

// Package goalkittest helps hosts test code built on goalkit.
//
// A test of alerting code needs three things goalkit deliberately leaves to
// the host: time that moves only when the test says so, a believable org,
// plan and stream of facts and deals, and a way to say which notifications
// should have been sent. This package gives each, and nothing else:
//
//   - Clock is a fake clock, settable and advanceable, safe for concurrent
//     use; pass clock.Now as goalkit.Config.Now.
//   - Org, Spec, Plan, Facts, Deals and Funnel build fixtures: a company of
//     two teams of two reps, a revenue plan decomposed on it, and seeded
//     streams of revenue facts and of funnel deals. The same seed always
//     gives the same fixtures, so a failing test fails the same way again.
//   - RequireFired, RequireNotFired and RequireNoDuplicates check what an
//     alert.Recorder (goalkit.Config.Notifier in a test) was sent.
//
// Engine.Evaluate takes the evaluation date as an argument; the engine reads
// its clock for the rest: today (Engine.Today, which Replan
// plans from), audit times and delivery leases. A test steps both explicitly.
package goalkittest

package storagetest

import (
	"testing"

	"github.com/goalkit/goalkit/storage"
)

// Opener makes a store handle bound to tenant on one data set. Handles made
// by the same Opener share the data (so tenant isolation can be checked).
type Opener func(tenant string) storage.Store

// Harness describes one store implementation to Run.
type Harness struct {
	// Open returns an Opener on a fresh, empty data set. It is called once
	// per test and should register any cleanup with t.Cleanup.
	Open func(t *testing.T) Opener
	// ConcurrentWriters declares that handles are safe for concurrent
	// writes from several goroutines; the no-lost-update tests run only
	// then.
	ConcurrentWriters bool
	// FaultInjection declares that the store fails where this module's
	// stores are told to in the middle of a write (a seam internal to the
	// module, so only its own stores declare it); the mid-write failure
	// tests run only then.
	FaultInjection bool
	// Parallel runs the tests in parallel with each other.
	Parallel bool
}

type test struct {
	name string
	run  func(t *testing.T, open Opener)
	need func(h Harness) bool
}

// Run runs the conformance suite against h, one subtest per case.
func Run(t *testing.T, h Harness) {
	t.Helper()
	var all []test
	for _, group := range groups() {
		all = append(all, group...)
	}
	for _, tc := range all {
		t.Run(tc.name, func(t *testing.T) {
			if tc.need != nil && !tc.need(h) {
				t.Skip("the harness does not declare the capability this case needs")
			}
			if h.Parallel {
				t.Parallel()
			}
			tc.run(t, h.Open(t))
		})
	}
}

// groups lists every group of cases, in the order Run runs them.
func groups() [][]test {
	return [][]test{unitTests, orgTests, planTests, versionTests, factTests, rangeTests, totalTests, dealTests, alertTests, alertLiveTests, alertBatchTests, outboxTests, txTests, tenancyTests, cancelTests, concurrencyTests, raceTests, claimTests, inputTests, negotiationTests}
}

// Count returns the number of cases Run runs for h (skipped ones excluded).
func Count(h Harness) int {
	n := 0
	for _, group := range groups() {
		for _, tc := range group {
			if tc.need == nil || tc.need(h) {
				n++
			}
		}
	}
	return n
}

func concurrent(h Harness) bool { return h.ConcurrentWriters }
func faults(h Harness) bool     { return h.FaultInjection }

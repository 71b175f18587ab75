package kpi_test

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A store of the host's own tells a resent fact from a corrected one as the
// ledger and goalkit's stores do: the same content is a duplicate, however
// its numbers are written and whatever the order of its credits; anything
// else under the same key is a conflict.
func ExampleSameFact() {
	dec := decimal.RequireFromString
	first := kpi.Fact{Key: "deal-7", Metric: "revenue", Date: date.New(2026, time.March, 2), Value: dec("1200.5"),
		Credits: []kpi.Credit{{Unit: "ana", Share: dec("0.5")}, {Unit: "bo", Share: dec("0.5")}}}
	resent := first
	resent.Value = dec("1200.50")
	resent.Credits = []kpi.Credit{{Unit: "bo", Share: dec("0.50")}, {Unit: "ana", Share: dec("0.5")}}
	corrected := first
	corrected.Value = dec("1250")
	fmt.Println(kpi.SameFact(first, resent), kpi.SameFact(first, corrected))
	// Output: true false
}

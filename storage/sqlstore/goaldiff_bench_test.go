package sqlstore_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/shopspring/decimal"
)

// BenchmarkUpdatePlan writes a plan of 10,000 goals back with one target
// changed, with every target changed (a rebalance), and reshaped (the last
// goal removed or added back: every row deleted and inserted again, what
// every update cost before rows were updated in place), on each dialect:
//
//	go test -run '^$' -bench UpdatePlan -count 5 ./storage/sqlstore
//
// PostgreSQL needs GOALKIT_POSTGRES_DSN.
func BenchmarkUpdatePlan(b *testing.B) {
	const n = 10_000
	for _, tc := range dialects {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			s := newStore(b, tc.open(b), sqlstore.Config{Dialect: tc.dialect, Tenant: "acme"})
			full := bigPlan(b, n)
			v, err := s.CreatePlan(ctx, full, nil)
			if err != nil {
				b.Fatal(err)
			}
			short, err := goal.NewPlan(full.ID, full.Metric, full.Goals[:n-1])
			if err != nil {
				b.Fatal(err)
			}
			k := int64(0)
			for _, bc := range []struct {
				name string
				next func() *goal.Plan
			}{
				{"OneTarget", func() *goal.Plan {
					k++
					full.Goals[1].Target = decimal.NewFromInt(k)
					return full
				}},
				{"EveryTarget", func() *goal.Plan {
					k++
					for i := range full.Goals {
						full.Goals[i].Target = decimal.NewFromInt(k + int64(i))
					}
					return full
				}},
				{"Reshaped", func() *goal.Plan {
					if k++; k%2 == 0 {
						return full
					}
					return short
				}},
			} {
				b.Run(bc.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if v, err = s.UpdatePlan(ctx, bc.next(), v, nil); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

package storagetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// badIDs and badTexts are strings no store accepts as an identifier or as
// free text: a NUL byte (PostgreSQL refuses it in text), invalid UTF-8 and
// one byte over the limit.
var (
	badIDs   = map[string]string{"NUL": "a\x00b", "invalid UTF-8": "a\xffb", "too long": strings.Repeat("x", goal.MaxIDLen+1)}
	badTexts = map[string]string{"NUL": "a\x00b", "invalid UTF-8": "a\xffb", "too long": strings.Repeat("é", goal.MaxTextLen/2) + "x"}
)

// textWrites puts one bad string in one field of one write; the bool says
// whether the field is an identifier (else free text).
var textWrites = map[string]struct {
	id    bool
	write func(ctx context.Context, s storage.Store, bad string) error
}{
	"unit ID": {true, func(ctx context.Context, s storage.Store, bad string) error {
		return s.PutUnits(ctx, []goal.Unit{{ID: bad}})
	}},
	"unit parent": {true, func(ctx context.Context, s storage.Store, bad string) error {
		return s.PutUnits(ctx, []goal.Unit{{ID: "u", Parent: bad}})
	}},
	"unit kind": {false, func(ctx context.Context, s storage.Store, bad string) error {
		return s.PutUnits(ctx, []goal.Unit{{ID: "u", Kind: bad}})
	}},
	"unit name": {false, func(ctx context.Context, s storage.Store, bad string) error {
		return s.PutUnits(ctx, []goal.Unit{{ID: "u", Name: bad}})
	}},
	"plan ID": {true, func(ctx context.Context, s storage.Store, bad string) error {
		return createPlan(ctx, s, plan(bad), nil)
	}},
	"goal ID": {true, func(ctx context.Context, s storage.Store, bad string) error {
		p := plan("p")
		p.Goals[2].ID = bad
		return createPlan(ctx, s, p, nil)
	}},
	"goal unit": {true, func(ctx context.Context, s storage.Store, bad string) error {
		p := plan("p")
		p.Goals[1].Unit = bad
		return createPlan(ctx, s, p, nil)
	}},
	"period label": {false, func(ctx context.Context, s storage.Store, bad string) error {
		p := plan("p")
		p.Goals[0].Period.Label = bad
		return createPlan(ctx, s, p, nil)
	}},
	"metric name": {false, func(ctx context.Context, s storage.Store, bad string) error {
		p := plan("p")
		p.Metric.Name = bad
		return createPlan(ctx, s, p, nil)
	}},
	"audit reason": {false, func(ctx context.Context, s storage.Store, bad string) error {
		return createPlan(ctx, s, plan("p"), []storage.AuditEntry{{Goal: "revenue/co/2026", Actor: "li", Reason: bad}})
	}},
	"fact key": {true, func(ctx context.Context, s storage.Store, bad string) error {
		return appendWith(ctx, s, fact(bad, "revenue", "a", "2026-03-01", "1"))
	}},
	"fact metric": {true, func(ctx context.Context, s storage.Store, bad string) error {
		return appendWith(ctx, s, fact("k", bad, "a", "2026-03-01", "1"))
	}},
	"fact unit": {true, func(ctx context.Context, s storage.Store, bad string) error {
		return appendWith(ctx, s, fact("k", "revenue", bad, "2026-03-01", "1"))
	}},
	"fact currency": {true, func(ctx context.Context, s storage.Store, bad string) error {
		f := fact("k", "revenue", "a", "2026-03-01", "1")
		f.Currency = bad
		return appendWith(ctx, s, f)
	}},
	"credit unit": {true, func(ctx context.Context, s storage.Store, bad string) error {
		f := fact("k", "revenue", "", "2026-03-01", "1")
		f.Credits = []kpi.Credit{{Unit: "a", Share: dec("0.5")}, {Unit: bad, Share: dec("0.5")}}
		return appendWith(ctx, s, f)
	}},
	"dimension key": {true, func(ctx context.Context, s storage.Store, bad string) error {
		f := fact("k", "revenue", "a", "2026-03-01", "1")
		f.Dims = map[string]string{bad: "x"}
		return appendWith(ctx, s, f)
	}},
	"dimension value": {false, func(ctx context.Context, s storage.Store, bad string) error {
		f := fact("k", "revenue", "a", "2026-03-01", "1")
		f.Dims = map[string]string{"p": bad}
		return appendWith(ctx, s, f)
	}},
	"replaced fact": {true, func(ctx context.Context, s storage.Store, bad string) error {
		if _, err := s.AppendFacts(ctx, []kpi.Fact{fact("k", "revenue", "a", "2026-03-01", "1")}); err != nil {
			return err
		}
		return s.ReplaceFact(ctx, fact("k", "revenue", bad, "2026-03-01", "2"))
	}},
	"deal ID": {true, func(ctx context.Context, s storage.Store, bad string) error {
		return s.PutDeal(ctx, deal(bad, "sales", "a", "lead"))
	}},
	"deal unit": {true, func(ctx context.Context, s storage.Store, bad string) error {
		return s.PutDeal(ctx, deal("d", "sales", bad, "lead"))
	}},
	"deal stage": {true, func(ctx context.Context, s storage.Store, bad string) error {
		return s.PutDeal(ctx, deal("d", "sales", "a", "lead", bad))
	}},
	"alert fingerprint": {true, func(ctx context.Context, s storage.Store, bad string) error {
		_, err := s.PutAlert(ctx, alertState(bad), 0)
		return err
	}},
	"alert label key": {true, func(ctx context.Context, s storage.Store, bad string) error {
		a := alertState("fp")
		a.Labels[bad] = "x"
		_, err := s.PutAlert(ctx, a, 0)
		return err
	}},
	"alert label value": {false, func(ctx context.Context, s storage.Store, bad string) error {
		a := alertState("fp")
		a.Labels["unit"] = bad
		_, err := s.PutAlert(ctx, a, 0)
		return err
	}},
	"notification key": {true, func(ctx context.Context, s storage.Store, bad string) error {
		return s.Enqueue(ctx, note(bad, "2026-03-01T00:00:00Z"))
	}},
	"notification fingerprint": {true, func(ctx context.Context, s storage.Store, bad string) error {
		n := note("n", "2026-03-01T00:00:00Z")
		n.Fingerprint = bad
		return s.Enqueue(ctx, n)
	}},
}

// textReads looks one bad identifier up.
var textReads = map[string]func(ctx context.Context, s storage.Store, bad string) error{
	"GetPlan": func(ctx context.Context, s storage.Store, bad string) error {
		_, err := s.GetPlan(ctx, bad)
		return err
	},
	"ListAudit": func(ctx context.Context, s storage.Store, bad string) error {
		_, err := s.ListAudit(ctx, bad)
		return err
	},
	"GetFact": func(ctx context.Context, s storage.Store, bad string) error {
		_, err := s.GetFact(ctx, bad)
		return err
	},
	"ListFacts": func(ctx context.Context, s storage.Store, bad string) error {
		_, err := s.ListFacts(ctx, bad, 0)
		return err
	},
	"RetractFact": func(ctx context.Context, s storage.Store, bad string) error { return s.RetractFact(ctx, bad) },
	"GetDeal": func(ctx context.Context, s storage.Store, bad string) error {
		_, err := s.GetDeal(ctx, bad)
		return err
	},
	"ListDeals": func(ctx context.Context, s storage.Store, bad string) error {
		_, err := s.ListDeals(ctx, storage.DealFilter{Unit: bad})
		return err
	},
	"GetAlert": func(ctx context.Context, s storage.Store, bad string) error {
		_, err := s.GetAlert(ctx, bad)
		return err
	},
	"MarkDelivered": func(ctx context.Context, s storage.Store, bad string) error {
		return s.MarkDelivered(ctx, bad, at("2026-03-01T00:00:00Z"))
	},
	"Sum metric": func(ctx context.Context, s storage.Store, bad string) error {
		_, err := s.Sum(ctx, q(bad, "a", true, "2026-01-01", "2027-01-01"))
		return err
	},
	"Sum unit": func(ctx context.Context, s storage.Store, bad string) error {
		_, err := s.Sum(ctx, q("revenue", bad, false, "2026-01-01", "2027-01-01"))
		return err
	},
}

func createPlan(ctx context.Context, s storage.Store, p *goal.Plan, audit []storage.AuditEntry) error {
	_, err := s.CreatePlan(ctx, p, audit)
	return err
}

// appendWith appends a good fact and f in one batch.
func appendWith(ctx context.Context, s storage.Store, f kpi.Fact) error {
	_, err := s.AppendFacts(ctx, []kpi.Fact{fact("good", "revenue", "a", "2026-03-01", "1"), f})
	return err
}

// requireNothingStored checks that a refused write left nothing behind
// (beyond the one fact "replaced fact" stores first).
func requireNothingStored(t *testing.T, s storage.Store, msg string) {
	t.Helper()
	ctx := context.Background()
	units, err := s.ListUnits(ctx)
	require.NoError(t, err)
	require.Empty(t, units, msg)
	plans, err := s.ListPlans(ctx)
	require.NoError(t, err)
	require.Empty(t, plans, msg)
	deals, err := s.ListDeals(ctx, storage.DealFilter{})
	require.NoError(t, err)
	require.Empty(t, deals, msg)
	alerts, err := s.ListAlerts(ctx)
	require.NoError(t, err)
	require.Empty(t, alerts, msg)
	notes, err := s.ListUndelivered(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, notes, msg)
	requireTotal(t, "0", "0", sum(t, s, q("revenue", "a", false, "2026-01-01", "2027-01-01")), msg)
}

// extremes are decimals built with extreme exponents: their digits would
// take gigabytes, so a store must refuse them without making any.
var extremes = map[string]decimal.Decimal{
	"1e-2147483648": decimal.New(1, math.MinInt32),
	"1e2147483647":  decimal.New(1, math.MaxInt32),
	"0e-2147483648": decimal.New(0, math.MinInt32),
	"-7e2147483647": decimal.New(-7, math.MaxInt32),
	"5e-2147483647": decimal.New(5, math.MinInt32+1),
}

var inputTests = []test{
	{name: "Input/BadTextIsInvalidEverywhere", run: func(t *testing.T, open Opener) {
		ctx, n := context.Background(), 0
		for field, w := range textWrites {
			bads := badTexts
			if w.id {
				bads = badIDs
			}
			for kind, bad := range bads {
				n++
				s := open(fmt.Sprint("t", n)) // a fresh tenant: nothing stored yet
				err := w.write(ctx, s, bad)
				require.ErrorIs(t, err, storage.ErrInvalid, "%s: %s", field, kind)
				require.Less(t, len(err.Error()), 1000, "%s: %s: the message quotes the value in full", field, kind)
				if field == "replaced fact" {
					requireTotal(t, "1", "1", sum(t, s, q("revenue", "a", false, "2026-01-01", "2027-01-01")), "the stored fact is unchanged")
					continue
				}
				requireNothingStored(t, s, field+": "+kind)
			}
		}
		s := open("acme")
		for name, read := range textReads {
			for kind, bad := range badIDs {
				require.ErrorIs(t, read(ctx, s, bad), storage.ErrInvalid, "%s: %s", name, kind)
			}
		}
	}},
	{name: "Input/TextAtTheLimits", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		id := strings.Repeat("键", goal.MaxIDLen/3) + strings.Repeat("k", goal.MaxIDLen%3) // exactly MaxIDLen bytes
		name := strings.Repeat("名", goal.MaxTextLen/3) + strings.Repeat("n", goal.MaxTextLen%3)
		require.Len(t, id, goal.MaxIDLen)
		require.Len(t, name, goal.MaxTextLen)
		require.NoError(t, s.PutUnits(ctx, []goal.Unit{{ID: id, Name: name, Kind: "rep"}}))
		units, err := s.ListUnits(ctx)
		require.NoError(t, err)
		require.Equal(t, []goal.Unit{{ID: id, Name: name, Kind: "rep"}}, units)
		f := fact(id, "revenue", id, "2026-03-01", "1")
		f.Dims = map[string]string{id: name}
		append1(t, s, f)
		got, err := s.GetFact(ctx, id)
		require.NoError(t, err)
		requireFact(t, f, got.Fact)
		requireTotal(t, "1", "1", sum(t, s, q("revenue", id, false, "2026-01-01", "2027-01-01")))
	}},
	{name: "Input/ExtremeExponentsAreInvalid", run: func(t *testing.T, open Opener) {
		ctx := context.Background()
		for name, v := range extremes {
			s := open(name) // a tenant per case
			f := fact("k", "revenue", "a", "2026-03-01", "1")
			f.Value = v
			requireShortInvalid(t, appendWith(ctx, s, f), "fact value "+name)
			append1(t, s, fact("r", "revenue", "a", "2026-03-01", "1"))
			requireShortInvalid(t, s.ReplaceFact(ctx, f), "replaced value "+name)
			split := fact("k", "revenue", "", "2026-03-01", "1")
			split.Credits = []kpi.Credit{{Unit: "a", Share: v}, {Unit: "b", Share: dec("0.5")}}
			requireShortInvalid(t, appendWith(ctx, s, split), "share "+name)
			p := plan("p")
			p.Goals[1].Target = v
			requireShortInvalid(t, createPlan(ctx, s, p, nil), "target "+name)
			p = plan("p")
			p.Goals[0].Floor = decimal.NewNullDecimal(v)
			requireShortInvalid(t, createPlan(ctx, s, p, nil), "floor "+name)
			requireShortInvalid(t, createPlan(ctx, s, plan("p"), []storage.AuditEntry{{Goal: "g", New: decimal.NewNullDecimal(v)}}), "audit "+name)
			d := deal("d", "sales", "a", "lead")
			d.Value = v
			requireShortInvalid(t, s.PutDeal(ctx, d), "deal value "+name)
			requireTotal(t, "1", "1", sum(t, s, q("revenue", "a", false, "2026-01-01", "2027-01-01")), name)
			plans, err := s.ListPlans(ctx)
			require.NoError(t, err)
			require.Empty(t, plans, name)
		}
	}},
	{name: "Totals/ExactOrOverflow", run: func(t *testing.T, open Opener) {
		// Ten facts of the largest value a store takes, on one day of one
		// unit: either the store sums them exactly, or it refuses the
		// write that would leave its exact range with ErrOverflow and
		// keeps every total exact.
		const big = "999999999999999999999.999999999999"
		ctx := context.Background()
		for _, oneBatch := range []bool{true, false} {
			s := open(fmt.Sprint("batch-", oneBatch))
			require.NoError(t, s.PutUnits(ctx, org()))
			var facts []kpi.Fact
			for i := range 10 {
				facts = append(facts, fact(string(rune('a'+i)), "revenue", "a", "2026-03-01", big))
			}
			stored := 0
			if oneBatch {
				if _, err := s.AppendFacts(ctx, facts); err == nil {
					stored = 10
				} else {
					require.ErrorIs(t, err, storage.ErrOverflow)
				}
			} else {
				for _, f := range facts {
					if _, err := s.AppendFacts(ctx, []kpi.Fact{f}); err != nil {
						require.ErrorIs(t, err, storage.ErrOverflow)
						break
					}
					stored++
				}
			}
			want := dec(big).Mul(decimal.NewFromInt(int64(stored)))
			for _, u := range []string{"a", "t1", "co"} {
				tot := sum(t, s, q("revenue", u, true, "2026-01-01", "2027-01-01"))
				require.Truef(t, want.Equal(tot.Value), "%s (one batch %v): want %s (%d facts), got %s", u, oneBatch, want, stored, tot.Value)
			}
			// Correcting a stored fact to the opposite sign brings every
			// total back in range, exactly.
			if stored > 0 {
				require.NoError(t, s.ReplaceFact(ctx, fact("a", "revenue", "a", "2026-03-01", "-"+big)))
				want = want.Sub(dec(big).Mul(decimal.NewFromInt(2)))
				tot := sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01"))
				require.Truef(t, want.Equal(tot.Value), "after the replace: want %s, got %s", want, tot.Value)
			}
		}
	}},
	{name: "Totals/ExactOverManyDays", run: func(t *testing.T, open Opener) {
		// Each day's bucket is in range; the sum over the year is not
		// within int64 minor units and must still be exact.
		const big = "999999999999999999999.999999999999"
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		var facts []kpi.Fact
		for i := range 20 {
			f := fact(string(rune('a'+i)), "revenue", "a", "2026-03-01", big)
			f.Date += dayN(i)
			facts = append(facts, f)
		}
		append1(t, s, facts...)
		want := dec(big).Mul(decimal.NewFromInt(20))
		for _, u := range []string{"a", "co"} {
			tot := sum(t, s, q("revenue", u, true, "2026-01-01", "2027-01-01"))
			require.Truef(t, want.Equal(tot.Value), "%s: want %s, got %s", u, want, tot.Value)
		}
		_, err := s.SumMany(ctx, []storage.Query{q("revenue", "co", true, "2026-01-01", "2027-01-01")})
		require.NoError(t, err)
	}},
}

// requireShortInvalid checks that err matches ErrInvalid (and not
// ErrConflict) with a message of reasonable length.
func requireShortInvalid(t *testing.T, err error, msg string) {
	t.Helper()
	require.ErrorIs(t, err, storage.ErrInvalid, msg)
	require.Less(t, len(err.Error()), 1000, msg)
	require.False(t, errors.Is(err, storage.ErrConflict), msg)
}

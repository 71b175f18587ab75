package funnel

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// MaxPaymentLagMonths is the longest order-to-payment lag, in months, that
// MeasurePaymentLag accepts; a longer one is almost surely a date typo.
const MaxPaymentLagMonths = 120

// OrderPayment is one order and the day its payment (回款) was collected.
type OrderPayment struct {
	Ordered date.Date
	Paid    date.Date
}

// PaymentLag is the order-to-payment lag measured from history, in calendar
// months: Orders[k] is how many orders were paid k months after the month
// they were ordered in (0: the same month). It is a plain value.
type PaymentLag struct {
	Orders []int64
}

// Share returns the fraction of orders paid k months after their order
// month, rounded to 6 places; 0 outside the measured range.
func (l PaymentLag) Share(k int) decimal.Decimal {
	var total int64
	for _, n := range l.Orders {
		total += n
	}
	if k < 0 || k >= len(l.Orders) || total == 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(l.Orders[k]).DivRound(decimal.NewFromInt(total), 6)
}

// MeasurePaymentLag counts, for pairs of order and payment dates, how many
// months after its order month each order was paid. A payment before its
// order, a lag beyond MaxPaymentLagMonths or no pairs at all is ErrInvalid,
// naming the pair.
func MeasurePaymentLag(pairs []OrderPayment) (PaymentLag, error) {
	if len(pairs) == 0 {
		return PaymentLag{}, invalid("payment history", "", "it has no orders; give the order and payment dates of paid orders")
	}
	var lag PaymentLag
	for i, p := range pairs {
		if p.Paid < p.Ordered {
			return PaymentLag{}, invalid("payment", fmt.Sprintf("#%d", i), "it was paid on %s, before its order on %s; pair each payment with its own order", p.Paid, p.Ordered)
		}
		k := monthIndex(p.Paid) - monthIndex(p.Ordered)
		if k > MaxPaymentLagMonths {
			return PaymentLag{}, invalid("payment", fmt.Sprintf("#%d", i), "it was paid %d months after its order on %s, more than %d; check the dates", k, p.Ordered, MaxPaymentLagMonths)
		}
		for len(lag.Orders) <= k {
			lag.Orders = append(lag.Orders, 0)
		}
		lag.Orders[k]++
	}
	return lag, nil
}

// PaymentPlan is the cash a revenue plan implies: Plan has one goal of the
// payment metric for every goal of the revenue plan (same unit and period,
// IDs by goal.GoalID), and Beyond is the revenue's cash that falls after the
// revenue plan's period, so the root's target plus Beyond equals the
// revenue plan's root target exactly.
type PaymentPlan struct {
	Plan   *goal.Plan
	Beyond decimal.Decimal
}

// PlanPayments derives payment (回款) targets from a revenue plan by the
// measured lag: each leaf revenue target (a month, or a day) is spread from
// its month over the following months in proportion to lag.Orders with
// goal.Allocate (exact in the payment metric's minor units, largest
// remainder), and every goal's payment target is the cash its unit's part of
// the plan brings in during its period (a month counts in the goal holding
// its first day). Children sum exactly to their parents wherever the revenue
// plan's children cover their parent's period (as goal.Decompose makes
// them), and the plan is an ordinary goal.Plan the host saves, tracks and
// paces like any other. Cash from orders before the plan's period
// (receivables) is not included; a host adds it to the early months itself.
//
// The revenue plan's leaves must each lie within one month (months, or days
// of a plan decomposed to days; a leaf's cash is spread from its month),
// payments must be an amount metric in the revenue metric's currency, and
// lag must count at least one order; otherwise the error matches ErrInvalid
// (or goal.ErrInvalid from goal.Allocate and goal.NewPlan).
func PlanPayments(id string, revenue *goal.Plan, payments goal.Metric, lag PaymentLag) (PaymentPlan, error) {
	if revenue == nil || len(revenue.Goals) == 0 {
		return PaymentPlan{}, invalid("revenue plan", "", "it is missing or has no goals")
	}
	if err := payments.Validate(); err != nil {
		return PaymentPlan{}, err
	}
	if payments.Kind != goal.Amount || payments.Currency != revenue.Metric.Currency {
		return PaymentPlan{}, invalid("payment metric", payments.Key, "it must be an amount metric in %s, the currency of revenue metric %q", revenue.Metric.Currency, revenue.Metric.Key)
	}
	shares, err := lagShares(lag)
	if err != nil {
		return PaymentPlan{}, err
	}
	// parentUnit maps a unit to the unit of the goal it was decomposed from.
	parentUnit := map[string]string{}
	for _, g := range revenue.Goals {
		if g.Parent == "" {
			continue
		}
		if p, err := revenue.Goal(g.Parent); err == nil && p.Unit != g.Unit {
			parentUnit[g.Unit] = p.Unit
		}
	}
	root := revenue.Root()
	cash := map[string]map[int]decimal.Decimal{} // unit → month index → cash of its part
	beyond := decimal.Zero
	for i, g := range revenue.Goals {
		if len(revenue.ChildIndexes(i)) > 0 {
			continue
		}
		if monthIndex(g.Period.Start) != monthIndex(g.Period.End-1) {
			return PaymentPlan{}, invalid("revenue goal", g.ID, "it is a leaf spanning several months (%s); decompose the revenue plan to months (or days) first", g.Period)
		}
		parts, err := goal.Allocate(goal.Allocation{Total: g.Target, Places: payments.Places, Shares: shares})
		if err != nil {
			return PaymentPlan{}, fmt.Errorf("funnel: spread revenue goal %q over its payment months: %w", g.ID, err)
		}
		start := monthIndex(g.Period.Start)
		for k, part := range parts {
			m := start + k
			if monthStart(m) >= root.Period.End {
				beyond = beyond.Add(part)
			}
			for u, depth := g.Unit, 0; depth <= len(revenue.Goals); depth++ {
				if cash[u] == nil {
					cash[u] = map[int]decimal.Decimal{}
				}
				cash[u][m] = cash[u][m].Add(part)
				next, ok := parentUnit[u]
				if !ok {
					break
				}
				u = next
			}
		}
	}
	goals := make([]goal.Goal, len(revenue.Goals))
	ids := make(map[string]string, len(revenue.Goals))
	for i, g := range revenue.Goals {
		target := decimal.Zero
		for m, v := range cash[g.Unit] {
			if s := monthStart(m); s >= g.Period.Start && s < g.Period.End {
				target = target.Add(v)
			}
		}
		ids[g.ID] = goal.GoalID(payments.Key, g.Unit, g.Period)
		goals[i] = goal.Goal{ID: ids[g.ID], Parent: ids[g.Parent], Metric: payments.Key, Unit: g.Unit, Period: g.Period, Target: target.Round(payments.Places)}
	}
	p, err := goal.NewPlan(id, payments, goals)
	if err != nil {
		return PaymentPlan{}, fmt.Errorf("funnel: payment plan %q: %w", id, err)
	}
	return PaymentPlan{Plan: p, Beyond: beyond.Round(payments.Places)}, nil
}

// lagShares turns a lag's counts into allocation weights.
func lagShares(lag PaymentLag) ([]goal.Share, error) {
	shares := make([]goal.Share, len(lag.Orders))
	var total int64
	for k, n := range lag.Orders {
		if n < 0 {
			return nil, invalid("payment lag", fmt.Sprintf("month %d", k), "it counts %d orders; counts cannot be negative", n)
		}
		total += n
		shares[k].Weight = decimal.NewFromInt(n)
	}
	if total == 0 {
		return nil, invalid("payment lag", "", "it counts no orders; measure it with MeasurePaymentLag")
	}
	return shares, nil
}

// monthIndex numbers months from year 0: 12 × year + month − 1.
func monthIndex(d date.Date) int {
	y, m, _ := d.Date()
	return y*12 + int(m) - 1
}

// monthStart is the first day of the month monthIndex numbers m.
func monthStart(m int) date.Date { return date.New(m/12, time.Month(m%12+1), 1) }

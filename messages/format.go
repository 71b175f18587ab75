package messages

import (
	"strings"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

// Facts are the figures a message speaks of, unformatted. The engine fills
// them from the goal's status; a host rendering its own notifications fills
// them from alert.Notification (Value is Actual, Threshold is Expected, or
// the target for an ended goal).
type Facts struct {
	// Unit, Metric (the metric's display name), Period (its label) and
	// Rule name what the message is about; Metric and Period may be empty.
	Unit, Metric, Period, Rule string
	// Currency is the ISO 4217 code of an amount ("CNY"), empty for counts
	// and quantities; Places the metric's decimal places.
	Currency string
	Places   int32
	// Direction says whether more is better (the default) or less.
	Direction goal.Direction
	// Actual is the figure so far, Expected what the plan expects by now,
	// Target the goal's target.
	Actual, Expected, Target decimal.Decimal
	// PerDay is what each working day left must bring to reach the target,
	// invalid when no day is left or the target is reached.
	PerDay decimal.NullDecimal
	// Details is the rule's own sentence with its statistics.
	Details string
	// CoveredBy is the unit whose firing alert covers this one (KeyCovered).
	CoveredBy string
	// Fired, Cleared (back on track), MetGoals and MissedGoals (periods
	// that ended), Firing and Covered count the alerts of a digest
	// (KeyDigest); Unit is then its recipient and Period the day.
	Fired, Cleared, MetGoals, MissedGoals, Firing, Covered int
	// Due is the last day to answer a review round, as ISO text; empty
	// when there is none.
	Due string
}

// Data is what a template sees: the facts formatted for one language.
// Every figure is a string, empty when it does not apply.
type Data struct {
	// Subject is Unit, Metric and Period, the empty ones left out.
	Subject                    string
	Unit, Metric, Period, Rule string
	// Actual, Expected and Target formatted as money or numbers.
	Actual, Expected, Target string
	// Behind is how far the actual is behind what the plan expects by now
	// (above it, for a lower-is-better metric); empty when not behind.
	Behind string
	// Short is how far the actual is short of the target (over the ceiling
	// for a lower-is-better metric); empty when the target is met.
	Short string
	// PerDay is what each working day left must bring, rounded up to the
	// metric's places (down, for a ceiling's allowance); empty when none.
	PerDay string
	// Attainment is Actual ÷ Target as a percentage ("25.0%"); empty for a
	// zero target.
	Attainment string
	// Details is the rule's sentence with its statistics, for a second line.
	Details string
	// CoveredBy is the unit whose firing alert covers this one.
	CoveredBy string
	// Fired, Cleared, MetGoals, MissedGoals, Firing and Covered count a
	// digest's alerts.
	Fired, Cleared, MetGoals, MissedGoals, Firing, Covered int
	// Due is the last day to answer a review round; empty when none.
	Due string
}

// Met reports whether f's actual meets its target (at most the target for a
// lower-is-better metric).
func (f Facts) Met() bool {
	return !f.toward(f.Target).IsPositive()
}

// Behind is how far f's actual is behind what the plan expects by now
// (above it, for a lower-is-better metric); zero or negative when it is not
// behind.
func (f Facts) Behind() decimal.Decimal { return f.toward(f.Expected) }

// toward is how far the actual has still to go to reach x, in the metric's
// good direction.
func (f Facts) toward(x decimal.Decimal) decimal.Decimal {
	if f.Direction == goal.LowerIsBetter {
		return f.Actual.Sub(x)
	}
	return x.Sub(f.Actual)
}

// perDay is PerDay at the metric's places, rounded so that doing it every
// day is enough: up for a target, down for a ceiling's allowance.
func (f Facts) perDay() decimal.Decimal {
	if f.Direction == goal.LowerIsBetter {
		return f.PerDay.Decimal.RoundFloor(f.Places)
	}
	return f.PerDay.Decimal.RoundCeil(f.Places)
}

// Format formats f for a reader of lang: money with the currency's symbol
// as lang writes it (¥ in Chinese, CN¥ in English) and digits grouped as
// lang groups them.
func Format(lang language.Tag, f Facts) Data { return format(NewLocale(lang), f) }

func format(l *Locale, f Facts) Data {
	money := func(x decimal.Decimal) string { return l.Money(x, f.Currency, f.Places) }
	d := Data{
		Unit: f.Unit, Metric: f.Metric, Period: f.Period, Rule: f.Rule, Details: f.Details, CoveredBy: f.CoveredBy, Due: f.Due,
		Fired: f.Fired, Cleared: f.Cleared, MetGoals: f.MetGoals, MissedGoals: f.MissedGoals, Firing: f.Firing, Covered: f.Covered,
		Actual: money(f.Actual), Expected: money(f.Expected), Target: money(f.Target),
	}
	d.Subject = strings.Join(nonEmpty(f.Unit, f.Metric, f.Period), " ")
	if behind := f.Behind(); behind.IsPositive() {
		d.Behind = money(behind)
	}
	if short := f.toward(f.Target); short.IsPositive() {
		d.Short = money(short)
	}
	if f.PerDay.Valid && f.PerDay.Decimal.IsPositive() {
		d.PerDay = money(f.perDay())
	}
	if !f.Target.IsZero() {
		d.Attainment = l.Percent(f.Actual.Div(f.Target))
	}
	return d
}

func nonEmpty(s ...string) []string {
	out := s[:0:0]
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

package funnel

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// MaxCount is the largest count the reverse funnel produces for one target
// and stage: a trillion. A target that needs more is rejected as invalid
// rather than overflowing.
const MaxCount = 1_000_000_000_000

// Target is revenue to win in a period by a unit: a leaf goal of a revenue
// plan, or any host figure. Revenue is assumed to be won evenly over the
// period's days; give finer periods (months, weeks) to shape it.
type Target struct {
	Unit    string
	Period  goal.Period
	Revenue decimal.Decimal
	// Currency of Revenue; empty means the model's currency. A different
	// currency fails with ErrCurrencyMismatch.
	Currency string
}

// Activity states how many activities (calls, visits, meetings) a deal needs
// while it is in a stage, e.g. 3 visits per qualified lead.
type Activity struct {
	Metric  string          // count metric of the activity, e.g. "visits"
	Stage   string          // key of the open stage whose deals need it
	PerDeal decimal.Decimal // activities per deal entering the stage; not negative
}

// ReverseOptions configure Reverse. A nil *ReverseOptions means the
// defaults.
type ReverseOptions struct {
	// Calendar maps days to periods; nil means goal.NewCalendar(nil)
	// (calendar years, ISO weeks).
	Calendar *goal.Calendar
	// Grain is the grain of the output periods: goal.Day to goal.Year; the
	// zero value (goal.Range) means goal.Month. Use goal.Week for weekly
	// activity targets.
	Grain goal.Grain
	// FromStage is the first stage to plan, e.g. the stage whose entries the
	// host can count; earlier stages get no targets. Empty means the first
	// stage.
	FromStage string
	// Activities to derive from the stage counts; each Stage must be
	// FromStage or later.
	Activities []Activity
}

// StageNeed is how many deals must enter one stage for one target, and how
// many days before they win they enter it.
type StageNeed struct {
	Stage  string
	Metric string
	Count  int64
	// Lead is the typical number of days from entering this stage to
	// winning: the sum of the model's Days from this stage to the last.
	Lead int
}

// Need is the reverse funnel of one target before it is spread over
// periods: the deals to win, the entries every planned stage needs, and the
// activities. Counts are whole numbers rounded up at every step, so that
// Count·Advance of a stage is never less than the next stage's Count (or
// Won, after the last stage), exactly, with the model's decimal rates.
type Need struct {
	Target     Target
	Won        int64       // smallest whole number of deals with Won·AvgWonValue ≥ Revenue
	Stages     []StageNeed // from FromStage to the last stage, in funnel order
	Activities []int64     // per ReverseOptions.Activities: ceil(PerDeal · Count of its stage)
}

// ProcessTarget is a whole-number target for one count metric, unit and
// period: deals to enter a stage, deals to win, or activities to do. The KPI
// package tracks it like any other goal; see ProcessPlan.Goals and Plan.
type ProcessTarget struct {
	Metric string
	Stage  string // the stage counted, the won outcome, or the stage an activity serves
	Unit   string
	Period goal.Period
	Count  int64
}

// ProcessPlan is the result of Reverse: the need of every target and the
// process targets per metric, unit and period. It is a plain value.
type ProcessPlan struct {
	Model Model
	Needs []Need // one per input target, in input order
	// Targets are the Needs spread over periods and summed per metric, unit
	// and period; ordered by metric (stages in funnel order, then won, then
	// activities in option order), unit (first appearance in the targets),
	// and period start. The targets of one metric and unit sum exactly to
	// the sum of that unit's needs.
	Targets []ProcessTarget
}

// Reverse runs the reverse funnel: from revenue targets to the number of
// deals each stage must take in, in which period, and the activities that
// needs.
//
// For each target, Won = ceil(Revenue ÷ AvgWonValue) deals must be won in
// the target's period. Working backwards from the last stage, a stage needs
// ceil(next ÷ Advance) entries, where next is the following stage's entries
// (Won, after the last stage). Deals that win in [Start, End) entered stage
// s Lead(s) days earlier, with Lead(s) the sum of the typical durations from
// s on; so a stage's count is spread over the shifted range [Start − Lead,
// End − Lead) and cut into periods of opts.Grain with goal.Calendar.PeriodOf,
// each period getting a share proportional to its days in the range,
// allocated exactly by largest remainder. A stage whose StageModel.Lags
// gives the distribution of the days from entering it to winning is spread
// by the whole distribution instead: each lag shifts the range by its days
// with its weight, so the deals that take long to win are asked for earlier. Won deals are spread over the
// target's own period. An activity of stage s is spread over the days its
// deals spend in s, [Start − Lead(s), End − Lead(s+1)).
//
// More revenue never needs fewer deals at any stage of a target, nor fewer
// in total per unit and metric. A single period's share can, rarely, drop by
// one when the total grows (the Alabama paradox of largest remainder); the
// totals are what the guarantee covers.
//
// Errors: an invalid model, target or option gives a *ValidationError
// (ErrInvalid); an unknown stage ErrNotFound; a currency other than the
// model's ErrCurrencyMismatch; and a positive target behind a zero average
// won value or a zero conversion rate ErrInfeasible, naming the stage.
func Reverse(m Model, targets []Target, opts *ReverseOptions) (*ProcessPlan, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	o, from, err := reverseOptions(m, opts)
	if err != nil {
		return nil, err
	}
	actStage := make([]int, len(o.Activities))
	for i, a := range o.Activities {
		s, ok := m.Funnel.StageIndex(a.Stage)
		switch {
		case a.Metric == "":
			return nil, invalid("activity", fmt.Sprintf("#%d", i), "the metric is empty; name the activity's count metric, e.g. \"visits\"")
		case !ok:
			return nil, fmt.Errorf("funnel: activity %q: stage %q is not an open stage of funnel %q: %w", a.Metric, a.Stage, m.Funnel.Key, ErrNotFound)
		case s < from:
			return nil, invalid("activity", a.Metric, "its stage %q comes before FromStage %q, which has no counts; plan from an earlier stage", a.Stage, o.FromStage)
		case a.PerDeal.Sign() < 0:
			return nil, invalid("activity", a.Metric, "%s activities per deal is negative", a.PerDeal)
		case m.Funnel.isCountMetric(a.Metric):
			return nil, invalid("activity", a.Metric, "the metric is also a stage or won metric of funnel %q; give activities their own metric", m.Funnel.Key)
		}
		actStage[i] = s
	}

	p := &ProcessPlan{Model: m, Needs: make([]Need, 0, len(targets))}
	sp := newSpreader(o.Calendar, o.Grain)
	for ti, t := range targets {
		if err := checkTarget(m, ti, t); err != nil {
			return nil, err
		}
		need, err := needOf(m, t, from)
		if err != nil {
			return nil, err
		}
		need.Activities = make([]int64, len(o.Activities))
		for i, a := range o.Activities {
			c := a.PerDeal.Mul(decimal.NewFromInt(need.Stages[actStage[i]-from].Count)).Ceil()
			if c.Cmp(decimal.NewFromInt(MaxCount)) > 0 {
				return nil, tooMany(t, a.Metric, c)
			}
			need.Activities[i] = c.IntPart()
		}
		p.Needs = append(p.Needs, need)

		// Spread over periods.
		for i, sn := range need.Stages {
			var err error
			if lags := m.Stages[from+i].Lags; len(lags) > 0 {
				err = sp.addLagged(sn.Metric, sn.Stage, t.Unit, t.Period.Start, t.Period.End, lags, sn.Count)
			} else {
				err = sp.add(sn.Metric, sn.Stage, t.Unit, t.Period.Start-date.Date(sn.Lead), t.Period.End-date.Date(sn.Lead), sn.Count)
			}
			if err != nil {
				return nil, err
			}
		}
		if err := sp.add(m.Funnel.WonMetric(), m.Funnel.Won, t.Unit, t.Period.Start, t.Period.End, need.Won); err != nil {
			return nil, err
		}
		for i, a := range o.Activities {
			s := actStage[i]
			if err := sp.add(a.Metric, a.Stage, t.Unit, t.Period.Start-date.Date(m.lagFrom(s)), t.Period.End-date.Date(m.lagFrom(s+1)), need.Activities[i]); err != nil {
				return nil, err
			}
		}
	}
	p.Targets = sp.targets()
	return p, nil
}

// reverseOptions fills in defaults and returns the index of FromStage.
func reverseOptions(m Model, opts *ReverseOptions) (ReverseOptions, int, error) {
	var o ReverseOptions
	if opts != nil {
		o = *opts
	}
	if o.Calendar == nil {
		cal, err := goal.NewCalendar(nil)
		if err != nil {
			return o, 0, fmt.Errorf("funnel: default calendar: %w", err)
		}
		o.Calendar = cal
	}
	if o.Grain == goal.Range {
		o.Grain = goal.Month
	}
	if o.Grain < goal.Day || o.Grain > goal.Year {
		return o, 0, invalid("grain", o.Grain.String(), "use one of goal.Day, Week, Month, Quarter, Half or Year")
	}
	from := 0
	if o.FromStage != "" {
		s, ok := m.Funnel.StageIndex(o.FromStage)
		if !ok {
			return o, 0, fmt.Errorf("funnel: FromStage %q is not an open stage of funnel %q: %w", o.FromStage, m.Funnel.Key, ErrNotFound)
		}
		from = s
	}
	return o, from, nil
}

func checkTarget(m Model, i int, t Target) error {
	switch {
	case t.Unit == "":
		return invalid("target", fmt.Sprintf("#%d", i), "the unit is empty; say whose target it is")
	case t.Period.End <= t.Period.Start:
		return invalid("target", fmt.Sprintf("%s %s", t.Unit, t.Period.Label), "the period is empty; build it with a goal.Calendar or goal.NewRange")
	case t.Revenue.Sign() < 0:
		return invalid("target", fmt.Sprintf("%s %s", t.Unit, t.Period.Label), "revenue %s is negative", t.Revenue)
	case t.Currency != "" && t.Currency != m.Currency:
		return fmt.Errorf("funnel: target of %s for %s is in %q but the model is in %q; convert in the host first: %w",
			t.Unit, t.Period.Label, t.Currency, m.Currency, ErrCurrencyMismatch)
	}
	return nil
}

// needOf computes the whole-number chain for one target.
func needOf(m Model, t Target, from int) (Need, error) {
	n := len(m.Funnel.Stages)
	need := Need{Target: t, Stages: make([]StageNeed, n-from)}
	won, err := ceilDiv(t.Revenue, m.AvgWonValue)
	if err != nil {
		return Need{}, fmt.Errorf("funnel: target of %s for %s: %s won deals of average value %s: %w",
			t.Unit, t.Period.Label, t.Revenue, m.AvgWonValue, err)
	}
	need.Won = won
	next := won
	for s := n - 1; s >= from; s-- {
		c, err := ceilDiv(decimal.NewFromInt(next), m.Stages[s].Advance)
		if err != nil {
			return Need{}, fmt.Errorf("funnel: target of %s for %s: stage %q must feed %d deals to the next with conversion %s: %w",
				t.Unit, t.Period.Label, m.Funnel.Stages[s].Key, next, m.Stages[s].Advance, err)
		}
		need.Stages[s-from] = StageNeed{Stage: m.Funnel.Stages[s].Key, Metric: m.Funnel.StageMetric(s), Count: c, Lead: m.lagFrom(s)}
		next = c
	}
	return need, nil
}

// ceilDiv returns the smallest whole c ≥ 0 with c·b ≥ a, for a ≥ 0, b ≥ 0,
// exactly. It fails with ErrInfeasible when a > 0 and b = 0, and with
// ErrInvalid when c would pass MaxCount.
func ceilDiv(a, b decimal.Decimal) (int64, error) {
	if a.Sign() <= 0 {
		return 0, nil
	}
	if b.Sign() <= 0 {
		return 0, fmt.Errorf("a divisor of zero needs infinitely many: %w", ErrInfeasible)
	}
	limit := decimal.NewFromInt(MaxCount)
	if a.Cmp(b.Mul(limit)) > 0 {
		return 0, invalid("count", "", "more than %d would be needed; check the units of the target and rates", int64(MaxCount))
	}
	c := a.DivRound(b, 12).Ceil()
	// DivRound may have rounded across a whole number; fix up exactly.
	for c.Mul(b).Cmp(a) < 0 {
		c = c.Add(decimal.NewFromInt(1))
	}
	for c.Sign() > 0 && c.Sub(decimal.NewFromInt(1)).Mul(b).Cmp(a) >= 0 {
		c = c.Sub(decimal.NewFromInt(1))
	}
	return c.IntPart(), nil
}

func tooMany(t Target, metric string, c decimal.Decimal) error {
	return invalid("count", c.String(), "target of %s for %s needs more than %d %s; check the units of the target and rates", t.Unit, t.Period.Label, int64(MaxCount), metric)
}

// spreader cuts counts over date ranges into periods and sums them per
// metric, unit and period, remembering first-appearance order.
type spreader struct {
	cal      *goal.Calendar
	grain    goal.Grain
	metricID map[string]int // metric -> order of first appearance
	metrics  []string
	stages   []string       // stage of each metric
	unitID   map[string]int // unit -> order of first appearance
	units    []string
	sums     map[spreadKey]int64
	periodAt map[date.Date]goal.Period // PeriodOf(grain, day), cached
}

type spreadKey struct {
	metric, unit int
	start        date.Date
}

func newSpreader(cal *goal.Calendar, g goal.Grain) *spreader {
	return &spreader{cal: cal, grain: g, metricID: map[string]int{}, unitID: map[string]int{},
		sums: map[spreadKey]int64{}, periodAt: map[date.Date]goal.Period{}}
}

// add spreads count over [start, end) in proportion to days per period.
func (sp *spreader) add(metric, stage, unit string, start, end date.Date, count int64) error {
	w := map[date.Date]int64{}
	if err := sp.weigh(w, start, end, 1); err != nil {
		return err
	}
	return sp.put(metric, stage, unit, w, count)
}

// addLagged spreads count over the days deals enter a stage when they must
// win in [start, end), evenly over those days, and lags holds the
// distribution of the days from entering to winning: each lag's weight
// shifts the range by its days.
func (sp *spreader) addLagged(metric, stage, unit string, start, end date.Date, lags []Lag, count int64) error {
	w := map[date.Date]int64{}
	for _, l := range lags {
		if err := sp.weigh(w, start-date.Date(l.Days), end-date.Date(l.Days), l.Weight); err != nil {
			return err
		}
	}
	return sp.put(metric, stage, unit, w, count)
}

// weigh adds weight × days of [start, end) in each period to w, by period
// start.
func (sp *spreader) weigh(w map[date.Date]int64, start, end date.Date, weight int64) error {
	for d := start; d < end; {
		q, ok := sp.periodAt[d]
		if !ok {
			var err error
			if q, err = sp.cal.PeriodOf(sp.grain, d); err != nil {
				return fmt.Errorf("funnel: period of %s: %w", d, err)
			}
			sp.periodAt[d] = q
			sp.periodAt[q.Start] = q
		}
		w[q.Start] += weight * int64(min(q.End, end)-d)
		d = q.End
	}
	return nil
}

// put allocates count over the weighted periods and adds the parts.
func (sp *spreader) put(metric, stage, unit string, w map[date.Date]int64, count int64) error {
	mi, ok := sp.metricID[metric]
	if !ok {
		mi = len(sp.metrics)
		sp.metricID[metric] = mi
		sp.metrics = append(sp.metrics, metric)
		sp.stages = append(sp.stages, stage)
	}
	ui, ok := sp.unitID[unit]
	if !ok {
		ui = len(sp.units)
		sp.unitID[unit] = ui
		sp.units = append(sp.units, unit)
	}
	starts := make([]date.Date, 0, len(w))
	for d := range w {
		starts = append(starts, d)
	}
	slices.Sort(starts)
	weights := make([]int64, len(starts))
	for i, d := range starts {
		weights[i] = w[d]
	}
	parts, err := allocateCounts(count, weights)
	if err != nil {
		return err
	}
	for i, c := range parts {
		sp.sums[spreadKey{mi, ui, starts[i]}] += c
	}
	return nil
}

func (sp *spreader) targets() []ProcessTarget {
	keys := make([]spreadKey, 0, len(sp.sums))
	for k := range sp.sums {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b spreadKey) int {
		return cmp.Or(cmp.Compare(a.metric, b.metric), cmp.Compare(a.unit, b.unit), cmp.Compare(a.start, b.start))
	})
	out := make([]ProcessTarget, len(keys))
	for i, k := range keys {
		out[i] = ProcessTarget{Metric: sp.metrics[k.metric], Stage: sp.stages[k.metric], Unit: sp.units[k.unit], Period: sp.periodAt[k.start], Count: sp.sums[k]}
	}
	return out
}

package goalkit

import (
	"context"
	"fmt"
	"maps"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/messages"
	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
)

// Messages says in which language each recipient reads its notifications
// and how they are worded. Deliver words every notification for its
// recipient before it calls the Notifier: alert.Notification.Summary says
// what happened in plain words and money of the recipient's language
// ("wang revenue 2026-Q3: behind plan by CN¥12,300.00; needs CN¥4,100.00 a
// working day to catch up", or "wang revenue 2026-Q3：落后计划 ¥12,300.00；…"),
// and Message keeps the rule's statistics as its details. When a goal's
// period has ended, its alert's last notification says the outcome: met, or
// missed by how much.
type Messages struct {
	// Language is the language of recipients Languages does not name; the
	// zero Tag means English.
	Language language.Tag
	// Languages maps a recipient (an org unit ID) to its language, such as
	// language.MustParse("zh-CN").
	Languages map[string]language.Tag
	// Templates reword any message in any language, over the built-in
	// English and Chinese catalogue (messages.NewCatalog); a language they
	// add serves the recipients who read it. A template that does not
	// parse is ErrInvalid (and messages.ErrInvalid) from New.
	Templates []messages.Template
}

// wording is an engine's Messages, resolved.
type wording struct {
	cat   *messages.Catalog
	lang  language.Tag
	langs map[string]language.Tag
}

func newWording(m *Messages) (wording, error) {
	if m == nil {
		m = &Messages{}
	}
	cat, err := messages.NewCatalog(m.Templates...)
	if err != nil {
		return wording{}, configError{err}
	}
	w := wording{cat: cat, lang: m.Language, langs: maps.Clone(m.Languages)}
	if w.lang == language.Und {
		w.lang = language.English
	}
	return w, nil
}

// languageOf is the language recipient reads.
func (w wording) languageOf(recipient string) language.Tag {
	if l, ok := w.langs[recipient]; ok {
		return l
	}
	return w.lang
}

// wordedPlan is a plan read to word notifications, with its goals indexed
// by (unit, period label) as alerts name them; p is nil for a plan that
// could not be read.
type wordedPlan struct {
	p     *goal.Plan
	goals map[[2]string]int
}

// wordedPlans caches the plans read during one Deliver, by ID.
type wordedPlans map[string]wordedPlan

// get returns the plan id, read and indexed on first use.
func (ws wordedPlans) get(ctx context.Context, e *Engine, id string) wordedPlan {
	if w, seen := ws[id]; seen {
		return w
	}
	var w wordedPlan
	p, err := e.readPlan(ctx, id)
	if err != nil {
		e.log.Debug("goalkit: word notification: plan not read", "plan", id, "err", err)
	} else {
		w = wordedPlan{p: p, goals: make(map[[2]string]int, len(p.Goals))}
		for i, g := range p.Goals {
			k := [2]string{g.Unit, alert.PeriodLabel(g.Period)}
			if _, dup := w.goals[k]; !dup { // the first goal of a cell, as a scan would find
				w.goals[k] = i
			}
		}
	}
	ws[id] = w
	return w
}

// word sets n's Summary and Language for its recipient and returns the
// message it chose. It never fails: a notification whose goal can no longer
// be read is worded from its own figures, and one that cannot be worded is
// sent as it is, with a warning.
func (e *Engine) word(ctx context.Context, n alert.Notification, plans wordedPlans) (alert.Notification, messages.Key) {
	f, ended := e.facts(ctx, n, plans)
	key := messages.KeyOf(n, ended, f)
	text, lang, err := e.words.cat.Render(e.words.languageOf(n.Recipient), key, f)
	if err != nil {
		e.log.Warn("goalkit: word notification", "key", n.Key, "err", err)
		return n, key
	}
	n.Summary, n.Language = text, lang.String()
	return n, key
}

// facts are the figures n speaks of: those of its goal's status on the day
// of n's evaluation (the plan's own expectation, whatever the rule compared
// with, and what each working day left must bring), or, for an alert that
// is not about a stored goal, n's own (Value as the actual, Threshold as
// what was expected). ended reports whether the goal's period had ended by
// that day.
func (e *Engine) facts(ctx context.Context, n alert.Notification, plans wordedPlans) (f messages.Facts, ended bool) {
	key, label := n.Labels[alert.LabelMetric], n.Labels[alert.LabelPeriod]
	m := e.metrics[key]
	f = messages.Facts{
		Unit: n.Unit, Metric: m.Name, Period: label, Rule: n.Rule, Details: n.Message,
		Currency: m.Currency, Places: m.Places, Direction: m.Direction,
		Actual: n.Value, Expected: n.Threshold, Target: n.Threshold,
	}
	if f.Metric == "" {
		f.Metric = key
	}
	if isReview(n.Kind) { // a negotiation's figures are its own: target and commitment
		f.Due = n.Labels[LabelDue]
		return f, false
	}
	asOf := date.NewAt(n.At.In(e.loc))
	if p, ok := e.calendarPeriod(label); ok {
		f.Period, ended = p.Label, p.End <= asOf
	}
	if s, ok := e.goalStatus(ctx, n, plans, asOf); ok {
		f.Actual, f.Expected, f.Target, f.PerDay = s.Actual, s.Expected, s.Target, s.RequiredRunRate
	}
	return f, ended
}

// calendarPeriod is the period of an alert's period label
// ("[2026-07-13,2026-07-20)"), named as the calendar names it ("2026-W29")
// when it is one of the calendar's periods.
func (e *Engine) calendarPeriod(label string) (goal.Period, bool) {
	p, err := e.cal.Parse(label)
	if err != nil {
		return goal.Period{}, false
	}
	for g := goal.Day; g <= goal.Year; g++ {
		if named, err := e.cal.PeriodOf(g, p.Start); err == nil && named.End == p.End {
			return named, true
		}
	}
	return p, true
}

// goalStatus is the status as of asOf of the goal n is about, if n names a
// stored plan that still holds it.
func (e *Engine) goalStatus(ctx context.Context, n alert.Notification, plans wordedPlans, asOf date.Date) (kpi.Status, bool) {
	id := n.Labels[LabelPlan]
	if id == "" {
		return kpi.Status{}, false
	}
	w := plans.get(ctx, e, id)
	if w.p == nil || w.p.Metric.Key != n.Labels[alert.LabelMetric] {
		return kpi.Status{}, false
	}
	i, ok := w.goals[[2]string{n.Unit, n.Labels[alert.LabelPeriod]}]
	if !ok {
		return kpi.Status{}, false
	}
	g := w.p.Goals[i]
	s, err := e.statuses(ctx, e.store, w.p, []goal.Goal{g}, []int{i}, asOf)
	if err != nil || len(s) != 1 {
		e.log.Debug("goalkit: word notification: status not read", "goal", g.ID, "err", err)
		return kpi.Status{}, false
	}
	return s[0], true
}

// outcome says in English how the goal of final status s closed: "wang
// visits 2026-W29: missed by 15, 5 of 20 (25.0%)", or met. It is the
// message of the sample that resolves the goal's alerts once its period has
// ended; Deliver words the same outcome in the recipient's language.
func (e *Engine) outcome(s kpi.Status) string {
	m := e.metrics[s.Metric]
	f := messages.Facts{Unit: s.Unit, Metric: s.Metric, Period: s.Period.Label, Currency: m.Currency, Places: m.Places,
		Direction: s.Direction, Actual: s.Actual, Expected: s.Expected, Target: s.Target}
	key := messages.KeyMissed
	if f.Met() {
		key = messages.KeyMet
	}
	text, _, err := e.words.cat.Render(language.English, key, f)
	if err != nil { // a host's English template that fails on these figures
		return fmt.Sprintf("%s %s %s ended: %s of %s", s.Unit, s.Metric, s.Period.Label, s.Actual, s.Target)
	}
	return text
}

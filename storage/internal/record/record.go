// Package record holds the storage rules, copies and comparisons that every
// goalkit store shares, so the memory store and the SQL store agree on them
// exactly.
package record

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// MaxIntDigits bounds the integer digits of a stored value: |v| < 10^21.
// A 20-digit amount fits; the SQL store's exact integer sums rely on it.
const MaxIntDigits = 21

var limit = decimal.New(1, MaxIntDigits)

// Time normalises a time for storage: UTC, microsecond precision (what
// PostgreSQL keeps), the zero time unchanged.
func Time(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// CheckDate reports whether d can be stored (goal.FirstDate..goal.LastDate:
// years 0001..9999, so that ISO text sorts as dates do).
func CheckDate(field string, d date.Date) error {
	if !goal.InDateRange(d) {
		return storage.Invalid(field, d.String(), "the year is outside 0001..9999")
	}
	return nil
}

// CheckValue reports whether v can be stored exactly. It is fast for any
// decimal, however extreme its exponent.
func CheckValue(field string, v decimal.Decimal) error {
	if err := goal.CheckDecimal(field, v); err != nil {
		return fmt.Errorf("%w: %w", storage.ErrInvalid, err)
	}
	if !goal.FitsPlaces(v, storage.MaxPlaces) {
		return storage.Invalid(field, v.String(), fmt.Sprintf("more than %d decimal places", storage.MaxPlaces))
	}
	// |v| < 10^(digits + exponent): the fast check; the exact one otherwise.
	if int(v.NumDigits())+int(v.Exponent()) > MaxIntDigits && v.Abs().GreaterThanOrEqual(limit) {
		return storage.Invalid(field, v.String(), fmt.Sprintf("more than %d integer digits", MaxIntDigits))
	}
	return nil
}

// CheckID reports whether id is a usable identifier: not empty, and a
// reference (CheckRef).
func CheckID(field, id string) error {
	if id == "" {
		return storage.Invalid(field, id, "it is empty")
	}
	return CheckRef(field, id)
}

// CheckRef reports whether id, which may be empty, is usable where an
// identifier goes (a parent, a unit credited, a key to look up): at most
// goal.MaxIDLen bytes of UTF-8 without NUL bytes. This is the one text rule
// of every store; the engine and package kpi apply the same one
// (goal.TextProblem).
func CheckRef(field, id string) error { return checkText(field, id, goal.MaxIDLen) }

// CheckText reports whether s is usable as free text (a name, a reason, a
// label's value): at most goal.MaxTextLen bytes of UTF-8 without NUL bytes.
func CheckText(field, s string) error { return checkText(field, s, goal.MaxTextLen) }

func checkText(field, s string, max int) error {
	if p := goal.TextProblem(s, max); p != "" {
		return storage.Invalid(field, s, p)
	}
	return nil
}

// CheckLabels checks a map of labels or dimensions: non-empty identifiers
// as keys, free text as values.
func CheckLabels(field string, m map[string]string) error {
	for k, v := range m {
		if err := CheckID(field+" key", k); err != nil {
			return err
		}
		if err := CheckText(field+" "+goal.Excerpt(k), v); err != nil {
			return err
		}
	}
	return nil
}

// CheckUnits checks the storage rules of an org.
func CheckUnits(units []goal.Unit) error {
	seen := make(map[string]bool, len(units))
	for _, u := range units {
		if err := CheckID("unit", u.ID); err != nil {
			return err
		}
		if err := errors.Join(CheckRef("unit parent", u.Parent), CheckText("unit kind", u.Kind), CheckText("unit name", u.Name)); err != nil {
			return fmt.Errorf("unit %q: %w", goal.Excerpt(u.ID), err)
		}
		if seen[u.ID] {
			return storage.Invalid("unit", u.ID, "the ID appears twice")
		}
		seen[u.ID] = true
		if err := CheckDate("unit active from", u.ActiveFrom); err != nil {
			return err
		}
		if err := CheckDate("unit active until", u.ActiveUntil); err != nil {
			return err
		}
		for _, e := range u.Earlier {
			if err := CheckDate("unit earlier parent until", e.Until); err != nil {
				return fmt.Errorf("unit %q: %w", u.ID, err)
			}
		}
	}
	return nil
}

// CheckPlan checks the storage rules of a plan and its audit entries and
// returns the entries with Plan filled in and At normalised.
func CheckPlan(p *goal.Plan, audit []storage.AuditEntry) ([]storage.AuditEntry, error) {
	if p == nil {
		return nil, storage.Invalid("plan", "", "the plan is nil")
	}
	if err := CheckID("plan", p.ID); err != nil {
		return nil, err
	}
	if err := errors.Join(CheckRef("plan metric", p.Metric.Key), CheckText("plan metric name", p.Metric.Name), CheckRef("plan metric currency", p.Metric.Currency)); err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(p.Goals))
	for _, g := range p.Goals {
		if err := CheckID("goal", g.ID); err != nil {
			return nil, err
		}
		if err := errors.Join(CheckRef("goal parent", g.Parent), CheckRef("goal metric", g.Metric), CheckRef("goal unit", g.Unit), CheckText("goal period label", g.Period.Label)); err != nil {
			return nil, fmt.Errorf("goal %q: %w", goal.Excerpt(g.ID), err)
		}
		if seen[g.ID] {
			return nil, storage.Invalid("goal", g.ID, "the ID appears twice in the plan")
		}
		seen[g.ID] = true
		for _, v := range []decimal.NullDecimal{{Decimal: g.Target, Valid: true}, g.Stretch, g.Floor} {
			if v.Valid {
				if err := CheckValue("goal "+g.ID+" target", v.Decimal); err != nil {
					return nil, err
				}
			}
		}
		if err := CheckDate("goal period start", g.Period.Start); err != nil {
			return nil, err
		}
		if err := CheckDate("goal period end", g.Period.End); err != nil {
			return nil, err
		}
	}
	out := make([]storage.AuditEntry, len(audit))
	for i, a := range audit {
		if err := errors.Join(CheckRef("audit entry goal", a.Goal), CheckText("audit entry actor", a.Actor), CheckText("audit entry reason", a.Reason)); err != nil {
			return nil, err
		}
		if a.Plan != "" && a.Plan != p.ID {
			return nil, storage.Invalid("audit entry plan", a.Plan, fmt.Sprintf("it is written with plan %q", p.ID))
		}
		for _, v := range []decimal.NullDecimal{a.Old, a.New} {
			if v.Valid {
				if err := CheckValue("audit value", v.Decimal); err != nil {
					return nil, err
				}
			}
		}
		a.Plan, a.At, a.Seq = p.ID, Time(a.At), 0
		out[i] = a
	}
	return out, nil
}

// CheckFact checks the storage rules of a fact: those kpi.CheckFact checks
// among others, so a fact the engine accepted is never refused here.
func CheckFact(f kpi.Fact) error { return checkFact(f, true) }

// CheckFactNamed is CheckFact for a fact whose metric, unit and currency
// passed CheckFactName before: a store that interns names checks each once,
// when it first sees it, not once a fact.
func CheckFactNamed(f kpi.Fact) error { return checkFact(f, false) }

// CheckFactName checks name, f's metric, unit or currency (field "fact
// metric", "fact unit" or "fact currency"), as CheckFact does and with its
// error: a metric is required, a unit too unless f has credits.
func CheckFactName(f kpi.Fact, field, name string) error {
	check := CheckRef
	if field == "fact metric" || field == "fact unit" && len(f.Credits) == 0 {
		check = CheckID
	}
	if err := check(field, name); err != nil {
		return fmt.Errorf("fact %q: %w", goal.Excerpt(f.Key), err)
	}
	return nil
}

func checkFact(f kpi.Fact, names bool) error {
	if err := CheckID("fact key", f.Key); err != nil {
		return err
	}
	if names {
		for _, n := range [...]struct{ field, name string }{{"fact metric", f.Metric}, {"fact unit", f.Unit}, {"fact currency", f.Currency}} {
			if err := CheckFactName(f, n.field, n.name); err != nil {
				return err
			}
		}
	}
	if err := checkContent(f); err != nil {
		return fmt.Errorf("fact %q: %w", goal.Excerpt(f.Key), err)
	}
	return nil
}

func checkContent(f kpi.Fact) error {
	for _, c := range f.Credits {
		if err := CheckRef("fact credit unit", c.Unit); err != nil {
			return err
		}
		if err := goal.CheckDecimal("fact credit share", c.Share); err != nil {
			return fmt.Errorf("%w: %w", storage.ErrInvalid, err)
		}
	}
	if err := errors.Join(CheckLabels("fact dimension", f.Dims), CheckDate("fact date", f.Date)); err != nil {
		return err
	}
	if err := checkRange(f); err != nil {
		return err
	}
	if c := f.Converted; c != nil {
		if err := errors.Join(CheckRef("fact original currency", c.Currency), CheckValue("fact original amount", c.Amount), CheckValue("fact rate", c.Rate)); err != nil {
			return err
		}
	}
	return CheckValue("fact value", f.Value)
}

// checkRange checks a range fact's End (and WorkingDays, which needs one).
func checkRange(f kpi.Fact) error {
	switch {
	case f.End == 0 && f.WorkingDays:
		return storage.Invalid("fact range", "working days", "only a range fact (End set) is spread over working days")
	case f.End == 0:
		return nil
	case f.End <= f.Date || f.End-f.Date > kpi.MaxRangeDays:
		return storage.Invalid("fact range", f.End.String(), fmt.Sprintf("End must be after Date (%s) and at most %d days later", f.Date, kpi.MaxRangeDays))
	}
	return CheckDate("fact end", f.End-1)
}

// CheckQueries checks the queries' ranges and names. A name equal to the
// previous query's was checked with it: batches list many ranges of one
// unit and metric in a row.
func CheckQueries(qs []storage.Query) error {
	for i, q := range qs {
		if i == 0 || q.Metric != qs[i-1].Metric || q.Unit != qs[i-1].Unit {
			if err := errors.Join(CheckRef("query metric", q.Metric), CheckRef("query unit", q.Unit)); err != nil {
				return err
			}
		}
		if err := CheckQueryRange(q); err != nil {
			return err
		}
	}
	return nil
}

// CheckQueryRange is CheckQueries's rule on q's dates, for a store that
// checks a query's names otherwise (names it knows passed when it met them).
func CheckQueryRange(q storage.Query) error {
	if q.End < q.Start {
		return storage.Invalid("query range", fmt.Sprintf("[%s,%s)", q.Start, q.End), "the end is before the start")
	}
	return nil
}

// FactConflict is the error of a fact whose key is stored with other
// content, the same from every store. It names no method: hosts reach it
// through the Engine as well as through a Store.
func FactConflict(key string) error {
	return &storage.ConflictError{Kind: "fact", Key: key, Reason: "the key is stored with other content; a fact is corrected by replacing it, not by appending it again"}
}

// CloneFact returns a deep copy of f with empty slices and maps as nil.
func CloneFact(f kpi.Fact) kpi.Fact {
	f.Credits = CloneSlice(f.Credits)
	f.Dims = CloneMap(f.Dims)
	if f.Converted != nil {
		c := *f.Converted
		f.Converted = &c
	}
	return f
}

// CloneSlice copies s; an empty s gives nil.
func CloneSlice[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// CloneMap copies m; an empty m gives nil.
func CloneMap[K comparable, V any](m map[K]V) map[K]V {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}

// BuildPlan returns the plan a store keeps and returns for p: a copy with
// its own goals and the given version, indexed (see goal.Plan.Clone). A plan
// that goal.NewPlan rejects is ErrInvalid (and goal.ErrInvalid), so that
// every stored plan reads back as an indexed goal.Plan.
func BuildPlan(p *goal.Plan, version int64) (*goal.Plan, error) {
	q, err := p.Clone()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", storage.ErrInvalid, err)
	}
	q.Version = version
	return q, nil
}

// CloneDeal returns a deep copy of d.
func CloneDeal(d funnel.Deal) funnel.Deal {
	d.Transitions = CloneSlice(d.Transitions)
	return d
}

// CheckDeal checks the storage rules of a deal.
func CheckDeal(d funnel.Deal) error {
	if err := CheckID("deal", d.ID); err != nil {
		return err
	}
	err := errors.Join(CheckRef("deal funnel", d.Funnel), CheckRef("deal unit", d.Unit), CheckRef("deal currency", d.Currency),
		CheckValue("deal value", d.Value), CheckDate("deal expected close", d.ExpectedClose))
	for _, t := range d.Transitions {
		if err != nil {
			break
		}
		err = errors.Join(CheckRef("deal transition stage", t.Stage), CheckDate("deal transition date", t.Date))
	}
	if err != nil {
		return fmt.Errorf("deal %q: %w", goal.Excerpt(d.ID), err)
	}
	return nil
}

// CheckDealFilter checks the names a deal filter matches.
func CheckDealFilter(f storage.DealFilter) error {
	err := errors.Join(CheckRef("deal filter funnel", f.Funnel), CheckRef("deal filter unit", f.Unit))
	for _, s := range f.ExcludeStages {
		err = errors.Join(err, CheckRef("deal filter stage", s))
	}
	return err
}

// CheckAlert checks the storage rules of an alert state.
func CheckAlert(s storage.AlertState) error {
	if err := CheckID("alert fingerprint", s.Fingerprint); err != nil {
		return err
	}
	if s.Kind > storage.AlertDetector {
		return storage.Invalid("alert kind", s.Kind.String(), "use storage.AlertInstance or storage.AlertDetector")
	}
	if err := errors.Join(CheckRef("alert rule", s.Rule), CheckRef("alert state", s.State), CheckLabels("alert label", s.Labels)); err != nil {
		return fmt.Errorf("alert %q: %w", goal.Excerpt(s.Fingerprint), err)
	}
	return nil
}

// CheckNotification checks the storage rules of a notification.
func CheckNotification(n storage.Notification) error {
	if err := CheckID("notification key", n.Key); err != nil {
		return err
	}
	if err := CheckRef("notification fingerprint", n.Fingerprint); err != nil {
		return fmt.Errorf("notification %q: %w", goal.Excerpt(n.Key), err)
	}
	return nil
}

// CheckDeals checks the storage rules of every deal and that no ID is
// listed twice.
func CheckDeals(ds []funnel.Deal) error {
	seen := make(map[string]int, len(ds))
	for i, d := range ds {
		if err := CheckDeal(d); err != nil {
			return fmt.Errorf("deal #%d: %w", i, err)
		}
		if j, dup := seen[d.ID]; dup {
			return fmt.Errorf("deal %q is listed twice (#%d and #%d); send each deal once: %w", d.ID, j, i, storage.ErrInvalid)
		}
		seen[d.ID] = i
	}
	return nil
}

// CheckAlertPuts checks every state of a PutAlerts batch, that no
// expected version is negative and that no fingerprint is listed twice.
func CheckAlertPuts(puts []storage.AlertPut) error {
	seen := make(map[string]int, len(puts))
	for i, p := range puts {
		if err := CheckAlert(p.State); err != nil {
			return fmt.Errorf("alert #%d: %w", i, err)
		}
		if p.Expected < 0 {
			return fmt.Errorf("alert #%d: %w", i, storage.Invalid("expected version", fmt.Sprint(p.Expected), "give the stored version, or 0 for a new state"))
		}
		if j, dup := seen[p.State.Fingerprint]; dup {
			return fmt.Errorf("alert %q is listed twice (#%d and #%d); put each state once: %w", goal.Excerpt(p.State.Fingerprint), j, i, storage.ErrInvalid)
		}
		seen[p.State.Fingerprint] = i
	}
	return nil
}

// LastStage returns the stage of d's latest transition, "" when none.
func LastStage(d funnel.Deal) string {
	if len(d.Transitions) == 0 {
		return ""
	}
	return d.Transitions[len(d.Transitions)-1].Stage
}

// MatchDeal reports whether d passes f.
func MatchDeal(d funnel.Deal, f storage.DealFilter) bool {
	return (f.Funnel == "" || d.Funnel == f.Funnel) && (f.Unit == "" || d.Unit == f.Unit) &&
		!slices.Contains(f.ExcludeStages, LastStage(d))
}

// CloneAlert returns a normalised deep copy of s.
func CloneAlert(s storage.AlertState) storage.AlertState {
	s.Labels = CloneMap(s.Labels)
	s.Detector = CloneSlice(s.Detector)
	s.Since, s.LastEval, s.FiredAt = Time(s.Since), Time(s.LastEval), Time(s.FiredAt)
	s.ResolvedAt, s.LastNotified, s.Retired = Time(s.ResolvedAt), Time(s.LastNotified), Time(s.Retired)
	return s
}

// CloneNotification returns a normalised deep copy of n.
func CloneNotification(n storage.Notification) storage.Notification {
	n.Payload = CloneSlice(n.Payload)
	n.CreatedAt, n.DeliveredAt = Time(n.CreatedAt), Time(n.DeliveredAt)
	return n
}

// SameNotification reports whether a re-enqueued notification is identical
// to the stored one (DeliveredAt aside).
func SameNotification(a, b storage.Notification) bool {
	return a.Key == b.Key && a.Fingerprint == b.Fingerprint && string(a.Payload) == string(b.Payload) &&
		a.CreatedAt.Equal(b.CreatedAt)
}

// CompareNotifications orders notifications as the outbox lists them: by
// CreatedAt, then Seq.
func CompareNotifications(a, b storage.Notification) int {
	return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.Seq, b.Seq))
}

// CheckClaim checks the arguments of ClaimUndelivered and returns when the
// claim ends (now+lease, normalised).
func CheckClaim(owner string, now time.Time, lease time.Duration) (time.Time, error) {
	if err := CheckID("claim owner", owner); err != nil {
		return time.Time{}, err
	}
	if lease <= 0 {
		return time.Time{}, storage.Invalid("claim lease", lease.String(), "it must be positive: how long a deliverer may take before others may send its notifications")
	}
	if now.IsZero() {
		return time.Time{}, storage.Invalid("claim time", "", "it is zero; pass the deliverer's clock")
	}
	return Time(now.Add(lease)), nil
}

// CloneUnits returns a deep copy of units (Earlier included); an empty
// slice gives nil.
func CloneUnits(units []goal.Unit) []goal.Unit {
	out := CloneSlice(units)
	for i := range out {
		out[i].Earlier = CloneSlice(out[i].Earlier)
	}
	return out
}

// SameTree reports whether a and b place every unit under the same parents
// on every day, so that no subtree total changes between them.
func SameTree(a, b []goal.Unit) bool {
	if len(a) != len(b) {
		return false
	}
	parents := make(map[string]goal.Unit, len(a))
	for _, u := range a {
		parents[u.ID] = u
	}
	for _, u := range b {
		v, ok := parents[u.ID]
		if !ok || v.Parent != u.Parent || !slices.Equal(v.Earlier, u.Earlier) {
			return false
		}
	}
	return true
}

package exchange

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
)

// ImportUnits reads the org from r (a unit a record) and stores it with
// Engine.SetOrg, replacing the org, unless o.DryRun. The org is one value:
// it is read whole (units are few) and set in one transaction. With
// kpi.KeepGood bad rows are left out and returned; the units that remain
// must still form an org.
func ImportUnits(ctx context.Context, e *goalkit.Engine, r io.Reader, f Format, o *Options) (Result, error) {
	v := o.orDefault()
	pr := newProgress(v)
	rd := NewUnitReader(r, f, v.File)
	bad := &ImportError{File: v.File}
	var res Result
	var units []goal.Unit
	lines := map[string]int{}
	for {
		u, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if re, ok := err.(*RowError); ok {
				res.Rows++
				bad.add(*re)
				continue
			}
			return res, err
		}
		res.Rows++
		units = append(units, u)
		lines[u.ID] = rd.Line()
	}
	if err := reject(&res, bad, v.Mode); err != nil {
		return res, err
	}
	if _, err := goal.NewOrg(units); err != nil {
		re := RowError{File: v.File, Reason: err.Error()}
		if ve, ok := errors.AsType[*goal.ValidationError](err); ok {
			re.Line, re.Column, re.Value = lines[ve.Value], "id", ve.Value
		}
		return res, &ImportError{File: v.File, Rows: []RowError{re}, Bad: 1}
	}
	res.Imported = len(units)
	if !v.DryRun {
		if err := e.SetOrg(ctx, units); err != nil {
			return Result{Rows: res.Rows}, fmt.Errorf("exchange: import units from %s: %w", name(v.File), err)
		}
	}
	pr.report(res.Rows, res.Imported)
	return res, nil
}

// ImportPlans reads plans in the long form from r (see ReadPlans), the
// metrics from e, and stores each new plan (Engine.SavePlan) unless
// o.DryRun. Plans are whole values: any bad row fails the import whatever
// o.Mode, and a plan ID already stored fails it before anything is saved.
func ImportPlans(ctx context.Context, e *goalkit.Engine, r io.Reader, f Format, o *Options, ch goalkit.Change) (Result, error) {
	v := o.orDefault()
	pr := newProgress(v)
	plans, err := ReadPlans(r, f, v.File, e.Metric)
	if err != nil {
		return Result{}, err
	}
	var res Result
	for _, p := range plans {
		res.Rows += len(p.Goals)
		if _, err := e.Plan(ctx, p.ID); err == nil {
			return Result{}, fmt.Errorf("exchange: import plans from %s: plan %q is stored already; delete it or edit it through the wide sheet: %w", name(v.File), p.ID, storage.ErrDuplicate)
		} else if !errors.Is(err, storage.ErrNotFound) {
			return Result{}, fmt.Errorf("exchange: import plans from %s: %w", name(v.File), err)
		}
	}
	for _, p := range plans {
		if !v.DryRun {
			if _, err := e.SavePlan(ctx, p, ch); err != nil {
				return res, fmt.Errorf("exchange: import plans from %s: %w", name(v.File), err)
			}
		}
		res.Imported += len(p.Goals)
	}
	pr.report(res.Rows, res.Imported)
	return res, nil
}

// ImportFacts streams facts from r into e (Engine.Ingest), o.BatchSize at a
// time, never holding more than a batch.
//
// With kpi.AllOrNothing (and in a dry run) a first pass reads and checks
// every row against e's metrics and org, keeping only the bad rows; a file
// with any is not imported and the error is an *ImportError listing them.
// The second pass (r must then be an io.Seeker, such as an *os.File)
// ingests. Each batch is one transaction, so a failure the first pass
// cannot see (a key stored before with other content, ctx cancelled)
// stops the import between batches: what was stored is whole batches and
// Result counts them; ingestion is idempotent by key, so importing the
// file again after the fix completes it.
//
// With kpi.KeepGood one pass ingests the good rows and returns the bad
// ones in Result.Rejected.
func ImportFacts(ctx context.Context, e *goalkit.Engine, r io.Reader, f Format, o *Options) (Result, error) {
	v := o.orDefault()
	pr := newProgress(v)
	if res, done, err := checkFirst("facts", r, v, func() (Result, error) { return checkFacts(ctx, e, r, f, v) }); done {
		return res, err
	}
	return ingestFacts(ctx, e, r, f, v, pr)
}

// checkFacts is the first pass: every row read and checked, none kept.
func checkFacts(ctx context.Context, e *goalkit.Engine, r io.Reader, f Format, v Options) (Result, error) {
	rd := NewFactReader(r, f, v.File)
	org := e.Org()
	bad := &ImportError{File: v.File}
	var res Result
	err := scan(rd, &res, bad, func(fact kpi.Fact) error { return checkFact(ctx, e, org, fact, rd.Line(), v.File) }, func(kpi.Fact) error {
		res.Imported++
		if res.Rows%v.BatchSize == 0 {
			return ctx.Err()
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if err := reject(&res, bad, v.Mode); err != nil {
		return res, err
	}
	return res, nil
}

// checkFact checks f as Engine.Ingest will, converting it first
// (Engine.Convert): a missing rate is the row's fault, a failing rate
// source stops the import.
func checkFact(ctx context.Context, e *goalkit.Engine, org *goal.Org, f kpi.Fact, line int, file string) error {
	m, ok := e.Metric(f.Metric)
	if !ok {
		return &RowError{File: file, Line: line, Column: "metric", Value: f.Metric, Reason: "the metric is not configured; add it to Config.Metrics or fix the mapping"}
	}
	f, err := e.Convert(ctx, f)
	if errors.Is(err, goalkit.ErrNoRate) {
		return &RowError{File: file, Line: line, Column: "currency", Value: f.Currency, Reason: err.Error()}
	}
	if err != nil {
		return err
	}
	if org == nil {
		return &RowError{File: file, Line: line, Column: "unit", Value: f.Unit, Reason: "the engine has no org yet; import the units first"}
	}
	if err := kpi.CheckFact(f, m, org); err != nil {
		return factRowError(err, f, line, file)
	}
	return nil
}

// factRowError places a kpi.FactError in its row and column.
func factRowError(err error, f kpi.Fact, line int, file string) *RowError {
	re := &RowError{File: file, Line: line, Reason: err.Error()}
	if fe, ok := errors.AsType[*kpi.FactError](err); ok {
		re.Column, re.Reason = strings.ToLower(fe.Field), fe.Reason
		switch re.Column {
		case "key":
			re.Value = f.Key
		case "metric":
			re.Value = f.Metric
		case "unit":
			re.Value = f.Unit
		case "date":
			re.Value = f.Date.String()
		case "value":
			re.Value = f.Value.String()
		case "currency":
			re.Value = f.Currency
		}
	}
	return re
}

// ingestFacts is the pass that writes, a batch a transaction.
func ingestFacts(ctx context.Context, e *goalkit.Engine, r io.Reader, f Format, v Options, pr *progress) (Result, error) {
	rd := NewFactReader(r, f, v.File)
	bad := &ImportError{File: v.File}
	var res Result
	batch := make([]kpi.Fact, 0, v.BatchSize)
	lines := make([]int, 0, v.BatchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		ir, err := e.Ingest(ctx, batch, v.Mode)
		if be, ok := errors.AsType[*kpi.BatchError](err); ok && !errors.Is(err, kpi.ErrConflict) {
			for _, rej := range be.Rejected {
				bad.add(*factRowError(rej.Err, batch[rej.Index], lines[rej.Index], v.File))
			}
			return bad
		}
		if err != nil {
			return fmt.Errorf("exchange: import facts from %s (rows up to line %d): %w", name(v.File), lines[len(lines)-1], err)
		}
		for _, rej := range ir.Rejected {
			res.Rejected = append(res.Rejected, *factRowError(rej.Err, batch[rej.Index], lines[rej.Index], v.File))
		}
		res.Imported += ir.Inserted
		res.Unchanged += ir.Unchanged
		batch, lines = batch[:0], lines[:0]
		pr.report(res.Rows, res.Imported+res.Unchanged)
		return nil
	}
	// In all-or-nothing every row passed the first pass: a bad one now
	// means the input changed, and the import stops before its batch.
	changed := func(kpi.Fact) error {
		if v.Mode == kpi.AllOrNothing && bad.Bad > 0 {
			return bad
		}
		return nil
	}
	err := scan(rd, &res, bad, changed, func(fact kpi.Fact) error {
		batch, lines = append(batch, fact), append(lines, rd.Line())
		if len(batch) == v.BatchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = changed(kpi.Fact{})
	}
	if err != nil {
		return res, err
	}
	if err := flush(); err != nil {
		return res, err
	}
	res.Rejected = append(res.Rejected, bad.Rows...)
	slices.SortStableFunc(res.Rejected, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
	pr.report(res.Rows, res.Imported+res.Unchanged)
	return res, nil
}

// ImportDeals streams deals from r into e (Engine.PutDeals), o.BatchSize
// deals at a time. Each deal is checked first against e's funnels and org
// as PutDeals will; with kpi.AllOrNothing (and in a dry run) that is a
// first pass over the whole input, as for ImportFacts, and r must be an
// io.Seeker unless o.DryRun. With kpi.KeepGood bad deals are skipped and
// returned in Result.Rejected.
func ImportDeals(ctx context.Context, e *goalkit.Engine, r io.Reader, f Format, o *Options) (Result, error) {
	v := o.orDefault()
	pr := newProgress(v)
	if res, done, err := checkFirst("deals", r, v, func() (Result, error) { return streamDeals(ctx, e, r, f, v, pr, false) }); done {
		return res, err
	}
	return streamDeals(ctx, e, r, f, v, pr, true)
}

// streamDeals reads and checks every deal, and with write set stores the
// good ones a batch at a time.
func streamDeals(ctx context.Context, e *goalkit.Engine, r io.Reader, f Format, v Options, pr *progress, write bool) (Result, error) {
	rd := NewDealReader(r, f, v.File)
	org := e.Org()
	bad := &ImportError{File: v.File}
	var res Result
	var batch []funnel.Deal
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if write {
			if err := e.PutDeals(ctx, batch); err != nil {
				return fmt.Errorf("exchange: import deals from %s (up to line %d): %w", name(v.File), rd.Line(), err)
			}
		}
		res.Imported += len(batch)
		batch = batch[:0]
		pr.report(res.Rows, res.Imported)
		return nil
	}
	err := scan(rd, &res, bad, func(d funnel.Deal) error { return checkDeal(e, org, d, rd.Line(), v.File) }, func(d funnel.Deal) error {
		batch = append(batch, d)
		if len(batch) == v.BatchSize {
			return flush()
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if !write {
		res.Imported += len(batch) // counted, not stored
		batch = nil
	}
	if err := flush(); err != nil {
		return res, err
	}
	if err := reject(&res, bad, v.Mode); err != nil {
		return res, err
	}
	return res, nil
}

// checkDeal checks d as Engine.PutDeals will.
func checkDeal(e *goalkit.Engine, org *goal.Org, d funnel.Deal, line int, file string) error {
	fn, ok := e.Funnel(d.Funnel)
	switch {
	case !ok:
		return &RowError{File: file, Line: line, Column: "funnel", Value: d.Funnel, Reason: "the funnel is not configured; add it to Config.Funnels or fix the key"}
	case org == nil:
		return &RowError{File: file, Line: line, Column: "unit", Value: d.Unit, Reason: "the engine has no org yet; import the units first"}
	}
	if err := d.Validate(fn); err != nil {
		return &RowError{File: file, Line: line, Column: "id", Value: d.ID, Reason: err.Error()}
	}
	if _, err := org.Unit(d.Unit); err != nil {
		return &RowError{File: file, Line: line, Column: "unit", Value: d.Unit, Reason: err.Error()}
	}
	return nil
}

// scan reads every record from rd, counting rows in res: a record that
// fails to read or check goes to bad, a good one to keep. It ends at the end
// of the input or at the first error that is not a row's.
func scan[T any](rd interface{ Next() (T, error) }, res *Result, bad *ImportError, check, keep func(T) error) error {
	for {
		v, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err == nil {
			err = check(v)
		}
		res.Rows++
		if re, ok := err.(*RowError); ok {
			bad.add(*re)
			continue
		}
		if err != nil {
			return err
		}
		if err := keep(v); err != nil {
			return err
		}
	}
}

// checkFirst runs the checking pass over r when v asks for one (a dry run,
// or all-or-nothing) and rewinds r for the writing pass. done says the
// import ends here, with res and err.
func checkFirst(what string, r io.Reader, v Options, check func() (Result, error)) (res Result, done bool, err error) {
	if v.Mode != kpi.AllOrNothing && !v.DryRun {
		return Result{}, false, nil
	}
	seeker, canSeek := r.(io.Seeker)
	if !v.DryRun && !canSeek {
		return Result{}, true, fmt.Errorf("exchange: import %s from %s: all-or-nothing reads the input twice; pass an *os.File (an io.ReadSeeker) or use kpi.KeepGood: %w", what, name(v.File), ErrInvalid)
	}
	if res, err := check(); err != nil || v.DryRun {
		return res, true, err
	}
	if _, err := seeker.Seek(0, io.SeekStart); err != nil {
		return Result{}, true, fmt.Errorf("exchange: import %s from %s: rewind: %w", what, name(v.File), err)
	}
	return Result{}, false, nil
}

// reject applies mode to the bad rows: an error for AllOrNothing, the rows
// in res for KeepGood.
func reject(res *Result, bad *ImportError, mode kpi.BatchMode) error {
	if bad.Bad == 0 {
		return nil
	}
	if mode == kpi.AllOrNothing {
		return bad
	}
	res.Rejected = append(res.Rejected, bad.Rows...)
	return nil
}

// progress calls Options.Progress, once for a given count of rows.
type progress struct {
	v     Options
	start time.Time
	rows  int
}

func newProgress(v Options) *progress { return &progress{v: v, start: v.Now(), rows: -1} }

func (p *progress) report(rows, facts int) {
	if p.v.Progress != nil && rows != p.rows {
		p.rows = rows
		p.v.Progress(Progress{Rows: rows, Facts: facts, Elapsed: p.v.Now().Sub(p.start)})
	}
}

func name(file string) string {
	if file == "" {
		return "input"
	}
	return file
}

package goalkit

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// IngestProgress is how far IngestAll is: everything it counts is
// committed.
type IngestProgress struct {
	Batches int           // batches committed
	Rows    int           // facts in those batches, as handed in
	Facts   int           // facts of those batches stored: new or unchanged
	Elapsed time.Duration // since IngestAll started, by Config.Now
}

// IngestStopped is IngestAll's error when it stopped before the end: Done
// says what was committed (whole batches, each in its own transaction),
// Err why it stopped (ctx cancelled, a conflicting fact, an all-or-nothing
// batch with bad facts, a store error). Nothing of the failed batch was
// written; ingest is idempotent by key, so running the same batches again
// completes the work. errors.Is and errors.As see Err.
type IngestStopped struct {
	Done IngestProgress
	Err  error
}

// Error says what was wrong and what to do.
func (e *IngestStopped) Error() string {
	return fmt.Sprintf("goalkit: ingest all: stopped after %d batches (%d facts committed, %d stored): %v", e.Done.Batches, e.Done.Rows, e.Done.Facts, e.Err)
}

// Unwrap returns why IngestAll stopped.
func (e *IngestStopped) Unwrap() error { return e.Err }

// IngestAll ingests many batches, one Ingest (one transaction) each, in
// the order batches yields them, and calls progress (when not nil) after
// each committed batch from the calling goroutine. ctx is checked before
// every batch and by the store within it, so a cancellation stops between
// batches or rolls the current one back: never half a batch. It returns
// the sum of the batches' results, with each rejection's Index counted
// from the first fact of the first batch; when it stops early the error is
// an *IngestStopped saying what was committed, and the result sums the
// committed batches.
func (e *Engine) IngestAll(ctx context.Context, batches iter.Seq[[]kpi.Fact], mode kpi.BatchMode, progress func(IngestProgress)) (IngestResult, error) {
	start := e.now()
	var total IngestResult
	var done IngestProgress
	for batch := range batches {
		if err := ctx.Err(); err != nil {
			return total, &IngestStopped{Done: done, Err: err}
		}
		res, err := e.Ingest(ctx, batch, mode)
		if err != nil {
			return total, &IngestStopped{Done: done, Err: err}
		}
		total.Inserted += res.Inserted
		total.Unchanged += res.Unchanged
		for _, r := range res.Rejected {
			r.Index += done.Rows
			total.Rejected = append(total.Rejected, r)
		}
		done.Batches++
		done.Rows += len(batch)
		done.Facts += res.Inserted + res.Unchanged
		done.Elapsed = e.now().Sub(start)
		if progress != nil {
			progress(done)
		}
	}
	return total, nil
}

package exchange

import (
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// Format is a file format.
type Format uint8

const (
	// CSV is RFC 4180 with a header row naming the columns (any order; a
	// leading UTF-8 BOM is dropped).
	CSV Format = iota
	// JSON is one JSON value a record: JSON lines when writing; reading
	// takes JSON lines or one array of records.
	JSON
)

// String returns "csv" or "json".
func (f Format) String() string {
	if f == JSON {
		return "json"
	}
	return "csv"
}

// Options tune an import; nil means the defaults.
type Options struct {
	// File names the input in errors ("facts.csv:12: value ...").
	File string
	// Mode is what a file with bad rows does: kpi.AllOrNothing (the zero
	// value) imports nothing and fails with an *ImportError listing every bad
	// row; kpi.KeepGood imports the good rows and returns the bad ones in
	// Result.Rejected.
	Mode kpi.BatchMode
	// DryRun reads and checks everything and writes nothing: Result says
	// what an import would do.
	DryRun bool
	// BatchSize is how many facts or deals go to the engine a call; 0 means
	// 10,000.
	BatchSize int
	// Progress, when set, is called after every batch (and once at the end)
	// from the importing goroutine.
	Progress func(Progress)
	// Now is the clock elapsed time is measured with; nil means time.Now.
	Now func() time.Time
}

// Progress is how far an import is.
type Progress struct {
	Rows    int           // rows (records) read so far
	Facts   int           // facts (or deals) handed to the engine so far
	Elapsed time.Duration // since the import started
}

// Result says what an import did (or, in a dry run, would do).
type Result struct {
	Rows      int        // records read
	Imported  int        // records stored as new (facts), or stored (units, goals, deals)
	Unchanged int        // facts identical to ones stored before
	Rejected  []RowError // bad rows not imported (kpi.KeepGood only; the first MaxRowErrors read, then those the engine refused)
}

const defaultBatch = 10_000

func (o *Options) orDefault() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.BatchSize <= 0 {
		v.BatchSize = defaultBatch
	}
	if v.Now == nil {
		v.Now = time.Now
	}
	return v
}

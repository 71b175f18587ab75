package exchange

import (
	"io"

	"github.com/goalkit/goalkit/internal/csvtable"
	"github.com/goalkit/goalkit/kpi"
)

// factCodec is facts, one a row: key, metric, unit, date, value, currency,
// credits (split credit as JSON, [{"unit":"li","share":"0.5"},...]), dims
// (dimensions as a JSON object, {"product":"GTX Pro"}), end (a range
// fact's end, the day after the last day it covers; empty for a fact of
// one day), working_days (true to spread the range over working days) and
// converted (what a converted fact was, as JSON:
// {"currency":"USD","amount":"100.00","rate":"7.1"}).
var factCodec = &codec[kpi.Fact]{
	required: []string{"key", "metric", "unit", "date", "value"},
	optional: []string{"currency", "credits", "dims", "end", "working_days", "converted"},
	fromCSV: func(t *csvtable.Reader) kpi.Fact {
		return kpi.Fact{
			Key: t.Required("key"), Metric: t.Required("metric"), Unit: t.Text("unit"),
			Date: requiredDate(t, "date"), Value: decimalField(t, "value"), Currency: optional(t, "currency"),
			Credits:     jsonField[[]kpi.Credit](t, "credits", `[{"unit":"li","share":"0.5"},{"unit":"wang","share":"0.5"}]`),
			Dims:        jsonField[map[string]string](t, "dims", `{"product":"GTX Pro"}`),
			End:         optionalDate(t, "end"),
			WorkingDays: boolField(t, "working_days"),
			Converted:   jsonField[*kpi.Conversion](t, "converted", `{"currency":"USD","amount":"100.00","rate":"7.1"}`),
		}
	},
	toCSV: func(f kpi.Fact, row []string) []string {
		return append(row, f.Key, f.Metric, f.Unit, f.Date.String(), fixed(f.Value), f.Currency,
			jsonText(f.Credits, len(f.Credits) == 0), jsonText(f.Dims, len(f.Dims) == 0),
			dateText(f.End), boolText(f.WorkingDays), jsonText(conversionText(f.Converted), f.Converted == nil))
	},
	toJSON: func(f kpi.Fact) any {
		return struct {
			kpi.Fact
			Value     string          `json:"value"` // with its places, "100.00"
			Converted *conversionJSON `json:"converted,omitempty"`
		}{f, fixed(f.Value), conversionText(f.Converted)}
	},
	check: func(f kpi.Fact) (string, string) {
		switch {
		case f.Key == "":
			return "key", "the idempotency key is empty; give every fact a stable key such as \"erp:invoice:4711\""
		case f.Metric == "":
			return "metric", "the metric key is empty"
		case f.Date == 0:
			return "date", "the date is missing; write it as YYYY-MM-DD"
		}
		return "", ""
	},
}

// NewFactReader reads facts from r; file names r in errors.
func NewFactReader(r io.Reader, f Format, file string) *Reader[kpi.Fact] {
	return newReader(r, f, file, factCodec)
}

// NewFactWriter writes facts to w.
func NewFactWriter(w io.Writer, f Format) *Writer[kpi.Fact] {
	return newWriter(w, f, factCodec)
}

// conversionJSON is a kpi.Conversion with its decimals keeping their places
// ("100.00", not the "100" decimal's own JSON writes).
type conversionJSON struct {
	Currency string `json:"currency"`
	Amount   string `json:"amount"`
	Rate     string `json:"rate"`
}

func conversionText(c *kpi.Conversion) *conversionJSON {
	if c == nil {
		return nil
	}
	return &conversionJSON{Currency: c.Currency, Amount: fixed(c.Amount), Rate: fixed(c.Rate)}
}

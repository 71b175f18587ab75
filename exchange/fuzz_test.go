package exchange_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/goal"
)

// drain reads every record from next, checking that reading ends (io.EOF
// or an error that is not a row's) and that a bad row is a *RowError with
// a line.
func drain[T any](t *testing.T, next func() (T, error)) {
	for range 1 << 16 {
		_, err := next()
		if err == io.EOF {
			return
		}
		var re *exchange.RowError
		if errors.As(err, &re) {
			if re.Line < 0 {
				t.Fatalf("row error without a line: %v", re)
			}
			continue
		}
		if err != nil {
			return
		}
	}
	t.Fatal("the reader never ended")
}

func seeds(f *testing.F, csv, json string) {
	f.Add([]byte(csv), false)
	f.Add([]byte(json), true)
	f.Add([]byte("[\n"+json+"]"), true)
}

func format(isJSON bool) exchange.Format {
	if isJSON {
		return exchange.JSON
	}
	return exchange.CSV
}

func FuzzFactReader(f *testing.F) {
	seeds(f, badFacts+"g,revenue,,2026-01-01,1.00,CNY,\"[{\"\"unit\"\":\"\"li\"\",\"\"share\"\":\"\"1\"\"}]\",\"{\"\"a\"\":\"\"b\"\"}\"\n",
		`{"key":"a","metric":"calls","unit":"li","date":"2026-01-05","value":"1","dims":{"p":"x"}}`+"\n"+
			`{"key":"w","metric":"revenue","unit":"li","date":"2026-01-05","end":"2026-01-12","working_days":true,"value":"7.10","converted":{"currency":"USD","amount":"1","rate":"7.1"}}`+"\n")
	seeds(f, "key,metric,unit,date,value,end,working_days,converted\nw,revenue,li,2026-01-05,7.10,2026-01-12,true,\"{\"\"currency\"\":\"\"USD\"\",\"\"amount\"\":\"\"1\"\",\"\"rate\"\":\"\"7.1\"\"}\"\n", "")
	f.Fuzz(func(t *testing.T, in []byte, isJSON bool) {
		drain(t, exchange.NewFactReader(bytes.NewReader(in), format(isJSON), "f").Next)
	})
}

func FuzzUnitReader(f *testing.F) {
	seeds(f, "id,parent,kind,name,active_from,active_until,earlier\nwang,north,rep,王,,2027-01-01,\"[{\"\"parent\"\":\"\"south\"\",\"\"until\"\":\"\"2026-04-01\"\"}]\"\n",
		`{"id":"wang","parent":"north","earlier":[{"parent":"south","until":"2026-04-01"}]}`+"\n")
	f.Fuzz(func(t *testing.T, in []byte, isJSON bool) {
		drain(t, exchange.NewUnitReader(bytes.NewReader(in), format(isJSON), "u").Next)
	})
}

func FuzzDealReader(f *testing.F) {
	seeds(f, "id,unit,value,stage,date\nd1,li,1.00,lead,2026-01-02\nd1,li,1.00,won,2026-01-03\nd2,li,x,lead,2026-01-02\n",
		`{"id":"d1","unit":"li","value":"1.00","transitions":[{"stage":"lead","date":"2026-01-02"}]}`+"\n")
	f.Fuzz(func(t *testing.T, in []byte, isJSON bool) {
		drain(t, exchange.NewDealReader(bytes.NewReader(in), format(isJSON), "d").Next)
	})
}

func FuzzReadPlans(f *testing.F) {
	var csv, json bytes.Buffer
	p := plan(f)
	for _, w := range []struct {
		buf *bytes.Buffer
		f   exchange.Format
	}{{&csv, exchange.CSV}, {&json, exchange.JSON}} {
		gw := exchange.NewGoalWriter(w.buf, w.f)
		if err := exchange.WritePlan(gw, p); err != nil {
			f.Fatal(err)
		}
		if err := gw.Flush(); err != nil {
			f.Fatal(err)
		}
	}
	seeds(f, csv.String(), json.String())
	f.Fuzz(func(t *testing.T, in []byte, isJSON bool) {
		plans, err := exchange.ReadPlans(bytes.NewReader(in), format(isJSON), "p", func(string) (goal.Metric, bool) { return revenue, true })
		if err == nil {
			for _, p := range plans {
				p.Check() // a plan read is indexed and well formed
			}
		}
	})
}

func FuzzReadWide(f *testing.F) {
	f.Add([]byte(wideSheet), false)
	f.Add([]byte("id,unit,2026-01\nli,,1e3\n"), false)
	p := plan(f)
	f.Fuzz(func(t *testing.T, in []byte, _ bool) {
		edit, err := exchange.ReadWide(bytes.NewReader(in), "w", p)
		if err == nil && len(edit.Plan.Goals) != len(p.Goals) {
			t.Fatal("an edit changed the plan's goals")
		}
	})
}

package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/internal/procstat"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/shopspring/decimal"
)

// The host's path: the same facts through Engine.Ingest into the memory
// store, and Q1 as one SumMany over the 93,245 queries. It runs before the
// ledger, so the process's peak resident memory (VmHWM) at its end is its
// own.

// enginePath is what the host's path measured.
type enginePath struct {
	making, ingest span // making the facts, Engine.Ingest calls
	q1, q1Again    span // SumMany of Q1: the first after ingest, and again
	heap, sys      uint64
	peak           string
}

func runEngine(w *world, n, batchSize int, cpuprofile string) (*enginePath, error) {
	ctx := context.Background()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	store, err := memory.New(memory.Config{Tenant: "w1", Capacity: n}) // the ledger gets Capacity n too
	if err != nil {
		return nil, err
	}
	e, err := goalkit.New(ctx, store, &goalkit.Config{Metrics: w1.Metrics(), Calendar: w.cal})
	if err != nil {
		return nil, err
	}
	if err := e.SetOrg(ctx, w1.OrgUnits()); err != nil {
		return nil, err
	}
	if cpuprofile != "" {
		pf, err := os.Create(cpuprofile)
		if err != nil {
			return nil, err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return nil, err
		}
	}
	var out enginePath
	buf := make([]kpi.Fact, batchSize)
	for i := 0; i < n; i += batchSize {
		k := min(batchSize, n-i)
		t0 := now()
		for j := range k {
			fact(&buf[j], i+j)
		}
		t1 := now()
		if _, err := e.Ingest(ctx, buf[:k], kpi.AllOrNothing); err != nil {
			return nil, err
		}
		t2 := now()
		out.making, out.ingest = out.making.add(t1.sub(t0)), out.ingest.add(t2.sub(t1))
	}
	pprof.StopCPUProfile()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out.heap, out.sys, out.peak = ms.HeapInuse-before.HeapInuse, ms.Sys, procstat.PeakRSS()

	qs := q1Queries(w)
	runtime.GC() // Q1 measures the queries, not a collection of ingest's garbage (the ledger's Q1 too)
	t0 := now()
	totals, err := store.SumMany(ctx, qs)
	if err != nil {
		return nil, err
	}
	out.q1 = since(t0)
	t0 = now()
	if _, err := store.SumMany(ctx, qs); err != nil {
		return nil, err
	}
	out.q1Again = since(t0)
	// The company's FY revenue is the first query's answer.
	if _, err := checkFigure(n, totals[0].Value); err != nil {
		return nil, err
	}
	runtime.KeepAlive(e)
	return &out, nil
}

// q1Queries returns Q1's queries in the ledger's order: unit, period, metric.
func q1Queries(w *world) []storage.Query {
	qs := make([]storage.Query, 0, w.org.Len()*len(w.periods)*w1.NumMetrics)
	for u := 0; u < w.org.Len(); u++ {
		id := w.org.At(u).ID
		for _, p := range w.periods {
			for _, m := range w1.MetricKeys {
				qs = append(qs, storage.Query{Metric: m, Unit: id, Subtree: true, Start: p.Start, End: p.End})
			}
		}
	}
	return qs
}

// checkFigure compares FY2026 company revenue with the workload's check
// figure, when there is one for n facts.
func checkFigure(n int, total decimal.Decimal) (string, error) {
	if n != w1.CheckFacts {
		return "n/a (the check figure is for 10,000,000 facts)", nil
	}
	if !total.Equal(decimal.RequireFromString(w1.CheckRevenue)) {
		return "", fmt.Errorf("FY2026 company revenue %s, want %s", total, w1.CheckRevenue)
	}
	return "ok", nil
}

// report prints the host's path beside the ledger's figures.
func (p *enginePath) report(n int, ledgerIngest, ledgerQ1, ledgerQ1Again span) {
	fmt.Printf("host's path: Engine.Ingest into the memory store, Q1 as one SumMany (measured first, in the same process)\n")
	fmt.Printf("I1 Engine.Ingest %s  %s facts/s  (calls only)\n", p.ingest, p.ingest.rate(n))
	fmt.Printf("   making the facts %s\n", p.making)
	fmt.Printf("   ratio engine ÷ ledger: %s\n", p.ingest.ratio(ledgerIngest))
	fmt.Printf("   memory after ingest: heap in use %d MiB (%.0f B a fact), Go sys %d MiB (%.0f B a fact), VmHWM %s\n",
		p.heap>>20, float64(p.heap)/float64(n), p.sys>>20, float64(p.sys)/float64(n), p.peak)
	fmt.Printf("Q1 SumMany     %s  first after ingest; again %s\n", p.q1, p.q1Again)
	fmt.Printf("   ratio memory store ÷ ledger: first %s; again %s\n", p.q1.ratio(ledgerQ1), p.q1Again.ratio(ledgerQ1Again))
}

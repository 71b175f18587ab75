package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

func runStatus(ctx context.Context, e *env, args []string) error {
	var d dbFlags
	var pd planDay
	var format, grain string
	fs := newFlags(e, "status", "--plan ID [flags]", "Print the status of every goal of a plan on a day: target, actual, attainment, time progress\nand gap (attainment − time progress; positive is ahead).")
	d.register(fs)
	pd.register(fs)
	fs.StringVar(&format, "format", "table", "table, csv or json")
	fs.StringVar(&grain, "grain", "", "only goals of this grain: year, half, quarter, month, week or day")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	day, err := pd.check(pos, "goalkit status --plan revenue-2026")
	if err != nil {
		return err
	}
	if format != "table" && format != "csv" && format != "json" {
		return usagef("--format %q is unknown; use table, csv or json", format)
	}
	eng, db, err := d.openEngine(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	all, err := eng.Statuses(ctx, pd.plan, day)
	if err != nil {
		return err
	}
	var statuses []kpi.Status
	for _, s := range all {
		if grain == "" || s.Period.Grain.String() == grain {
			statuses = append(statuses, s)
		}
	}
	if format == "table" {
		return statusTable(e.stdout, statuses, func(metric string) int32 { m, _ := eng.Metric(metric); return m.Places })
	}
	f, _ := formatOf(format, "")
	sw := exchange.NewStatusWriter(e.stdout, f)
	for _, s := range statuses {
		if err := sw.Write(s); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func statusTable(w io.Writer, statuses []kpi.Status, places func(metric string) int32) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "unit\tperiod\ttarget\tactual\tattainment\ttime\tgap\t")
	for _, s := range statuses {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", s.Unit, s.Period.Label, s.Target.StringFixed(places(s.Metric)), s.Actual.StringFixed(places(s.Metric)),
			percent(s.Attainment), percent(decimal.NewNullDecimal(s.TimeProgress)), percent(s.GapRate))
	}
	return tw.Flush()
}

func percent(d decimal.NullDecimal) string {
	if !d.Valid {
		return "—"
	}
	return d.Decimal.Shift(2).StringFixed(1) + "%"
}

func runEvaluate(ctx context.Context, e *env, args []string) error {
	var d dbFlags
	var asOf string
	fs := newFlags(e, "evaluate", "[flags]", "Run the config's alert rules over every open goal on a day, step the alerts' lifecycle and\nwrite the notifications to the outbox (the host's notifier sends them).")
	d.register(fs)
	registerAsOf(fs, &asOf)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("evaluate takes no arguments, got %q", pos)
	}
	day, err := day(asOf)
	if err != nil {
		return err
	}
	eng, db, err := d.openEngine(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ev, err := eng.Evaluate(ctx, day)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d open goal(s), %d alert(s), %d change(s), %d notification(s) written, %d muted\n",
		ev.AsOf, ev.Goals, len(ev.States), len(ev.StateChanges), len(ev.Notifications), len(ev.Muted))
	for _, s := range ev.States {
		fmt.Fprintf(e.stdout, "  %-9s %-8s %-20s %-12s %s\n", s.State, s.Severity, s.Rule, s.Unit, s.Labels[alert.LabelPeriod])
	}
	return nil
}

package main

import (
	"context"
	"io"

	"github.com/goalkit/goalkit/report"
)

func runReport(ctx context.Context, e *env, args []string) error {
	var d dbFlags
	var pd planDay
	var lang, out, title string
	fs := newFlags(e, "report", "--plan ID [flags]", "Write a plan's progress on a day as one self-contained HTML page: burn-up, heat map,\nleaderboard and open alerts.")
	d.register(fs)
	pd.register(fs)
	fs.StringVar(&lang, "lang", "en", "the page's language: en or zh-CN")
	fs.StringVar(&out, "o", "", "the HTML file to write (default: standard output)")
	fs.StringVar(&title, "title", "", "the page's heading (default: the metric's name and the plan's period)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	day, err := pd.check(pos, "goalkit report --plan revenue-2026 -o report.html")
	if err != nil {
		return err
	}
	if lang != string(report.English) && lang != string(report.Chinese) {
		return usagef("--lang %q is unknown; use en or zh-CN", lang)
	}
	eng, db, err := d.openEngine(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	data, err := report.FromEngine(ctx, eng, pd.plan, day, &report.Options{Title: title})
	if err != nil {
		return err
	}
	return writeOut(out, e.stdout, func(w io.Writer) error { return report.Render(w, data, report.Lang(lang)) })
}

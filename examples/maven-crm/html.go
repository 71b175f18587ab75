package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/report"
)

// The report's words that come from the data and the plan rather than
// from report's catalogue, for -lang zh-CN.
var (
	chineseMetrics = map[string]string{revenue.Key: "赢单收入", engagements.Key: "跟进商机数", wonDeals.Key: "赢单数"}
	chineseStages  = map[string]string{"prospecting": "潜在客户", "engaging": "跟进中"}
)

// writeHTML writes the report of the 2017 revenue plan as of o.until to
// o.html, in o.lang. The page is written to a temporary file beside it and
// renamed, so a failed run never leaves half a page.
func writeHTML(ctx context.Context, e *goalkit.Engine, p *plans, o options) error {
	ro := &report.Options{Funnel: crm, Title: fmt.Sprintf("Maven CRM: %s %d", revenue.Name, planYear.Year())}
	if o.lang == report.Chinese {
		ro.MetricNames, ro.StageNames = chineseMetrics, chineseStages
		ro.Title = fmt.Sprintf("Maven CRM：%d 年%s", planYear.Year(), chineseMetrics[revenue.Key])
	}
	d, err := report.FromEngine(ctx, e, p.revenue.ID, o.until, ro)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(o.html), ".maven-crm-report-*.html")
	if err != nil {
		return fmt.Errorf("-html %s: %w", o.html, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := report.Render(tmp, d, o.lang); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp's 0600 is for secrets
		tmp.Close()
		return fmt.Errorf("-html %s: %w", o.html, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("-html %s: %w", o.html, err)
	}
	if err := os.Rename(tmp.Name(), o.html); err != nil {
		return fmt.Errorf("-html %s: %w", o.html, err)
	}
	return nil
}

// parseLang reads -lang: en or zh-CN.
func parseLang(s string) (report.Lang, error) {
	switch s {
	case "en":
		return report.English, nil
	case "zh-CN":
		return report.Chinese, nil
	}
	return "", fmt.Errorf("-lang %q: give en or zh-CN", s)
}

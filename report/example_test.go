package report_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/report"
	"github.com/rickb777/date/v2"
)

// A tiny report in Chinese: one month's burn-up, one team, no funnel.
func ExampleRender() {
	d := &report.Data{
		Title: "一月新签合同", Plan: "contracts-2026-01", Metric: "合同金额", Currency: "CNY", Places: 2,
		Start: date.New(2026, 1, 1), End: date.New(2026, 2, 1), AsOf: date.New(2026, 1, 15),
		Burnup: []report.Point{
			{Day: date.New(2026, 1, 15), Plan: dec("150000"), Actual: some("151463")},
			{Day: date.New(2026, 1, 31), Plan: dec("310000")},
		},
		Leaders: []report.Leader{{Unit: "上海一组", Target: dec("310000"), Actual: dec("151463"), Attainment: some("0.488590")}},
	}
	var b bytes.Buffer
	if err := report.Render(&b, d, report.Chinese); err != nil {
		fmt.Println(err)
		return
	}
	page := b.String()
	title := page[strings.Index(page, "<h1"):]
	fmt.Println(title[:strings.Index(title, "\n")])
	fmt.Println("charts:", strings.Count(page, "<svg")) // the burn-up and one leaderboard bar
	fmt.Println("actual:", strings.Contains(page, "¥151,463.00"))
	fmt.Println("scripts:", strings.Count(page, "<script"))
	// Output:
	// <h1 id="title">一月新签合同</h1>
	// charts: 2
	// actual: true
	// scripts: 0
}

package report_test

import (
	"github.com/goalkit/goalkit/report"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func some(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

// sample is a small, fixed report: a half-year plan of two teams as of
// mid-April, with a three-stage funnel, two alerts and Chinese unit names.
func sample() *report.Data {
	return &report.Data{
		Title: "华东区 2026 上半年回款", Plan: "payments-2026-h1", Metric: "回款金额",
		Currency: "CNY", Places: 2,
		Start: date.New(2026, 1, 1), End: date.New(2026, 7, 1), AsOf: date.New(2026, 4, 15),
		Burnup: []report.Point{
			{Day: date.New(2026, 1, 31), Plan: dec("100000"), Actual: some("96000.50")},
			{Day: date.New(2026, 2, 28), Plan: dec("180000"), Actual: some("151463")},
			{Day: date.New(2026, 3, 31), Plan: dec("300000"), Actual: some("262300")},
			{Day: date.New(2026, 4, 15), Plan: dec("350000"), Actual: some("287700")},
			{Day: date.New(2026, 4, 30), Plan: dec("400000")},
			{Day: date.New(2026, 5, 31), Plan: dec("500000")},
			{Day: date.New(2026, 6, 30), Plan: dec("600000")},
		},
		Markers: []report.Marker{{Day: date.New(2026, 2, 27), Count: 1}, {Day: date.New(2026, 4, 10), Count: 3}},
		Funnel: &report.Funnel{
			Stages: []report.Stage{
				{Name: "线索", Entered: 400, Advanced: 120, Rate: dec("0.3"), Low: dec("0.256"), High: dec("0.348")},
				{Name: "商机", Entered: 120, Advanced: 48, Rate: dec("0.4"), Low: dec("0.316"), High: dec("0.49")},
				{Name: "报价", Entered: 48, Advanced: 20, Rate: dec("0.416667"), Low: dec("0.288"), High: dec("0.558")},
			},
			Won: 20,
		},
		Heatmap: report.Heatmap{
			Periods: []string{"2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"},
			Rows: []report.HeatRow{
				{Unit: "上海一组", Cells: []report.Cell{{Attainment: some("1.05")}, {Attainment: some("0.82")}, {Attainment: some("0.91")}, {Attainment: some("0.4"), InProgress: true}, {}, {}}},
				{Unit: "杭州二组", Cells: []report.Cell{{Attainment: some("0.93")}, {Attainment: some("0.55")}, {Attainment: some("0.97")}, {Attainment: some("0.52"), InProgress: true}, {}, {}}},
			},
		},
		Leaders: []report.Leader{
			{Unit: "上海一组", Target: dec("300000"), Actual: dec("151463"), Attainment: some("0.504877")},
			{Unit: "杭州二组", Target: dec("300000"), Actual: dec("136237"), Attainment: some("0.454123")},
		},
		Alerts: []report.Alert{
			{Rule: "pace", Unit: "杭州二组", Subject: "回款金额 2026-04", Since: date.New(2026, 4, 10)},
			{Rule: "stagnation", Unit: "张伟", Subject: "报价", Since: date.New(2026, 4, 10)},
		},
	}
}

package messages_test

import (
	"fmt"

	"github.com/goalkit/goalkit/messages"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

// A pace alert on wang's quarter, worded for a Chinese and an English
// reader, then reworded by the host for English.
func Example() {
	facts := messages.Facts{
		Unit: "wang", Metric: "revenue", Period: "2026-Q3", Rule: "pace",
		Currency: "CNY", Places: 2,
		Actual: decimal.NewFromInt(151_463), Expected: decimal.NewFromInt(163_763), Target: decimal.NewFromInt(600_000),
		PerDay:  decimal.NewNullDecimal(decimal.NewFromInt(4_100)),
		Details: "z = −3.35 (flag below −2.33)",
	}
	c, err := messages.NewCatalog()
	if err != nil {
		panic(err)
	}
	for _, lang := range []string{"zh-CN", "en"} {
		text, _, _ := c.Render(language.MustParse(lang), messages.KeyBehind, facts)
		fmt.Println(text)
	}
	c, err = messages.NewCatalog(messages.Template{Language: language.English, Key: messages.KeyBehind,
		Text: "{{.Unit}}, you are {{.Behind}} behind on {{.Metric}}.\n  ({{.Details}})"})
	if err != nil {
		panic(err)
	}
	text, _, _ := c.Render(language.English, messages.KeyBehind, facts)
	fmt.Println(text)
	// Output:
	// wang revenue 2026-Q3：落后计划 ¥12,300.00；剩余每个工作日需完成 ¥4,100.00 才能追上
	// wang revenue 2026-Q3: behind plan by CN¥12,300.00; needs CN¥4,100.00 a working day to catch up
	// wang, you are CN¥12,300.00 behind on revenue.
	//   (z = −3.35 (flag below −2.33))
}

package messages

import "golang.org/x/text/language"

// builtin is the catalogue every Catalog starts from; English first, the
// fallback for languages and keys the catalogue lacks.
var builtin = []Template{
	{language.English, KeyBehind, `{{.Subject}}: behind plan by {{.Behind}}{{if .PerDay}}; needs {{.PerDay}} a working day to catch up{{end}}`},
	{language.English, KeyStillBehind, `{{.Subject}}: still behind plan by {{.Behind}}{{if .PerDay}}; needs {{.PerDay}} a working day to catch up{{end}}`},
	{language.English, KeyFiring, `{{.Subject}}: needs attention ({{.Rule}}): {{.Actual}} against {{.Expected}}`},
	{language.English, KeyEscalated, `{{.Subject}}: {{.Unit}}'s alert is still firing; {{if .Behind}}behind plan by {{.Behind}}{{else}}{{.Actual}} against {{.Expected}}{{end}}`},
	{language.English, KeyCleared, `{{.Subject}}: back on track ({{.Rule}}): {{.Actual}} against {{.Expected}}`},
	{language.English, KeyMet, `{{.Subject}}: met, {{.Actual}} of {{.Target}}{{if .Attainment}} ({{.Attainment}}){{end}}`},
	{language.English, KeyMissed, `{{.Subject}}: missed by {{.Short}}, {{.Actual}} of {{.Target}}{{if .Attainment}} ({{.Attainment}}){{end}}`},
	{language.English, KeyReviewRequest, `{{.Subject}}: please confirm your target of {{.Target}}{{if .Due}} by {{.Due}}{{end}}, or commit to your own figure with your reasons`},
	{language.English, KeyReviewReminder, `{{.Subject}}: reminder: your target of {{.Target}} awaits your answer{{if .Due}}, due {{.Due}}{{end}}`},
	{language.English, KeyAnswerReminder, `{{.Subject}}: {{.Unit}} committed to {{.Actual}} against a target of {{.Target}}; your answer is awaited{{if .Due}}, due {{.Due}}{{end}}`},

	{zhCN, KeyBehind, `{{.Subject}}：落后计划 {{.Behind}}{{if .PerDay}}；剩余每个工作日需完成 {{.PerDay}} 才能追上{{end}}`},
	{zhCN, KeyStillBehind, `{{.Subject}}：仍落后计划 {{.Behind}}{{if .PerDay}}；剩余每个工作日需完成 {{.PerDay}} 才能追上{{end}}`},
	{zhCN, KeyFiring, `{{.Subject}}：需要关注（{{.Rule}}）：实际 {{.Actual}}，对照 {{.Expected}}`},
	{zhCN, KeyEscalated, `{{.Subject}}：{{.Unit}} 的预警持续未解除；{{if .Behind}}落后计划 {{.Behind}}{{else}}实际 {{.Actual}}，对照 {{.Expected}}{{end}}`},
	{zhCN, KeyCleared, `{{.Subject}}：已恢复正常（{{.Rule}}）：实际 {{.Actual}}，对照 {{.Expected}}`},
	{zhCN, KeyMet, `{{.Subject}}：已达成，完成 {{.Actual}} / {{.Target}}{{if .Attainment}}（{{.Attainment}}）{{end}}`},
	{zhCN, KeyMissed, `{{.Subject}}：未达成，差 {{.Short}}，完成 {{.Actual}} / {{.Target}}{{if .Attainment}}（{{.Attainment}}）{{end}}`},
	{zhCN, KeyReviewRequest, `{{.Subject}}：请确认您的目标 {{.Target}}{{if .Due}}（截止 {{.Due}}）{{end}}，或提交您自己的承诺值并说明理由`},
	{zhCN, KeyReviewReminder, `{{.Subject}}：提醒：您的目标 {{.Target}} 尚待答复{{if .Due}}，截止 {{.Due}}{{end}}`},
	{zhCN, KeyAnswerReminder, `{{.Subject}}：{{.Unit}} 承诺 {{.Actual}}（目标 {{.Target}}），等待您的答复{{if .Due}}，截止 {{.Due}}{{end}}`},
}

// zhCN is Simplified Chinese as written in mainland China.
var zhCN = language.MustParse("zh-CN")

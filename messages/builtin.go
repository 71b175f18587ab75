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
	{language.English, KeyCovered, `{{.Subject}}: your team's alert covers this ({{.CoveredBy}}){{if .Behind}}; you are behind plan by {{.Behind}}{{if .PerDay}}, and {{.PerDay}} a working day catches up{{end}}{{end}}`},
	{language.English, KeyDigest, `{{.Unit}}, alerts of {{.Period}}{{if .Fired}} · {{.Fired}} new{{end}}{{if .Cleared}} · {{.Cleared}} back on track{{end}}{{if .MissedGoals}} · {{.MissedGoals}} missed{{end}}{{if .MetGoals}} · {{.MetGoals}} met{{end}}{{if .Firing}} · {{.Firing}} still firing{{end}}{{if .Covered}} · {{.Covered}} covered by your team's alert{{end}}`},
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
	{zhCN, KeyCovered, `{{.Subject}}：你所在团队的预警已涵盖此项（{{.CoveredBy}}）{{if .Behind}}；你落后计划 {{.Behind}}{{if .PerDay}}，剩余每个工作日需完成 {{.PerDay}} 才能追上{{end}}{{end}}`},
	{zhCN, KeyDigest, `{{.Unit}} {{.Period}} 预警汇总{{if .Fired}} · 新增 {{.Fired}} 条{{end}}{{if .Cleared}} · 已恢复正常 {{.Cleared}} 条{{end}}{{if .MissedGoals}} · 未达成 {{.MissedGoals}} 项{{end}}{{if .MetGoals}} · 已达成 {{.MetGoals}} 项{{end}}{{if .Firing}} · 仍在触发 {{.Firing}} 条{{end}}{{if .Covered}} · 团队预警已涵盖 {{.Covered}} 条{{end}}`},
	{zhCN, KeyReviewRequest, `{{.Subject}}：请确认您的目标 {{.Target}}{{if .Due}}（截止 {{.Due}}）{{end}}，或提交您自己的承诺值并说明理由`},
	{zhCN, KeyReviewReminder, `{{.Subject}}：提醒：您的目标 {{.Target}} 尚待答复{{if .Due}}，截止 {{.Due}}{{end}}`},
	{zhCN, KeyAnswerReminder, `{{.Subject}}：{{.Unit}} 承诺 {{.Actual}}（目标 {{.Target}}），等待您的答复{{if .Due}}，截止 {{.Due}}{{end}}`},
}

// zhCN is Simplified Chinese as written in mainland China.
var zhCN = language.MustParse("zh-CN")

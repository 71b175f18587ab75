// Package report renders a plan's progress as one self-contained HTML page:
// a burn-up of the actual against the plan's own curve with the days alerts
// fired, the funnel with each stage's conversion and its 95% interval, a
// units × periods attainment heat map, a leaderboard and the open alerts.
//
// The page carries everything inline — CSS and SVG charts, no scripts, no
// fonts, images or styles fetched from anywhere — so it can be mailed,
// archived or served as a file, and it reads the same without JavaScript.
// Labels come from a small catalogue in English and Simplified Chinese
// (zh-CN); numbers and money are formatted for the language with
// golang.org/x/text (¥151,463.00 in zh-CN, CN¥151,463.00 in English). The
// page's font stack names the common CJK fonts (PingFang SC, Microsoft
// YaHei, Noto Sans CJK SC, WenQuanYi Zen Hei) before the generic family, so
// Chinese renders as Chinese wherever one of them is installed.
//
// The input is Data, a plain value any host can fill from its own numbers;
// FromEngine fills it from a goalkit Engine for a plan and a day. Render
// checks Data and writes the page; it is deterministic (the same Data and
// language give the same bytes) and never reads a clock.
package report

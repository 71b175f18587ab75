package report

// catalogue holds a report's labels in one language. Plain tables, one per
// language, keep every label of a page side by side with its translation.
type catalogue struct {
	Lang        string // the page's lang attribute
	AsOf        string // "as of"
	Plan        string
	Burnup      string
	BurnupNote  string
	PlanCurve   string
	Actual      string
	AlertsFired string // legend of the alert markers
	FiredOn     string // marker title: "%s: %d alerts fired"
	Funnel      string
	FunnelNote  string
	Stage       string
	Entered     string
	Advanced    string
	Conversion  string
	Interval    string // "95% interval"
	Won         string
	Heatmap     string
	HeatmapNote string
	InProgress  string
	NoTarget    string
	Leaderboard string
	Rank        string
	Unit        string
	Target      string
	Attainment  string
	OpenAlerts  string
	NoAlerts    string
	Rule        string
	Subject     string
	Since       string
	None        string // the empty section
	Rules       map[string]string
}

var catalogueEN = catalogue{
	Lang:        "en",
	AsOf:        "as of",
	Plan:        "Plan",
	Burnup:      "Burn-up",
	BurnupNote:  "Cumulative actual against the plan's own curve; triangles mark the days alerts fired.",
	PlanCurve:   "Plan",
	Actual:      "Actual",
	AlertsFired: "Alerts fired",
	FiredOn:     "%s: %s alerts fired",
	Funnel:      "Funnel",
	FunnelNote:  "Deals that entered each stage in the period, and the share that moved on, with its 95% interval.",
	Stage:       "Stage",
	Entered:     "Entered",
	Advanced:    "Advanced",
	Conversion:  "Conversion",
	Interval:    "95% interval",
	Won:         "Won",
	Heatmap:     "Attainment by unit and period",
	HeatmapNote: "Actual ÷ target; a dashed cell is a period still in progress.",
	InProgress:  "in progress",
	NoTarget:    "no target",
	Leaderboard: "Leaderboard",
	Rank:        "#",
	Unit:        "Unit",
	Target:      "Target",
	Attainment:  "Attainment",
	OpenAlerts:  "Open alerts",
	NoAlerts:    "No alert is firing.",
	Rule:        "Alert",
	Subject:     "About",
	Since:       "Firing since",
	None:        "Nothing to show.",
	Rules: map[string]string{
		"pace":            "Behind pace",
		"linear_pace":     "Behind linear pace",
		"projected_miss":  "Projected to miss",
		"conversion_drop": "Conversion dropping",
		"volume_drop":     "Volume dropping",
		"stagnation":      "Deals stuck",
	},
}

var catalogueZH = catalogue{
	Lang:        "zh-CN",
	AsOf:        "截至",
	Plan:        "计划",
	Burnup:      "累计完成趋势",
	BurnupNote:  "累计实际完成与计划自身进度曲线的对比；三角标记为预警触发的日期。",
	PlanCurve:   "计划",
	Actual:      "实际",
	AlertsFired: "预警触发",
	FiredOn:     "%s：触发 %s 条预警",
	Funnel:      "销售漏斗",
	FunnelNote:  "本期进入各阶段的商机数，以及推进到下一阶段的比例和其 95% 置信区间。",
	Stage:       "阶段",
	Entered:     "进入",
	Advanced:    "推进",
	Conversion:  "转化率",
	Interval:    "95% 置信区间",
	Won:         "赢单",
	Heatmap:     "各单位各期完成率",
	HeatmapNote: "实际 ÷ 目标；虚线框为尚在进行中的时期。",
	InProgress:  "进行中",
	NoTarget:    "无目标",
	Leaderboard: "排行榜",
	Rank:        "名次",
	Unit:        "单位",
	Target:      "目标",
	Attainment:  "完成率",
	OpenAlerts:  "未解除的预警",
	NoAlerts:    "当前没有触发中的预警。",
	Rule:        "预警",
	Subject:     "对象",
	Since:       "触发时间",
	None:        "暂无数据。",
	Rules: map[string]string{
		"pace":            "进度落后",
		"linear_pace":     "落后于线性进度",
		"projected_miss":  "预计无法达成",
		"conversion_drop": "转化率下降",
		"volume_drop":     "活动量下降",
		"stagnation":      "商机停滞",
	},
}

// ruleName is the rule's label, or its key when the catalogue has none.
func (c *catalogue) ruleName(key string) string {
	if s, ok := c.Rules[key]; ok {
		return s
	}
	return key
}

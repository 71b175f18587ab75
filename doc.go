// Package goalkit is an embeddable engine for sales goal management: it turns
// a target into exact targets over the org tree and over time, derives the
// process targets a funnel needs, tracks actuals as they arrive, and warns
// early when a rep, a team or a funnel stage goes off plan. A CRM, an ERP or
// a test suite imports it; there is no server to run.
//
// # The packages
//
// The domain lives in four pure packages that do no I/O and read no clock:
//
//   - goal: metrics, calendars and half-open periods (fiscal years, ISO or
//     custom weeks, working days, holidays and make-up days), the org tree,
//     exact allocation by the largest-remainder method, decomposition of a
//     target over units and time by even, weighted, historical, capacity or
//     seasonal rules, and re-planning of what remains.
//   - funnel: stages, conversion and stage durations measured from deal
//     histories by cohort, the reverse funnel from revenue targets to the
//     leads, opportunities and activities each period needs, weighted
//     pipeline and stalled deals.
//   - kpi: facts (idempotent by key, with split credit), an in-memory ledger
//     that rolls actuals up the org tree, KPI definitions, and a goal's status:
//     attainment, time progress, gap, required run-rate and projections.
//   - alert: statistical detectors calibrated by false-alarm rate, the rules
//     that turn statuses into alert samples, and a Prometheus-style alert
//     lifecycle with silences, inhibition, escalation and a Notifier hook.
//   - messages: notifications worded from templates in English and Chinese,
//     with locale-aware money and numbers; hosts override any template.
//
// Package storage holds the store interfaces; storage/memory and
// storage/sqlstore (SQLite and PostgreSQL on the host's *sql.DB) implement
// them, and storage/storagetest is the conformance suite they pass.
//
// # The Engine
//
// This package's Engine is the thin shell that ties them to a store for one
// tenant: keep the org (SetOrg, or EditOrg to add, move and deactivate units
// with history; every engine on the store sees the same org), decompose and
// re-plan, ingest facts and deals, read
// any goal's status, evaluate the alert rules as of a date and deliver the
// notifications through the host's Notifier. Every write is one transaction;
// notifications go through an outbox written with the alert state, so none is
// lost and each carries a stable key for de-duplication. Deliver words each
// notification for its recipient (Config.Messages, package messages): plain
// words in the recipient's language (English unless configured; zh-CN
// built in) with money as that language writes it, the rule's statistics
// kept as details, and a goal whose period ended said to be met or missed.
//
// By default every notification is sent on its own, as the lifecycle raises
// it. With Config.Grouping (&alert.Grouping{} is the recommended setting)
// each recipient gets one digest per evaluation instead, and only when
// something changed: what fired, what cleared and what is still firing, each
// alert with its stable key. Inhibition stays (a rep's alert is muted while
// his team's fires), but the muted rep's own alert is still in his digest,
// said as "your team's alert covers this" (你所在团队的预警已涵盖此项). A
// Notifier that implements alert.DigestNotifier receives the digests; any
// other receives the notifications they carry, one by one. Rules choose the
// goals they judge by selection (Rules.Goals, alert.Selection): pace on
// monthly revenue, a projected miss only on quarters; the most specific
// selection wins.
//
// Start with examples/quickstart (go run ./examples/quickstart).
package goalkit

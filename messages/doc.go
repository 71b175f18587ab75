// Package messages words alert notifications for the people who read them,
// in their own language.
//
// A notification carries figures (what was observed, what the plan expected,
// the target) and the rule's own sentence with its statistics (z scores,
// thresholds). People act on plain words first: "wang revenue 2026-Q3:
// behind plan by ¥12,300.00; needs ¥4,100.00 a working day to catch up".
// A Catalog holds one text/template per Key and language; Render picks the
// best language for a recipient (golang.org/x/text/language matching, falling
// back to English), formats money and numbers for it (¥151,463.00 in Chinese,
// CN¥151,463.00 in English, grouped digits in both) and runs the template
// over a Data of formatted fields. The statistics stay apart, in
// Data.Details, for a second line.
//
// The built-in catalogue speaks English and Chinese (zh-CN). A host
// overrides any template, or adds a language, with Templates passed to
// NewCatalog; goalkit.Config.Messages passes them to the engine.
//
// When a goal's period has ended, its alert does not "resolve": the outcome
// is said as such, met or missed by how much (KeyMet, KeyMissed).
//
// A digest (one message per recipient and evaluation) opens with a line of
// counts (KeyDigest: new, back on track, missed, met, still firing,
// covered), and a rep's alert muted by his team's firing alert is said as
// covered by it (KeyCovered) rather than left out.
//
// A Catalog is immutable once built and safe for concurrent use.
package messages

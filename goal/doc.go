// Package goal turns a sales target into exact targets per org unit and per
// period, and keeps them exact when managers edit them and when the year
// moves on. It is pure computation: no I/O, no clock, no context, no globals.
//
// # Metrics
//
// A [Metric] says what is measured — an amount of money in one currency
// (合同金额, 回款金额), a count of events (calls, visits, deals won) or any
// other quantity — how many decimal places its values have (2 for most
// currencies, 0 for counts) and whether more is better. Values are
// decimal.Decimal and are never rounded silently: a value with more places
// than its metric allows is rejected ([Metric.CheckValue]); trailing zeros
// ("1.500" for 2 places) are fine.
//
// # Input limits
//
// Every goalkit package and store takes the same input, so that a value one
// store accepts no other refuses: identifiers (IDs, keys, metric keys,
// currencies, stages, label keys) of at most [MaxIDLen] = 512 bytes and free
// text (names, period labels, reasons, label values) of at most
// [MaxTextLen] = 4096 bytes, both valid UTF-8 without NUL bytes
// ([TextProblem]); days from [FirstDate] to [LastDate] (years 0001..9999);
// decimals whose exponent is within ±[MaxExponent] = 1000 ([CheckDecimal]),
// so that no conversion ever builds a number of billions of digits.
//
// # Calendars and half-open periods
//
// A [Period] is a half-open date range [Start, End) of one [Grain]: day,
// week, month, quarter, half or year, or an arbitrary Range. Because End is
// excluded, periods of one grain tile time without gaps or overlaps: a fact
// dated on the 1st of a month belongs to that month only ([Period.Contains]).
// Days are date.Date values (github.com/rickb777/date/v2); months and years
// are built from day 1, never by adding months to an arbitrary day.
//
// A [Calendar], built once with [NewCalendar] from a [CalendarConfig], decides
// how dates group into periods:
//
//   - the fiscal year may start in any month and be named by the calendar
//     year it ends in (a year from 1 April 2025 is FY2026, the default) or
//     starts in (FY2025); halves and quarters follow the fiscal year, months
//     are always calendar months;
//   - weeks are ISO 8601 weeks (Monday first, week 1 holds the year's first
//     Thursday, so 2021-01-01 is in 2020-W53) or weeks that start on any
//     weekday with week 1 holding 1 January;
//   - working days are the workweek's weekdays, less public holidays, plus
//     make-up working days on days otherwise off (China's 调休).
//
// [Calendar.PeriodOf] gives the period of a grain that holds a day,
// [Calendar.Split] cuts a period into finer ones (clipping partial weeks at a
// month's ends), [Calendar.Next] and [Calendar.Prev] step through time, and
// [Calendar.WorkingDays] counts working days in O(log h) for h holidays.
// Every period has a label that [Calendar.Parse] turns back into the period:
// "2026", "FY2026", "FY2026-H1", "2026-Q3", "2026-03", "2026-W09",
// "2026-03-15" and "[2026-01-01,2026-02-01)". On a calendar whose fiscal
// year does not start in January, labels with "FY" name fiscal years, halves
// and quarters and labels without it calendar ones.
//
// # The org tree
//
// An [Org] is a validated forest of [Unit] values — company → region → team
// → rep (公司 → 部门 → 员工), or whatever kinds the host uses. [NewOrg]
// rejects empty and duplicate IDs, unknown parents, cycles and inverted
// active ranges, naming the unit at fault; parents may be listed after their
// children. Traversals ([Org.Children], [Org.Descendants], [Org.Leaves],
// [Org.Ancestors]) are deterministic: children in input order, depth-first
// pre-order. Units are numbered densely ([Org.Index], [Org.At]) for hot
// paths. A unit may join or leave mid-period; [Unit.ActiveDays] says for how
// many days of a period it is active, so its share can fit.
//
// # Goals and plans that sum exactly
//
// A [Goal] is a target (with an optional stretch 挑战值 and floor 保底值) for
// one metric, unit and period. A [Plan] is a tree of goals in which every
// parent is the exact sum of its children, to the minor unit: splitting
// 100.00 three ways gives 33.34, 33.33 and 33.33, never 33.33 three times
// with a cent lost, and never "the remainder to December". [NewPlan]
// validates a plan; [Plan.SetTarget] edits one target by hand, as a manager
// edits a cell; [Plan.Check] then reports every parent whose children no
// longer sum to it, with the unallocated (or over-allocated) difference.
//
// # Decomposition by rules
//
// [Allocate] is the arithmetic core: it splits a total in proportion to
// weights by the largest-remainder method in minor units, honouring locked
// shares and minimum and maximum bounds, so the parts always sum exactly.
// [Decompose] builds a whole plan from a [Spec]: the root unit's target over
// a period goes down the org tree by a [UnitRule] per level (even, weighted,
// by history, by capacity) and then over time by a [TimeRule] (calendar days
// or working days, optionally weighted by a seasonal [Profile] learned with
// [LearnMonthly]), with locks and bounds on any goal.
//
// # Re-planning
//
// As periods close, actuals replace plans. [Replan] never rewrites the past:
// closed periods keep their targets, and the gap between a parent's target
// and what the closed periods achieved is spread over the open ones
// ([CatchUp]) or only reported ([Absorb]).
//
// # Errors and concurrency
//
// Every error matches one of [ErrInvalid], [ErrNotFound] or [ErrInfeasible]
// with errors.Is; input errors are a *[ValidationError] that says which
// field and value were wrong and what to do instead. Calendar and Org are
// immutable and safe for concurrent use; a Plan is a value owned by its
// caller.
package goal

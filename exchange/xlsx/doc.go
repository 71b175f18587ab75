// Package xlsx writes a goal plan as an Excel workbook a manager edits, and
// reads the edited workbook back as a preview of what would change before
// anything is saved. It is a package of its own so that hosts that never
// touch Excel do not import github.com/xuri/excelize/v2.
//
// # The workbook
//
// [Write] lays a plan out with one sheet an org level: the plan's top unit
// on the first sheet, the units it was split to on the second, and so on
// (a unit's level is how many units its goals descend from in the plan).
// A sheet is named after the level's unit kind ("region", "rep") when its
// units share one, else "level N". Each sheet has units down and periods
// across, the longest periods first:
//
//	A: id (hidden; never edit it)  B: unit  C: parent  D…: 2026, 2026-Q1, …, 2026-01, …
//
// A cell is the unit's target for the period, as a number in the metric's
// places; a target of more than 15 significant digits, more than a
// spreadsheet number keeps, is written as text so it stays exact. The
// last row is "Total": a SUM formula over each period column, written with
// its value cached, so a spreadsheet shows it before it recalculates and
// updates it as cells are edited. The total of a level is comparable with
// the level above; the parent that no longer matches its children is named
// in the preview. A hidden sheet "goalkit" keeps the plan's ID, version and
// metric.
//
// # Reading an edited workbook
//
// [Read] streams each sheet's rows (excelize's Rows iterator; the zip
// container itself is read into memory, as any .xlsx reader must) and
// returns an exchange.Edit: the edited copy of the plan, the changed
// targets (goal.Diff) and the parents out of balance (goal.Plan.Check).
// The plan passed in is never changed. Every bad cell is reported at once
// in a [*WorkbookError] (matching exchange.ErrInvalid): its sheet, its cell
// reference ("rep!E7"), the text and the fix. A workbook exported from an
// older version of the plan fails with storage.ErrConflict instead of
// silently undoing the changes made since.
//
// Spreadsheets store numbers as doubles and may write 1234.5599999999999
// for 1234.56: a value with more places than the metric is taken as the
// number with the metric's places that has the same double, and is an
// error only when no such number exists.
//
// [Export] and [Import] bind this to a goalkit.Engine: Import previews,
// refuses an edit that leaves parents out of balance unless told to keep
// it, and saves the edited plan as an update of the version exported.
package xlsx

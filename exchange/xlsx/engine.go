package xlsx

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/goal"
)

// Export writes the stored plan planID of e as a workbook to w, with the
// names and kinds of e's org.
func Export(ctx context.Context, e *goalkit.Engine, w io.Writer, planID string) error {
	p, err := e.Plan(ctx, planID)
	if err != nil {
		return fmt.Errorf("xlsx: export: %w", err)
	}
	return Write(w, p, e.Org())
}

// Options tune Import; nil means the defaults.
type Options struct {
	// File names the workbook in errors.
	File string
	// DryRun reads and checks the workbook and returns the preview
	// without saving anything.
	DryRun bool
	// KeepUnbalanced saves an edit that leaves parents whose children no
	// longer sum to them; by default such an edit fails with an
	// *UnbalancedError and nothing is saved.
	KeepUnbalanced bool
	// Change says who made the edit and why, for the plan's audit.
	Change goalkit.Change
}

// Import reads an edited workbook of the stored plan planID from r and,
// unless o.DryRun, saves the edited plan (Engine.SavePlan, as an update of
// the version the workbook was exported from). It returns the preview:
// the changed targets and the parents out of balance, with Edit.Plan at
// its new version when it was saved. A workbook with bad cells fails with
// a *WorkbookError, one exported before the plan last changed with
// storage.ErrConflict, and an unbalanced edit with an *UnbalancedError
// unless o.KeepUnbalanced; in every case nothing is saved. A workbook
// without changes saves nothing.
func Import(ctx context.Context, e *goalkit.Engine, r io.Reader, planID string, o *Options) (exchange.Edit, error) {
	var v Options
	if o != nil {
		v = *o
	}
	p, err := e.Plan(ctx, planID)
	if err != nil {
		return exchange.Edit{}, fmt.Errorf("xlsx: import %s: %w", fileName(v.File), err)
	}
	edit, err := Read(r, v.File, p)
	if err != nil {
		return exchange.Edit{}, err
	}
	if len(edit.Unbalanced) > 0 && !v.KeepUnbalanced {
		return edit, &UnbalancedError{Plan: planID, Unbalanced: edit.Unbalanced}
	}
	if v.DryRun || len(edit.Changes) == 0 {
		return edit, nil
	}
	version, err := e.SavePlan(ctx, edit.Plan, v.Change)
	if err != nil {
		return exchange.Edit{}, fmt.Errorf("xlsx: import %s: %w", fileName(v.File), err)
	}
	edit.Plan.Version = version
	return edit, nil
}

// UnbalancedError is an edit that leaves parents whose children do not
// sum to them; it matches exchange.ErrInvalid.
type UnbalancedError struct {
	Plan       string
	Unbalanced []goal.Discrepancy
}

// Error names the first parents out of balance and the fix.
func (e *UnbalancedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "xlsx: the edit leaves %d parent goal(s) of plan %q out of balance", len(e.Unbalanced), e.Plan)
	for i, d := range e.Unbalanced {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(e.Unbalanced)-5)
			break
		}
		fmt.Fprintf(&b, "; %s: target %s, children sum to %s", d.Goal, d.Target, d.ChildrenSum)
	}
	b.WriteString("; make the children sum to their parent, or keep the imbalance on purpose (Options.KeepUnbalanced)")
	return b.String()
}

// Unwrap makes an UnbalancedError match exchange.ErrInvalid.
func (e *UnbalancedError) Unwrap() error { return exchange.ErrInvalid }

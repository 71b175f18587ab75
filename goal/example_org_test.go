package goal_test

import (
	"fmt"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/goalkit/goalkit/goal"
)

// An org of a company, two regions and their reps; parents may be listed
// after their children. Leaves are the units targets end up on.
func ExampleNewOrg() {
	org, err := goal.NewOrg([]goal.Unit{
		{ID: "acme", Kind: "company", Name: "ACME 公司"},
		{ID: "east", Parent: "acme", Kind: "region", Name: "华东"},
		{ID: "li", Parent: "east", Kind: "rep", Name: "李雷"},
		{ID: "han", Parent: "east", Kind: "rep", Name: "韩梅梅", ActiveFrom: date.New(2026, time.July, 1)},
		{ID: "wang", Parent: "south", Kind: "rep", Name: "王芳"},
		{ID: "south", Parent: "acme", Kind: "region", Name: "华南"},
	})
	if err != nil {
		panic(err)
	}
	leaves, _ := org.Leaves("acme")
	year := [2]date.Date{date.New(2026, time.January, 1), date.New(2027, time.January, 1)}
	for _, u := range leaves {
		up, _ := org.Ancestors(u.ID)
		fmt.Printf("%-5s %s, under %s, active %d days of 2026\n", u.ID, u.Name, up[0].Name, u.ActiveDays(year[0], year[1]))
	}
	fmt.Println(org.IsAncestor("acme", "wang"), org.IsAncestor("east", "wang"))

	_, err = goal.NewOrg([]goal.Unit{{ID: "a", Parent: "b"}, {ID: "b", Parent: "a"}})
	fmt.Println(err)
	// Output:
	// li    李雷, under 华东, active 365 days of 2026
	// han   韩梅梅, under 华东, active 184 days of 2026
	// wang  王芳, under 华南, active 365 days of 2026
	// true false
	// goal: invalid unit "a": it is its own ancestor (parent chain a → b → a); the org must be a tree
}

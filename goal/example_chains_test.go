package goal_test

import (
	"fmt"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/goalkit/goalkit/goal"
)

// Rep bo moved from team north to team south on March 1: a fact credited to
// bo in February counts for north, one in March for south. A store of its
// own asks Chains which subtree totals a fact counts in.
func ExampleChains() {
	day := func(m, d int) date.Date { return date.New(2026, time.Month(m), d) }
	org, err := goal.NewOrg([]goal.Unit{
		{ID: "co"},
		{ID: "north", Parent: "co"},
		{ID: "south", Parent: "co"},
		{ID: "bo", Parent: "south", Earlier: []goal.Tenure{{Parent: "north", Until: day(3, 1)}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := org.Chains()
	bo, _ := c.Index("bo")
	fmt.Println(c.AncestorIDs(bo, day(2, 10)), c.AncestorIDs(bo, day(3, 10)), c.Dated(bo))
	north, _ := c.Index("north")
	fmt.Println(c.AncestorIDs(north, day(2, 10)), c.Internal(north))
	// Output:
	// [north co] [south co] true
	// [co] true
}

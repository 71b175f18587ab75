package goal_test

import (
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

func ExampleAllocateTable() {
	d := decimal.RequireFromString
	// Regions × product lines: each region's target and each product
	// line's company target are given; last year's sales are the seed.
	cells, err := goal.AllocateTable(goal.Table{
		Rows: []decimal.Decimal{d("600000.00"), d("400000.00")}, // North, South
		Cols: []decimal.Decimal{d("500000.00"), d("300000.00"), d("200000.00")},
		Seed: [][]decimal.Decimal{
			{d("210000"), d("150000"), d("40000")}, // North's history
			{d("190000"), d("60000"), d("0")},      // South never sold services
		},
		Places: 2,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("region   hardware    software    services")
	for i, region := range []string{"North", "South"} {
		fmt.Printf("%-5s", region)
		for _, v := range cells[i] {
			fmt.Printf(" %11s", v.StringFixed(2))
		}
		fmt.Println()
	}
	// Output:
	// region   hardware    software    services
	// North   212361.64   187638.36   200000.00
	// South   287638.36   112361.64        0.00
}

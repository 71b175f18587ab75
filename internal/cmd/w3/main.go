// Command w3 reproduces workload W3 of BENCHMARKS.md, detection quality: it simulates the
// seeded streams A1 (team conversion, n ~ Poisson(40), p 0.20 → 0.14 after 52 in-control
// periods), A2 (rep conversion, n ~ Poisson(10), same drop) and B1 (activities, Poisson(10) →
// Poisson(7)), runs the fixed CRM rules and the alert package's statistical detectors
// (calibrated to an in-control ARL of 200) on them, and prints a markdown table of false alarms
// per 1,000 in-control periods and delays after the drop, next to the reference figures.
//
// Usage:
//
//	go run ./internal/cmd/w3 [-reps 20000] [-calreps N] [-seed 1]
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	var cfg Config
	flag.IntVar(&cfg.Reps, "reps", 20000, "simulated streams per detector")
	flag.IntVar(&cfg.CalReps, "calreps", 0, "in-control runs per calibration (0: same as -reps)")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	flag.Float64Var(&cfg.TargetARL, "arl", 200, "in-control ARL the statistical detectors are calibrated to")
	flag.Parse()
	start := time.Now()
	report, err := Run(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(report.Markdown())
	fmt.Printf("\n(%s)\n", time.Since(start).Round(time.Millisecond))
}

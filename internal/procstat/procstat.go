// Package procstat reads what the benchmark commands report about their own
// process: CPU time and peak resident memory.
package procstat

import (
	"bufio"
	"os"
	"strings"
	"syscall"
	"time"
)

// CPUTime returns the user plus system CPU time the process has used, or 0
// where the system cannot tell.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PeakRSS returns the process's peak resident set size as /proc/self/status
// prints it (VmHWM, e.g. "703452 kB"), or "n/a" where there is none.
func PeakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "n/a"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "n/a"
}

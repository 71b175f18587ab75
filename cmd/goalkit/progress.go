package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit/exchange"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// countingFile counts the bytes read from a file since it was last
// rewound, for a progress bar over a file of known size.
type countingFile struct {
	*os.File
	n atomic.Int64
}

func (f *countingFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.n.Add(int64(n))
	return n, err
}

func (f *countingFile) Seek(off int64, whence int) (int64, error) {
	pos, err := f.File.Seek(off, whence)
	if err == nil {
		f.n.Store(pos)
	}
	return pos, err
}

// bar draws an import's progress on one terminal line:
//
//	facts.csv [##########----------]  50%  500,000 rows  250,000/s
type bar struct {
	w    io.Writer
	name string
	file *countingFile
	size int64
	done bool
}

const barWidth = 20

func (b *bar) update(p exchange.Progress) {
	share := 0.0
	if b.size > 0 {
		share = min(1, float64(b.file.n.Load())/float64(b.size))
	}
	n := int(share * barWidth)
	rate := 0.0
	if s := p.Elapsed.Seconds(); s > 0 {
		rate = float64(p.Rows) / s
	}
	fmt.Fprintf(b.w, "\r%s [%s%s] %3.0f%%  %s rows  %s/s ", b.name, strings.Repeat("#", n), strings.Repeat("-", barWidth-n),
		share*100, thousands(int64(p.Rows)), thousands(int64(rate)))
	b.done = true
}

// finish ends the bar's line.
func (b *bar) finish() {
	if b.done {
		fmt.Fprintln(b.w)
	}
}

// thousands writes n with thousands separators (1,000,000).
func thousands(n int64) string { return message.NewPrinter(language.English).Sprint(n) }

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// elapsed formats a duration for a summary line.
func elapsed(d time.Duration) string { return d.Round(time.Millisecond).String() }

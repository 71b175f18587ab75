package alert

import "sync"

// Calibrator calibrates detectors like Calibrate and remembers the results, so asking again for
// the same design, target and options costs a map lookup. Concurrent requests for the same key
// wait for one computation. Errors are not remembered.
//
// The zero value is ready to use. A Calibrator is safe for concurrent use and must not be copied
// after first use. Its memory grows with the number of distinct designs asked for; hold one per
// engine (or per tenant) rather than one per request.
type Calibrator struct {
	mu      sync.Mutex
	done    map[calibrationKey]Calibration
	pending map[calibrationKey]*pendingCalibration
}

// calibrationKey identifies one calibration. Designs are comparable structs of numbers; they are
// validated (no NaN) and defaulted before keying, so equal designs meet.
type calibrationKey struct {
	design Design
	target float64
	opts   CalibrateOptions
}

// pendingCalibration is a calibration in progress; ready is closed when it ends.
type pendingCalibration struct {
	ready chan struct{}
	cal   Calibration
	err   error
}

// Calibrate is the remembering form of the package-level Calibrate.
func (c *Calibrator) Calibrate(d Design, targetARL float64, opts *CalibrateOptions) (Calibration, error) {
	if d == nil {
		return Calibration{}, invalid("Design", "is nil; pass a CUSUMDesign, EWMADesign or BetaBinomialDesign")
	}
	if err := d.Validate(); err != nil {
		return Calibration{}, err
	}
	o, err := opts.resolve(targetARL)
	if err != nil {
		return Calibration{}, err
	}
	key := calibrationKey{design: d.withDefaults(), target: targetARL, opts: o}

	c.mu.Lock()
	if cal, ok := c.done[key]; ok {
		c.mu.Unlock()
		return cal, nil
	}
	if p, ok := c.pending[key]; ok {
		c.mu.Unlock()
		<-p.ready
		return p.cal, p.err
	}
	p := &pendingCalibration{ready: make(chan struct{})}
	if c.pending == nil {
		c.pending = make(map[calibrationKey]*pendingCalibration)
	}
	c.pending[key] = p
	c.mu.Unlock()

	p.cal, p.err = calibrate(key.design, targetARL, o)

	c.mu.Lock()
	delete(c.pending, key)
	if p.err == nil {
		if c.done == nil {
			c.done = make(map[calibrationKey]Calibration)
		}
		c.done[key] = p.cal
	}
	c.mu.Unlock()
	close(p.ready)
	return p.cal, p.err
}

// len returns the number of calibrations remembered.
func (c *Calibrator) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.done)
}

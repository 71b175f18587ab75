package sqlstore

import (
	"context"
	"sync"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/rollup"
)

// orgCache keeps the tenant's units and their roll-up org as of one org
// version, so that a SumMany over subtrees reads one version row instead
// of every unit while the org is unchanged (reading and indexing the units
// was about 40% of a status read at W1's 1,097 units). Only a read
// transaction fills it: its snapshot holds committed rows, and every org
// write commits a new version (bumpOrg), so a version names one set of
// units for good. A write transaction may use it (a version it bumped
// itself is above every committed one, so it misses) but never fills it.
type orgCache struct {
	mu      sync.Mutex
	version int64
	units   []goal.Unit
	org     *rollup.Org // nil until filled
}

// rollupOrg returns the tenant's units, in stored order, and their roll-up
// org, from the cache when it holds t's org version. Neither is to be
// changed.
func (t *tx) rollupOrg(ctx context.Context) ([]goal.Unit, *rollup.Org, error) {
	v, err := t.orgVersion(ctx)
	if err != nil {
		return nil, nil, err
	}
	c := t.s.orgs
	c.mu.Lock()
	units, org, hit := c.units, c.org, c.org != nil && c.version == v
	c.mu.Unlock()
	if hit {
		return units, org, nil
	}
	if units, err = t.readUnits(ctx); err != nil {
		return nil, nil, err
	}
	if org, err = rollup.NewOrg(units, nil); err != nil {
		return nil, nil, err
	}
	if t.read {
		c.mu.Lock()
		c.version, c.units, c.org = v, units, org
		c.mu.Unlock()
	}
	return units, org, nil
}

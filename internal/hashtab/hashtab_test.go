package hashtab

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// Property: after any sequence of inserts and deletes (colliding hashes
// included), Find agrees with a map, and Len with its size.
func TestTableAgreesWithAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	tab := New(0)
	want := map[uint32]uint64{}                                                // record → hash
	hashOf := func(n uint32) uint64 { return uint64(n%97)<<40 | uint64(n%13) } // few distinct hashes: long probe chains
	for n := uint32(0); n < 5000; n++ {
		h := hashOf(n)
		_, slot, found := tab.Find(h, func(m uint32) bool { return m == n })
		require.False(t, found)
		tab.Insert(slot, h, n)
		want[n] = h
		if r.IntN(3) == 0 { // delete a random earlier record
			d := uint32(r.IntN(int(n) + 1))
			if hd, ok := want[d]; ok {
				tab.Delete(hd, d)
				delete(want, d)
			}
		}
	}
	require.Equal(t, len(want), tab.Len())
	for n := uint32(0); n < 5000; n++ {
		got, _, found := tab.Find(hashOf(n), func(m uint32) bool { return m == n })
		_, ok := want[n]
		require.Equal(t, ok, found, "record %d", n)
		if found {
			require.Equal(t, n, got)
		}
	}
	tab.Delete(hashOf(1), 1_000_000) // absent: nothing happens
	require.Equal(t, len(want), tab.Len())
}

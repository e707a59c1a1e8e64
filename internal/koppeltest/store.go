package koppeltest

import (
	"context"
	"errors"
	"sync/atomic"

	"koppel/internal/koppel"
)

// ErrStoreFailed is what a CountingStore answers while Fail is set.
var ErrStoreFailed = errors.New("disk gone")

// CountingStore is a Store that counts its reads (View) and, among them,
// the reads of every connection (ConnectionListings), and fails every read
// while Fail is set: for tests of what reads when.
type CountingStore struct {
	koppel.Store
	Views    atomic.Int32
	Listings atomic.Int32
	Fail     atomic.Bool
}

func (s *CountingStore) View(ctx context.Context, fn func(koppel.Tx) error) error {
	s.Views.Add(1)
	if s.Fail.Load() {
		return ErrStoreFailed
	}
	return s.Store.View(ctx, func(tx koppel.Tx) error { return fn(countingTx{tx, s}) })
}

type countingTx struct {
	koppel.Tx
	s *CountingStore
}

func (t countingTx) ConnectionListings() ([]koppel.ConnectionListing, error) {
	t.s.Listings.Add(1)
	return t.Tx.ConnectionListings()
}

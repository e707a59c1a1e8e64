package psbapi

import (
	"context"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"koppel/internal/koppel"
)

// touchEvery is how often at most a connection's "last used" time is
// written: the API records use without a database write per request.
const touchEvery = time.Minute

// toucher coalesces "last used" updates and writes them off the request
// path.
type toucher struct {
	conns Connections
	log   *logrus.Logger
	queue chan int64
	now   koppel.Clock
	last  sync.Map // connection id → when last queued, Unix nanoseconds
}

func newToucher(conns Connections, now koppel.Clock, log *logrus.Logger) *toucher {
	return &toucher{conns: conns, log: log, now: now, queue: make(chan int64, 256)}
}

// used notes that connection id was used; at most once per touchEvery it
// queues a write. It never blocks: with the queue full the use is noted
// the next time.
func (t *toucher) used(id int64) {
	now := t.now().UnixNano()
	last, ok := t.last.Load(id)
	if ok && now-last.(int64) < int64(touchEvery) {
		return
	}
	if ok && !t.last.CompareAndSwap(id, last, now) {
		return // another request queues it
	}
	if !ok {
		if _, raced := t.last.LoadOrStore(id, now); raced {
			return
		}
	}
	select {
	case t.queue <- id:
	default:
		t.last.Delete(id) // queue full: note it the next time
	}
}

// run writes queued updates until ctx ends, then writes what is left.
func (t *toucher) run(ctx context.Context) {
	for {
		select {
		case id := <-t.queue:
			t.write(id)
		case <-ctx.Done():
			for {
				select {
				case id := <-t.queue:
					t.write(id)
				default:
					return
				}
			}
		}
	}
}

func (t *toucher) write(id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := t.conns.Touch(ctx, id); err != nil {
		t.log.WithError(err).WithField("connection", id).Warn("could not record the connection's last use")
	}
}

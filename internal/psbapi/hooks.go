package psbapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"koppel/internal/documents"
	"koppel/internal/koppel"
)

// Webhook delivery: each new offer (re-offers included) is announced with
// an InvoiceReceived POST to the hooks its connection registered for the
// organization. Delivery runs off the request path, through bounded queues:
// when they are full, announcements are dropped (and logged) rather than
// slowing imports down; the offers themselves stay and can be polled.
const (
	topicPing       = "Ping"
	hookAttempts    = 5 // tries per delivery; waits double from Config.HookRetry
	hookTimeout     = 5 * time.Second
	hookQueueSize   = 1024
	hookWorkers     = 4
	maxHookResponse = 64 << 10
)

// hookEvent is the JSON body of a delivery.
type hookEvent struct {
	Topic      string `json:"topic"`
	PartyID    string `json:"partyId"`
	DocumentID int64  `json:"documentId,omitempty"`
	Number     string `json:"number,omitempty"`
}

type delivery struct {
	url     string
	body    []byte
	attempt int
}

type hookQueue struct {
	s      *Server
	retry  time.Duration
	client *http.Client

	offers     chan documents.OfferedEvent
	deliveries chan *delivery
	dropped    atomic.Int64 // announcements and deliveries that found the queue full

	mu      sync.Mutex
	stopped bool
	timers  map[*time.Timer]struct{}
}

func newHookQueue(s *Server, retry time.Duration) *hookQueue {
	dialer := &net.Dialer{Timeout: hookTimeout, Control: loopbackOnly}
	return &hookQueue{
		s:     s,
		retry: retry,
		client: &http.Client{
			Timeout:   hookTimeout,
			Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil, MaxIdleConnsPerHost: 4},
			// A redirect could lead off this computer; deliveries do not follow.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		offers:     make(chan documents.OfferedEvent, hookQueueSize),
		deliveries: make(chan *delivery, hookQueueSize),
		timers:     map[*time.Timer]struct{}{},
	}
}

// OnOffered announces a new offer to the connection's hooks. It never
// blocks: assign it to documents.Service.OnOffered.
func (s *Server) OnOffered(ev documents.OfferedEvent) {
	select {
	case s.hooks.offers <- ev:
	default:
		s.hooks.drop(logrus.Fields{"connection": ev.ConnectionID, "document": ev.DocumentID})
	}
}

// drop notes a delivery that found its queue full; the log hears of the
// 1st, 2nd, 4th, 8th… so a flood cannot flood it.
func (q *hookQueue) drop(fields logrus.Fields) {
	if n := q.dropped.Add(1); n&(n-1) == 0 {
		fields["dropped"] = n
		q.s.log.WithFields(fields).Warn("webhook queue full; a delivery was dropped")
	}
}

// run resolves offers into deliveries and delivers them until ctx ends.
func (q *hookQueue) run(ctx context.Context) {
	var wg sync.WaitGroup
	for range hookWorkers {
		wg.Add(1)
		go func() { defer wg.Done(); q.deliver(ctx) }()
	}
	for {
		select {
		case <-ctx.Done():
			q.mu.Lock()
			q.stopped = true
			for t := range q.timers {
				t.Stop()
			}
			q.mu.Unlock()
			wg.Wait()
			q.client.CloseIdleConnections()
			return
		case ev := <-q.offers:
			batch := []documents.OfferedEvent{ev}
			for more := true; more && len(batch) < hookQueueSize; {
				select {
				case ev := <-q.offers:
					batch = append(batch, ev)
				default:
					more = false
				}
			}
			q.resolve(ctx, batch)
		}
	}
}

// resolve turns a batch of offers into deliveries: one look at each
// connection and organization's hooks and ready offers, however many
// documents the batch holds (an import offers thousands at once).
func (q *hookQueue) resolve(ctx context.Context, batch []documents.OfferedEvent) {
	docs := q.s.cfg.Documents
	if docs == nil {
		return
	}
	type target struct{ conn, org int64 }
	groups := map[target][]documents.OfferedEvent{}
	for _, ev := range batch {
		k := target{ev.ConnectionID, ev.OrganizationID}
		groups[k] = append(groups[k], ev)
	}
	for k, evs := range groups {
		hooks, err := docs.Hooks(ctx, k.conn, k.org)
		if err != nil {
			q.s.log.WithError(err).WithField("connection", k.conn).Warn("webhooks: could not read the hooks")
			continue
		}
		var urls []string
		for _, h := range hooks {
			if h.Topic == koppel.HookTopicInvoiceReceived {
				urls = append(urls, h.URL)
			}
		}
		if len(urls) == 0 {
			continue
		}
		numbers := map[int64]string{}
		for _, dir := range []koppel.DocumentDirection{koppel.Purchase, koppel.Sales} {
			if !slices.ContainsFunc(evs, func(ev documents.OfferedEvent) bool { return ev.Direction == dir }) {
				continue
			}
			offers, err := docs.ReadyOffers(ctx, k.conn, k.org, dir)
			if err != nil {
				q.s.log.WithError(err).WithField("connection", k.conn).Warn("webhooks: could not read the offers")
			}
			for _, o := range offers {
				numbers[o.DocumentID] = o.Number
			}
		}
		for _, ev := range evs {
			body, _ := json.Marshal(hookEvent{Topic: koppel.HookTopicInvoiceReceived, PartyID: string(ev.PartyID),
				DocumentID: ev.DocumentID, Number: numbers[ev.DocumentID]})
			for _, u := range urls {
				q.enqueue(&delivery{url: u, body: body})
			}
		}
	}
}

// enqueue queues d for a worker, or drops it when the queue is full.
func (q *hookQueue) enqueue(d *delivery) {
	select {
	case q.deliveries <- d:
	default:
		q.drop(logrus.Fields{"hook": hookTarget(d.url)})
	}
}

// deliver posts queued deliveries until ctx ends; a failed one is tried
// again later, with a doubling wait, up to hookAttempts times.
func (q *hookQueue) deliver(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case d := <-q.deliveries:
			status, err := q.post(ctx, d.url, d.body)
			if err == nil {
				continue
			}
			d.attempt++
			log := q.s.log.WithFields(logrus.Fields{"hook": hookTarget(d.url), "attempt": d.attempt, "status": status})
			if d.attempt >= hookAttempts {
				log.WithError(err).Warn("webhook delivery failed; giving up")
				continue
			}
			log.WithError(err).Info("webhook delivery failed; will retry")
			q.later(q.retry<<(d.attempt-1), d)
		}
	}
}

// later queues d again after wait.
func (q *hookQueue) later(wait time.Duration, d *delivery) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return
	}
	var t *time.Timer
	t = time.AfterFunc(wait, func() {
		q.mu.Lock()
		delete(q.timers, t)
		stopped := q.stopped
		q.mu.Unlock()
		if !stopped {
			q.enqueue(d)
		}
	})
	q.timers[t] = struct{}{}
}

// post sends one delivery to a loopback URL and returns the status; any
// answer but 2xx is an error.
func (q *hookQueue) post(ctx context.Context, rawURL string, body []byte) (int, error) {
	u, err := documents.CheckHookURL(rawURL)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Koppel-webhooks")
	resp, err := q.client.Do(req)
	if err != nil {
		return 0, errors.New("no answer from the hook")
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxHookResponse))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("the hook answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// hookTarget is a hook URL for the log: without its query, which may carry
// a token the receiving software checks.
func hookTarget(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i]
	}
	return raw
}

// loopbackOnly refuses to connect anywhere but loopback, whatever a name
// resolved to.
func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip, err := netip.ParseAddr(host); err != nil || !ip.Unmap().IsLoopback() {
		return fmt.Errorf("webhook address %s is not on this computer", address)
	}
	return nil
}

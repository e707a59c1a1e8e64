package organizations

import (
	"context"
	"strings"
	"unicode"

	"koppel/internal/koppel"
)

// NewSoftware is what AddSoftware needs. Users add keys-kind packages only;
// Autopilot packages come with Koppel.
type NewSoftware struct {
	Name          string
	Direction     koppel.Direction
	ReceivesSales bool
	QuickConnect  bool
}

// ListSoftware returns the catalog.
func (s *Service) ListSoftware(ctx context.Context) ([]*koppel.Software, error) {
	var out []*koppel.Software
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		out, err = tx.SoftwareList()
		return err
	})
	return out, err
}

// GetSoftware returns the package named by ref (id, slug or name).
func (s *Service) GetSoftware(ctx context.Context, ref string) (*koppel.Software, error) {
	var sw *koppel.Software
	err := s.Store.View(ctx, func(tx koppel.Tx) (err error) {
		sw, err = koppel.FindSoftware(tx, ref)
		return err
	})
	return sw, err
}

// AddSoftware adds a keys-kind package to the catalog.
func (s *Service) AddSoftware(ctx context.Context, n NewSoftware) (*koppel.Software, error) {
	name, err := koppel.RequiredText("package name", n.Name, 80)
	if err != nil {
		return nil, err
	}
	if !n.Direction.Valid() {
		return nil, koppel.Errorf(koppel.EInvalid, "The direction must be send, receive or send+receive.")
	}
	if n.ReceivesSales && !n.Direction.CanReceive() {
		return nil, koppel.Errorf(koppel.EInvalid, "A package that only sends cannot receive sales invoices.")
	}
	sw := &koppel.Software{Slug: Slug(name), Name: name, Direction: n.Direction,
		ReceivesSales: n.ReceivesSales, QuickConnect: n.QuickConnect, Kind: koppel.KindKeys}
	if sw.Slug == "" {
		return nil, koppel.Errorf(koppel.EInvalid, "The package name needs at least one letter or digit.")
	}
	err = s.Store.Update(ctx, func(tx koppel.Tx) error {
		if err := tx.CreateSoftware(sw); err != nil {
			return err
		}
		return tx.AppendAudit(s.event("software.add", "software", sw.ID, nil,
			koppel.Say("software", "name", sw.Name, "direction", string(sw.Direction))))
	})
	if err != nil {
		return nil, err
	}
	return sw, nil
}

// Slug turns a name into the lower-case, dash-separated form used on the
// command line: "Exact Multivers" → "exact-multivers".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	return b.String()
}

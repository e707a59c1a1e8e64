package connections

import (
	"context"
	"crypto/subtle"
	"encoding/hex"

	"koppel/internal/koppel"
)

// keyCheckSetting records which master key the data folder's verifiers were
// made with.
const keyCheckSetting = "vault.key-check"

// Reconciled reports what Reconcile mended.
type Reconciled struct {
	Unfinished  int64 // rows whose creation never finished, removed
	Broken      int   // active connections that could not work, revoked
	Resurrected int   // active in the database but revoked before (an older copy was put back), revoked again
	Listed      int   // revoked connections added to the revocation list
}

// Reconcile runs at startup and mends whatever a crash or a restored backup
// left: unfinished rows, unusable active rows, revocations the database
// forgot or the revocation list missed. It also refuses a keychain whose
// master key is not the one this data folder was made with.
func (s *Service) Reconcile(ctx context.Context) (*Reconciled, error) {
	rep := &Reconciled{}
	var listed []string
	var revoked []*koppel.Connection
	err := s.Store.Update(ctx, func(tx koppel.Tx) (err error) {
		if err := s.checkKey(tx); err != nil {
			return err
		}
		if rep.Unfinished, err = tx.DeletePendingConnections(); err != nil {
			return err
		}
		if revoked, err = s.revokeBroken(tx, rep); err != nil {
			return err
		}
		if listed, err = s.syncRevocations(tx, rep, &revoked); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.Revocations != nil && len(listed) > 0 {
		if err := s.Revocations.Add(listed...); err != nil {
			return nil, koppel.Internal("update the revocation list", err)
		}
	}
	s.afterRevoke(revoked...)
	return rep, nil
}

// checkKey compares the vault's key check with the one stored on first use.
func (s *Service) checkKey(tx koppel.Tx) error {
	want := hex.EncodeToString(s.Vault.KeyCheck())
	got, ok, err := tx.Setting(keyCheckSetting)
	if err != nil {
		return err
	}
	if !ok {
		return tx.SetSetting(keyCheckSetting, want)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return koppel.Errorf(koppel.EConflict, "The keychain holds a different Koppel master key than the one this data folder was made with, so no stored key could be checked. Restore the keychain item, or point KOPPEL_HOME at the data folder that belongs to it.")
	}
	return nil
}

func (s *Service) revokeBroken(tx koppel.Tx, rep *Reconciled) ([]*koppel.Connection, error) {
	ids, err := tx.BrokenConnections()
	if err != nil {
		return nil, err
	}
	var out []*koppel.Connection
	for _, id := range ids {
		c, err := tx.Connection(id)
		if err != nil {
			return nil, err
		}
		if err := s.revoke(tx, c, koppel.ReasonReconcile, 0); err != nil {
			return nil, err
		}
		out = append(out, c)
		rep.Broken++
	}
	return out, nil
}

// syncRevocations revokes active connections the list says were revoked
// before, and returns the revoked App Keys the list lacks.
func (s *Service) syncRevocations(tx koppel.Tx, rep *Reconciled, revoked *[]*koppel.Connection) ([]string, error) {
	if s.Revocations == nil {
		return nil, nil
	}
	active, err := tx.AppKeys(koppel.StatusActive)
	if err != nil {
		return nil, err
	}
	for key, id := range active {
		if !s.Revocations.Has(key) {
			continue
		}
		c, err := tx.Connection(id)
		if err != nil {
			return nil, err
		}
		if err := s.revoke(tx, c, koppel.ReasonRestored, 0); err != nil {
			return nil, err
		}
		*revoked = append(*revoked, c)
		rep.Resurrected++
	}
	gone, err := tx.AppKeys(koppel.StatusRevoked)
	if err != nil {
		return nil, err
	}
	var missing []string
	for key := range gone {
		if !s.Revocations.Has(key) {
			missing = append(missing, key)
		}
	}
	rep.Listed = len(missing)
	return missing, nil
}

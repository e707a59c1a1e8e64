package sqlite

import (
	"database/sql"
	"errors"

	"koppel/internal/koppel"
)

// Setting returns the value stored for key and whether there was one.
func (t *Tx) Setting(key string) (string, bool, error) {
	var v string
	err := t.tx.QueryRowContext(t.ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if isNoRows(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, koppel.Internal("read a setting", err)
	}
	return v, true, nil
}

// SetSetting stores value for key.
func (t *Tx) SetSetting(key, value string) error {
	_, err := t.exec("save the setting",
		"INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

// Settings returns every stored setting.
func (t *Tx) Settings() (map[string]string, error) {
	rows, err := t.tx.QueryContext(t.ctx, "SELECT key, value FROM settings")
	if err != nil {
		return nil, koppel.Internal("read settings", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, koppel.Internal("read settings", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"koppel/internal/koppel"
)

// Tx is one transaction. It implements koppel.Tx.
type Tx struct {
	tx  *sql.Tx
	ctx context.Context
}

var _ koppel.Tx = (*Tx)(nil)

func (t *Tx) exec(op, query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(t.ctx, query, args...)
	if err != nil {
		return nil, koppel.Internal(op, err)
	}
	return res, nil
}

// execOne runs a statement that must change exactly one row.
func (t *Tx) execOne(op, what string, query string, args ...any) error {
	res, err := t.exec(op, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return koppel.Errorf(koppel.ENotFound, "%s was not found.", what)
	}
	return nil
}

// millis stores a time as Unix milliseconds; nil stays NULL.
func millis(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().UnixMilli()
}

func fromMillis(n int64) time.Time { return time.UnixMilli(n).UTC() }

func fromNullMillis(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMillis(n.Int64)
	return &t
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return koppel.Errorf(koppel.ENotFound, "%s was not found.", what)
	}
	return koppel.Internal("read "+strings.ToLower(what), err)
}

// likePattern escapes s for LIKE … ESCAPE '\'.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

func limitClause(n int) string {
	if n <= 0 {
		return ""
	}
	return " LIMIT " + itoa(int64(n))
}

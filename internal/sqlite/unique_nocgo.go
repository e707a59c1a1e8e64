//go:build !cgo

package sqlite

// Without cgo the SQLite driver is a stub that opens no database (Koppel is
// always built with cgo); this lets `CGO_ENABLED=0 go vet` check the
// Windows and macOS code from Linux.
func isUniqueViolation(error) bool { return false }

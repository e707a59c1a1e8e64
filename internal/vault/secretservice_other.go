//go:build !linux

package vault

// secretServiceCollection is unused where the keyring package has no Secret
// Service backend.
func secretServiceCollection() string { return "" }

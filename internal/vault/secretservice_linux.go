package vault

import (
	"encoding/hex"
	"path"
	"strings"

	"github.com/godbus/dbus"
)

// fallbackCollection is the Secret Service collection used when the service
// names no default one: GNOME's login keyring.
const fallbackCollection = "login"

// secretServiceCollection returns the name of the Secret Service's default
// collection (the one unlocked at login), so that Koppel's single item goes
// there instead of a collection of its own, which would make the desktop ask
// for a new keyring password (and fails where no prompt can be shown).
func secretServiceCollection() string {
	conn, err := dbus.SessionBus()
	if err != nil {
		return fallbackCollection
	}
	var p dbus.ObjectPath
	err = conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&p)
	if err != nil || !strings.HasPrefix(string(p), "/org/freedesktop/secrets/collection/") {
		return fallbackCollection
	}
	return unescapeObjectPath(path.Base(string(p)))
}

// unescapeObjectPath reverses the Secret Service's escaping of a collection
// name in an object path: each byte outside [A-Za-z0-9] is written as _XX.
func unescapeObjectPath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i+3 <= len(s) {
			if c, err := hex.DecodeString(s[i+1 : i+3]); err == nil {
				b.Write(c)
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

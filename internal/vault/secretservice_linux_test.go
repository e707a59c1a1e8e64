package vault

import "testing"

func TestUnescapeObjectPath(t *testing.T) {
	tests := map[string]string{
		"login":             "login",
		"Default_20keyring": "Default keyring",
		"a_2fb":             "a/b",
		"trailing_":         "trailing_",
		"short_2":           "short_2",
		"not_zzhex":         "not_zzhex",
	}
	for in, want := range tests {
		if got := unescapeObjectPath(in); got != want {
			t.Errorf("unescapeObjectPath(%q) = %q, want %q", in, got, want)
		}
	}
}

package cli

import (
	"net/url"
	"testing"
)

func TestPostgresLoginTakesThePasswordFromTheEnvironment(t *testing.T) {
	const secret = `p@ss:w/o%rd 'q"`
	cases := []struct {
		raw, env     string
		wantPassword string
		wantInURL    bool
	}{
		{"postgres://app@db:5432/shop", secret, secret, false},
		{"postgres://app:inurl@db:5432/shop?sslmode=disable", secret, "inurl", true},
		{"postgres://app@db:5432/shop", "", "", false},
	}
	for _, c := range cases {
		out, inURL := postgresLogin(c.raw, c.env)
		u, err := url.Parse(out)
		if err != nil {
			t.Fatalf("%s: %v", c.raw, err)
		}
		pw, _ := u.User.Password()
		if pw != c.wantPassword || inURL != c.wantInURL || u.User.Username() != "app" || u.Path != "/shop" {
			t.Errorf("postgresLogin(%q) = password %q, inURL %v, user %q, path %q; want %q, %v", c.raw, pw, inURL, u.User.Username(), u.Path, c.wantPassword, c.wantInURL)
		}
	}
}

package runbook

import "net/url"

// prom decodes a prom item: url (a Prometheus server), query and expect are
// all required.
func (d *decoder) prom(v kv, what string) *Prom {
	f := d.fields(v, what, "url", "query", "expect")
	p := &Prom{URL: d.required(f, "url", what), Query: d.required(f, "query", what), Expect: d.required(f, "expect", what)}
	if f == nil {
		return p
	}
	if p.URL != "" {
		if u, err := url.Parse(p.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.problem(f.get("url").pos(), "%s: url must be an http:// or https:// address with a host", what)
		}
	}
	if v := f.get("expect"); v.present() && p.Expect != "" {
		if err := checkExpect(p.Expect); err != nil {
			d.problem(v.pos(), "%s: expect: %v", what, err)
		}
	}
	return p
}

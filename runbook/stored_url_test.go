package runbook

import "testing"

// A runbook whose channel and guard URLs come from variables, beside a MySQL
// DSN from a variable, reads again from its stored text: no one placeholder
// fits a URL and a DSN both.
func TestParseStoredURLsFromVariables(t *testing.T) {
	text := []byte(`version: 1
name: urls
connections:
  legacy: {driver: mysql, dsn: "${LEGACY_DSN}"}
  target: {driver: postgres, dsn: "${TARGET_PG_DSN}"}
notify:
  channels:
    team: {type: webhook, url: "${TEAM_HOOK}"}
    pager: {type: alertmanager, url: "${AM_URL}"}
  routes:
    - {events: [stop], channels: [team, pager]}
guards:
  - {id: errors, title: Errors, prom: {url: "${PROM_URL}", query: "up"}, every: 5s, critical: "> 0"}
phases:
  - id: one
    title: One
    items:
      - {id: ping, title: Ping, sql: {conn: legacy, query: "SELECT 1", expect: "1"}}
      - {id: tested, title: Tested, notify: {channel: pager}}
`)
	rb, err := ParseStored("urls.yaml", text)
	if err != nil {
		t.Fatalf("ParseStored: %v", err)
	}
	if len(rb.Guards) != 1 || rb.Guards[0].ID != "errors" || rb.Notify == nil || len(rb.Notify.Channels) != 2 {
		t.Fatalf("guards %+v, notify %+v", rb.Guards, rb.Notify)
	}
}

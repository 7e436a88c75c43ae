package runbook

// Prom runs an instant PromQL query against a Prometheus server's HTTP API
// and compares the single sample it returns with Expect.
type Prom struct {
	URL    string // the server's base address (http://host:9090); may hold secrets
	Query  string // PromQL, evaluated now
	Expect string // "1", "< 0.001", "!= 0", … as for sql
}

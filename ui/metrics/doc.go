// Package metrics serves a session's state as Prometheus metrics
// (`--metrics ADDR`). A Collector reads the session's folded State on each
// scrape, through the session's own snapshot method, so the session pays
// nothing between scrapes and the metrics can never disagree with the log.
// Label values are ids the runbook format keeps free of secrets (session,
// phase, item, table); runbook text never becomes a label.
package metrics

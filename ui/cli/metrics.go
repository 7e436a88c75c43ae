package cli

import (
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"runway/ui/metrics"
)

// metricsFlags is `--metrics ADDR [--metrics-public]` on the commands that
// drive a session (run, resume, demo, serve).
type metricsFlags struct {
	addr   string
	public bool
	ln     net.Listener // bound before the session starts, so a refusal starts nothing
}

func (m *metricsFlags) add(cmd *cobra.Command, s IO) {
	f := cmd.Flags()
	f.StringVar(&m.addr, "metrics", "", "serve Prometheus metrics at http://ADDR/metrics (loopback only, e.g. 127.0.0.1:9464)")
	f.BoolVar(&m.public, "metrics-public", false, "allow a --metrics address that is not loopback")
	cmd.PreRunE = func(*cobra.Command, []string) error { return m.listen(s) }
}

// listen binds the address when one is given; a refused or busy address is
// a usage error before anything runs.
func (m *metricsFlags) listen(s IO) error {
	if m.addr == "" {
		return nil
	}
	ln, err := metrics.Listen(m.addr, m.public)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	m.ln = ln
	fmt.Fprintf(s.Err, "runway: metrics at http://%s/metrics\n", ln.Addr())
	return nil
}

// serve serves the session's metrics until the returned stop is called;
// without --metrics it does nothing.
func (m *metricsFlags) serve(src metrics.Source) (stop func()) {
	if m == nil || m.ln == nil {
		return func() {}
	}
	return metrics.Serve(m.ln, src)
}

package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Listen opens addr for the metrics endpoint. Only a loopback address is
// accepted (127.0.0.1:9464, [::1]:9464, localhost:9464) unless public is
// set: metrics name the session's phases and items, and an empty host
// (":9464") would listen on every interface.
func Listen(addr string, public bool) (net.Listener, error) {
	if err := checkLoopback(addr); err != nil && !public {
		return nil, fmt.Errorf("metrics address %s: %w (give --metrics-public to serve it anyway)", addr, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics address %s: %w", addr, err)
	}
	return ln, nil
}

// checkLoopback accepts host:port whose host is a loopback IP or localhost.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("want host:port")
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return errors.New("not a loopback address")
}

// Handler serves src's metrics in the Prometheus exposition format.
func Handler(src Source) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewCollector(src))
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// Serve serves src's metrics on ln at /metrics until the returned stop is
// called. Nothing runs between scrapes.
func Serve(ln net.Listener, src Source) (stop func()) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", Handler(src))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln) // ends with ErrServerClosed at stop
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	}
}

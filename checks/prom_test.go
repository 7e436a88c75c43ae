package checks

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"runway/runbook"
)

// promAnswers are answers in the shapes Prometheus's /api/v1/query gives,
// keyed by the query the test sends.
var promAnswers = map[string]struct {
	status int
	body   string
}{
	"one":      {200, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"runway"},"value":[1765000000.123,"0.0004"]}]}}`},
	"scalar":   {200, `{"status":"success","data":{"resultType":"scalar","result":[1765000000.123,"42"]}}`},
	"empty":    {200, `{"status":"success","data":{"resultType":"vector","result":[]}}`},
	"three":    {200, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]},{"metric":{"a":"2"},"value":[1,"2"]},{"metric":{"a":"3"},"value":[1,"3"]}]}}`},
	"nan":      {200, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}`},
	"inf":      {200, `{"status":"success","data":{"resultType":"scalar","result":[1,"+Inf"]}}`},
	"matrix":   {200, `{"status":"success","data":{"resultType":"matrix","result":[]}}`},
	"bad(":     {400, `{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis"}`},
	"badjson":  {200, `{"status":"success","data":`},
	"htmlpage": {502, `<html><body><h1>502 Bad Gateway</h1></body></html>`},
}

func promServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/prom/api/v1/query" || r.URL.Query().Get("token") != "s3cr3t-tok" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if r.URL.Query().Get("query") == "echo" { // an error that quotes the request, token and all
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"status":"error","errorType":"bad_data","error":"cannot serve %s"}`, r.URL.String())
			return
		}
		a, ok := promAnswers[r.URL.Query().Get("query")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(a.status)
		w.Write([]byte(a.body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestProm(t *testing.T) {
	base := promServer(t).URL + "/prom/?token=s3cr3t-tok"
	tests := []struct {
		query, expect string
		passed        bool
		summary       string
	}{
		{"one", "< 0.001", true, "0.0004 < 0.001"},
		{"one", "> 0.001", false, "0.0004, expected > 0.001"},
		{"scalar", "42", true, "42 = 42"},
		{"empty", "0", false, "no samples"},
		{"three", "3", false, "3 samples, expected one (aggregate them: sum, max, …)"},
		{"nan", "< 1", false, "NaN is not a number, expected < 1"},
		{"nan", "NaN", true, "NaN = NaN"},
		{"inf", "< 1", false, "+Inf is not a number, expected < 1"},
		{"matrix", "1", false, "result is a matrix, expected a vector or a scalar"},
		{"bad(", "1", false, `query failed: HTTP 400: invalid parameter "query": 1:5: parse error: unclosed left parenthesis`},
		{"badjson", "1", false, "HTTP 200, not a Prometheus API answer"},
		{"htmlpage", "1", false, "HTTP 502, not a Prometheus API answer"},
	}
	for _, tt := range tests {
		t.Run(tt.query+" "+tt.expect, func(t *testing.T) {
			chk, err := New(runbook.Spec{Prom: &runbook.Prom{URL: base, Query: tt.query, Expect: tt.expect}})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			res := chk.Run(context.Background(), Env{})
			if res.Passed != tt.passed || res.Summary != tt.summary {
				t.Errorf("got %v %q, want %v %q", res.Passed, res.Summary, tt.passed, tt.summary)
			}
		})
	}
}

func TestPromMasksSecretURL(t *testing.T) {
	var redact runbook.Redactor
	redact.Add("s3cr3t-tok")
	// Refused connections name the address; the token must still not show.
	for _, url := range []string{"http://127.0.0.1:1/?token=s3cr3t-tok", promServer(t).URL + "/prom/?token=s3cr3t-tok"} {
		chk, err := New(runbook.Spec{Prom: &runbook.Prom{URL: url, Query: "echo", Expect: "1"}})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		res := chk.Run(context.Background(), Env{Redact: redact.String})
		if res.Passed || strings.Contains(res.Summary+res.Output, "s3cr3t") || !strings.Contains(res.Summary, "failed") {
			t.Errorf("secret shown or passed: %v %q %q", res.Passed, res.Summary, res.Output)
		}
	}
}

func TestPromRefusesBadSpec(t *testing.T) {
	for _, p := range []runbook.Prom{
		{URL: "ftp://x", Query: "up", Expect: "1"},
		{URL: "http://x", Query: "up", Expect: ">= many"},
	} {
		if _, err := New(runbook.Spec{Prom: &p}); err == nil {
			t.Errorf("New(%+v) accepted", p)
		}
	}
}

// A Prometheus that never answers ends as every check does: at its timeout.
func TestPromTimesOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	chk, err := New(runbook.Spec{Prom: &runbook.Prom{URL: srv.URL, Query: "up", Expect: "1"}})
	if err != nil {
		t.Fatal(err)
	}
	res := Run(context.Background(), chk, Env{}, 200*time.Millisecond)
	if res.Passed || res.Summary != "timed out after 200ms" {
		t.Errorf("got %v %q", res.Passed, res.Summary)
	}
}

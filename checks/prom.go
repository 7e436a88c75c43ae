package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"runway/runbook"
)

// promCheck runs an instant PromQL query and compares its one sample with
// an expectation. A vector must hold exactly one sample: several fail with
// their count (aggregate them in the query: sum, max, …), none fails as
// "no samples". NaN and ±Inf are Prometheus's spelling; they pass only an
// equality with the same spelling and fail every ordering comparison.
type promCheck struct {
	endpoint, query, expect string
	client                  *http.Client
}

func newProm(p *runbook.Prom) (runner, error) {
	u, err := url.Parse(p.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("url: want http:// or https:// with a host")
	}
	if _, _, err := parseExpect(p.Expect); err != nil {
		return nil, fmt.Errorf("expect: %w", err)
	}
	return newPromQuery(u, p.Query, p.Expect), nil
}

// newPromQuery is the query's client, for an item (with expect) or a guard.
func newPromQuery(u *url.URL, query, expect string) *promCheck {
	p := struct{ Query, Expect string }{query, expect}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/api/v1/query"
	q := u.Query()
	q.Set("query", p.Query)
	u.RawQuery = q.Encode()
	return &promCheck{endpoint: u.String(), query: p.Query, expect: p.Expect, client: &http.Client{}}
}

// promResponse is the part of the API's answer the check reads.
type promResponse struct {
	Status string `json:"status"`
	Error  string `json:"error"`
	Data   struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
}

func (c *promCheck) run(ctx context.Context, _ Env) Result {
	got, body, err := c.value(ctx)
	switch {
	case err != nil && ctx.Err() != nil:
		return Result{} // the stop is the reason, not the network
	case err != nil && body == nil:
		return Result{Summary: err.Error()}
	case err != nil:
		return Result{Summary: err.Error(), Output: bodyText(clipBody(body))}
	}
	ok, why, err := CompareValue(got, c.expect)
	if err != nil {
		return Result{Summary: fmt.Sprintf("expect: %v", err)}
	}
	return Result{Passed: ok, Summary: why, Output: fmt.Sprintf("%s = %s\n", c.query, got)}
}

// value asks the server and reads the one sample; on an answer that holds
// none it returns the body too, for the check's output.
func (c *promCheck) value(ctx context.Context) (string, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint, nil)
	if err != nil {
		return "", nil, fmt.Errorf("bad request: %v", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return "", nil, fmt.Errorf("prometheus query failed: %v", requestReason(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, bodyLimit+1))
	if err != nil {
		return "", nil, fmt.Errorf("HTTP %d, body unreadable: %v", resp.StatusCode, err)
	}
	got, err := promValue(resp.StatusCode, body)
	if err != nil {
		return "", body, err
	}
	return got, nil, nil
}

// clipBody cuts a body read with one byte beyond bodyLimit.
func clipBody(body []byte) ([]byte, bool) {
	if len(body) > bodyLimit {
		return body[:bodyLimit], true
	}
	return body, false
}

// promValue reads the one value of an instant query's answer, or says why
// there is none.
func promValue(status int, body []byte) (string, error) {
	var r promResponse
	if err := json.Unmarshal(body, &r); err != nil || r.Status == "" {
		return "", fmt.Errorf("HTTP %d, not a Prometheus API answer", status)
	}
	if r.Status != "success" {
		return "", fmt.Errorf("query failed: HTTP %d: %s", status, r.Error)
	}
	switch r.Data.ResultType {
	case "scalar", "string":
		return pairValue(r.Data.Result)
	case "vector":
		var samples []struct {
			Value json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(r.Data.Result, &samples); err != nil {
			return "", fmt.Errorf("vector unreadable: %v", err)
		}
		switch len(samples) {
		case 0:
			return "", fmt.Errorf("no samples")
		case 1:
			return pairValue(samples[0].Value)
		}
		return "", fmt.Errorf("%d samples, expected one (aggregate them: sum, max, …)", len(samples))
	}
	return "", fmt.Errorf("result is a %s, expected a vector or a scalar", r.Data.ResultType)
}

// pairValue reads [ <time>, "<value>" ].
func pairValue(raw json.RawMessage) (string, error) {
	var pair []any
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return "", fmt.Errorf("sample unreadable")
	}
	s, ok := pair[1].(string)
	if !ok {
		return "", fmt.Errorf("sample value is not a string")
	}
	return s, nil
}

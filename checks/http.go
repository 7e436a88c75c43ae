package checks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"runway/runbook"
)

// bodyLimit bounds how much of a response body is read and matched.
const bodyLimit = 1 << 20

// httpCheck checks a URL's status and, optionally, its body.
type httpCheck struct {
	url, method string
	status      int
	pattern     *pattern // nil: body not checked
	client      *http.Client
}

func newHTTP(h *runbook.HTTP) (runner, error) {
	u, err := url.Parse(h.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("url: want http:// or https:// with a host")
	}
	c := &httpCheck{url: h.URL, method: strings.ToUpper(h.Method), status: h.ExpectStatus}
	if c.method == "" {
		c.method = http.MethodGet
	}
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if h.ExpectBody != "" {
		if c.pattern, err = compilePattern(h.ExpectBody); err != nil {
			return nil, fmt.Errorf("expect_body: %w", err)
		}
	}
	c.client = &http.Client{}
	if c.status >= 300 && c.status < 400 {
		// The runbook expects the redirect itself: do not follow it.
		c.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c, nil
}

func (c *httpCheck) run(ctx context.Context, _ Env) Result {
	req, err := http.NewRequestWithContext(ctx, c.method, c.url, nil)
	if err != nil {
		return Result{Summary: fmt.Sprintf("bad request: %v", err)}
	}
	resp, err := c.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Result{} // the stop is the reason, not the network
		}
		return Result{Summary: fmt.Sprintf("%s %s failed: %v", c.method, c.url, requestReason(err))}
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, bodyLimit+1))
	cut := len(body) > bodyLimit
	if cut {
		body = body[:bodyLimit]
	}

	res := Result{Passed: resp.StatusCode == c.status, Output: bodyText(body, cut)}
	if res.Passed {
		res.Summary = fmt.Sprintf("HTTP %d (expected %d)", resp.StatusCode, c.status)
	} else {
		res.Summary = fmt.Sprintf("HTTP %d, expected %d", resp.StatusCode, c.status)
	}
	switch {
	case readErr != nil:
		res.Passed = false
		res.Summary += fmt.Sprintf(", body unreadable: %v", readErr)
	case c.pattern == nil:
	case c.pattern.match(string(body)):
		res.Summary += fmt.Sprintf(", body matches /%s/", c.pattern)
	default:
		res.Passed = false
		res.Summary += fmt.Sprintf(", body does not match /%s/", c.pattern)
	}
	return res
}

// bodyText is the body as Output; a body cut at bodyLimit loses its last
// partial line, so that a secret cut in half is not shown as a fragment.
func bodyText(body []byte, cut bool) string {
	if !cut {
		return string(body)
	}
	return string(trimEnd(body)) + fmt.Sprintf("\n[… body cut after %d KiB …]\n", bodyLimit>>10)
}

// requestReason drops the `Get "http://…":` prefix that repeats the URL.
func requestReason(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

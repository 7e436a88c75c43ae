package checks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"runway/runbook"
)

// Notice is what a notification says. A webhook posts it as JSON, a command
// channel reads it as JSON on its stdin, Alertmanager gets it as an alert.
type Notice struct {
	Kind     string    `json:"kind"` // runbook.NoticeStop, …
	Severity string    `json:"severity"`
	Session  string    `json:"session,omitempty"`
	Runbook  string    `json:"runbook,omitempty"`
	Phase    string    `json:"phase,omitempty"`
	Item     string    `json:"item,omitempty"`
	Summary  string    `json:"summary"`
	Time     time.Time `json:"time"`
	Resolved bool      `json:"resolved,omitempty"` // the stop it announced was cleared
	// Escalated: the stop or request went unanswered past a route's after.
	Escalated bool `json:"escalated,omitempty"`
	// Guard names the guard of a guard_breach or guard_recovery; From is
	// the state a recovery left (warn, critical, error).
	Guard string `json:"guard,omitempty"`
	From  string `json:"from,omitempty"`
}

// Text is the notice in one line, for chat.
func (n Notice) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s", n.Severity, strings.ReplaceAll(n.Kind, "_", " "))
	if n.Resolved {
		b.WriteString(" resolved")
	}
	if n.Escalated {
		b.WriteString(" escalated")
	}
	for _, kv := range [][2]string{{"runbook", n.Runbook}, {"phase", n.Phase}, {"item", n.Item}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, " %s %s", kv[0], kv[1])
		}
	}
	if n.Summary != "" {
		b.WriteString(": " + n.Summary)
	}
	return b.String()
}

// Deliver sends n on channel ch once and says how it went: Passed when the
// receiver took it (a 2xx answer, or exit 0). Its Summary is one redacted
// line; it never holds the channel's URL.
func Deliver(ctx context.Context, env Env, ch *runbook.Channel, n Notice) Result {
	r, err := channelRunner(ch, n)
	if err != nil {
		return Result{Summary: env.redact()(fmt.Sprintf("channel %s: %v", ch.Name, err))}
	}
	return guarded{kind: "notify", r: r}.Run(ctx, env)
}

func channelRunner(ch *runbook.Channel, n Notice) (runner, error) {
	switch ch.Type {
	case runbook.ChannelCommand:
		body, err := json.Marshal(n)
		if err != nil {
			return nil, err
		}
		return &commandCheck{script: ch.Run, vars: ch.Env, stdin: append(body, '\n')}, nil
	case runbook.ChannelWebhook:
		var body any = n
		if ch.Format == "slack" {
			body = map[string]string{"text": n.Text()}
		}
		return newPost(ch.URL, ch.Headers, body)
	case runbook.ChannelAlertmanager:
		return newPost(strings.TrimRight(ch.URL, "/")+"/api/v2/alerts", ch.Headers, []alert{alertOf(n)})
	}
	return nil, fmt.Errorf("unknown channel type %q", ch.Type)
}

// alert is one alert of Alertmanager's v2 API.
type alert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	EndsAt      *time.Time        `json:"endsAt,omitempty"`
}

// alertOf names the alert by its kind and place, so that a resolve (the
// same labels with endsAt) ends the alert it raised.
func alertOf(n Notice) alert {
	a := alert{Labels: map[string]string{"alertname": "runway_" + n.Kind, "severity": n.Severity},
		Annotations: map[string]string{"summary": n.Text()}, StartsAt: n.Time}
	for k, v := range map[string]string{"session": n.Session, "phase": n.Phase, "item": n.Item, "runbook": n.Runbook} {
		if v != "" {
			a.Labels[k] = v
		}
	}
	guardAlert(&a, n) // notify_guard.go
	if n.Resolved {
		end := n.Time
		a.EndsAt = &end
	}
	return a
}

// post sends a JSON body to a URL and passes on a 2xx answer.
type post struct {
	url     string
	headers []runbook.Header
	body    []byte
}

func newPost(u string, headers []runbook.Header, body any) (runner, error) {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return nil, errors.New("url: want http:// or https:// with a host")
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	return &post{url: u, headers: headers, body: raw}, nil
}

func (p *post) run(ctx context.Context, _ Env) Result {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(p.body))
	if err != nil {
		return Result{Summary: "bad request"}
	}
	req.Header.Set("Content-Type", "application/json")
	for _, h := range p.headers {
		req.Header.Set(h.Name, h.Value)
	}
	resp, err := notifyClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) { // its text holds the URL: keep only the cause
			err = ue.Err
		}
		return Result{Summary: fmt.Sprintf("not delivered: %v", err)}
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	res := Result{Passed: resp.StatusCode/100 == 2, Output: string(out)}
	switch {
	case res.Passed:
		res.Summary = fmt.Sprintf("delivered (HTTP %d)", resp.StatusCode)
	case resp.StatusCode/100 == 3:
		res.Summary = fmt.Sprintf("not delivered: HTTP %d, a redirect%s, not followed (write the final URL in the runbook)", resp.StatusCode, redirectHost(resp))
	default:
		res.Summary = fmt.Sprintf("not delivered: HTTP %d", resp.StatusCode)
	}
	return res
}

// notifyClient never follows a redirect: a notice, its body and its
// headers (tokens from ${VAR}) go to the URL the runbook names and nowhere
// else. Go drops only Authorization and cookies on a redirect to another
// host; an X-Auth-Token header would follow.
var notifyClient = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// redirectHost is " to HOST" for a redirect's target, or "": the host only,
// as the rest of a Location may carry the sender's secrets back.
func redirectHost(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil || loc.Host == "" {
		return ""
	}
	return " to " + loc.Host
}

// notifyCheck is a notify item: a test message that must be delivered.
type notifyCheck struct {
	item *runbook.NotifyItem
}

func newNotify(n *runbook.NotifyItem) (runner, error) {
	if n.Target == nil {
		return nil, fmt.Errorf("unknown channel %q", n.Channel)
	}
	return notifyCheck{item: n}, nil
}

func (c notifyCheck) run(ctx context.Context, env Env) Result {
	n := Notice{Kind: runbook.NoticeTest, Severity: runbook.SeverityInfo, Summary: c.item.Message, Time: time.Now().UTC()}
	r, err := channelRunner(c.item.Target, n)
	if err != nil {
		return Result{Summary: fmt.Sprintf("channel %s: %v", c.item.Channel, err)}
	}
	res := r.run(ctx, env)
	if res.Summary == "" { // a command stopped by the timeout says nothing itself
		res.Summary = "not delivered"
	}
	res.Summary = fmt.Sprintf("channel %s: %s", c.item.Channel, res.Summary)
	return res
}

package runbook

import (
	"strings"
	"testing"
)

const notifyHead = `version: 1
name: t
notify:
  channels:
    team: {type: webhook, url: "https://hooks.example/${HOOK_TOKEN}", format: slack}
    pager: {type: alertmanager, url: "http://127.0.0.1:9093", headers: {Authorization: "Bearer ${AM_TOKEN}"}}
    script: {type: command, run: "cat >> events.jsonl"}
  routes:
    - {events: [stop, critical_failure], channels: [pager, team]}
    - {severity: info, channels: [script]}
phases:
  - id: p1
    title: P1
    items:
`

var notifyEnv = map[string]string{"HOOK_TOKEN": "hook-s3cret", "AM_TOKEN": "am-s3cret"}

func TestNotifyDecodes(t *testing.T) {
	rb, err := Parse("rb.yaml", []byte(notifyHead+"      - {id: a, title: A, critical: true, notify: {channel: team, message: hello}}\n"), mapEnv(notifyEnv))
	if err != nil {
		t.Fatal(err)
	}
	n := rb.Notify
	if n == nil || len(n.Channels) != 3 || len(n.Routes) != 2 {
		t.Fatalf("notify = %+v", n)
	}
	if c := n.Channels[0]; c.Type != ChannelWebhook || c.Format != "slack" || c.URL != "https://hooks.example/hook-s3cret" {
		t.Errorf("team = %+v", c)
	}
	if h := n.Channels[1].Headers; len(h) != 1 || h[0].Value != "Bearer am-s3cret" {
		t.Errorf("pager headers = %+v", h)
	}
	for _, secret := range []string{"hook-s3cret", "am-s3cret"} {
		if masked := rb.Secrets.String("x " + secret); strings.Contains(masked, secret) {
			t.Errorf("%s is not masked: %q", secret, masked)
		}
	}
	it := rb.Phases[0].Items[0]
	if it.Kind() != "notify" || it.Notify.Target != &n.Channels[0] || it.Notify.Message != "hello" {
		t.Errorf("notify item = %+v", it.Notify)
	}
	if !n.Routes[0].Picks(NoticeStop) || n.Routes[0].Picks(NoticePhasePassed) || !n.Routes[1].Picks(NoticePhasePassed) {
		t.Errorf("routes pick wrongly: %+v", n.Routes)
	}
}

func TestNotifyProblems(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string
	}{
		{"unknown channel in a notify item",
			notifyHead + "      - {id: a, title: A, notify: {channel: nobody}}\n",
			[]string{`rb.yaml:15:45: item "a" notify: unknown channel "nobody" (channels: team, pager, script)`}},
		{"unknown channel in a route, unknown event",
			strings.Replace(notifyHead, "channels: [script]}", "channels: [script, pagr], events: [stopp]}", 1) + "      - {id: a, title: A, manual: {}}\n",
			[]string{
				`rb.yaml:10:43: route 2: unknown channel "pagr" (channels: team, pager, script)`,
				`rb.yaml:10:59: route 2: unknown event "stopp" (use stop, critical_failure, override_requested, phase_passed, phase_failed, rollback, session_closed, guard_breach, guard_recovery or drift)`,
			}},
		{"channel type and fields",
			strings.Replace(notifyHead, `script: {type: command, run: "cat >> events.jsonl"}`, `script: {type: command, url: "http://x"}`, 1) + "      - {id: a, title: A, manual: {}}\n",
			[]string{
				`rb.yaml:7:14: channel "script": missing run`,
				`rb.yaml:7:34: channel "script": url does not apply to a command channel`,
			}},
		{"a credential header written in clear",
			strings.Replace(notifyHead, `"Bearer ${AM_TOKEN}"`, `"Bearer abc123"`, 1) + "      - {id: a, title: A, manual: {}}\n",
			[]string{`rb.yaml:6:88: channel "pager": header Authorization: the credential is written in the runbook, whose text the audit log stores as written; write it as ${VAR} and set VAR in the environment`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := problemsOf(t, c.text, notifyEnv)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

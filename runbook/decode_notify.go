package runbook

import (
	"fmt"
	"net/url"
	"strings"
)

var (
	notifyFields  = []string{"channels", "routes"}
	channelFields = []string{"type", "url", "format", "headers", "run"}
	channelTypes  = []string{ChannelWebhook, ChannelCommand, ChannelAlertmanager}
	routeFields   = []string{"events", "severity", "channels", "after", "escalate"}
	noticeKinds   = []string{NoticeStop, NoticeCriticalFailure, NoticeOverrideRequested, NoticePhasePassed, NoticePhaseFailed, NoticeRollback, NoticeSessionClosed, NoticeGuardBreach, NoticeGuardRecovery, NoticeDrift}
	severities    = []string{SeverityInfo, SeverityWarning, SeverityCritical}
)

// notify decodes the runbook's notify: section. Channels are known before
// the phases are read, so routes and notify items can name them.
func (d *decoder) notify(v kv) *Notify {
	if !v.present() {
		return nil
	}
	f := d.fields(v, "notify", notifyFields...)
	if f == nil {
		return nil
	}
	n := &Notify{}
	for _, e := range d.entries(f.get("channels"), "channel") {
		n.Channels = append(n.Channels, d.channel(e))
	}
	for i := range n.Channels { // the slice is complete: its pointers stay valid
		d.chans[n.Channels[i].Name] = &n.Channels[i]
		d.chanOrder = append(d.chanOrder, n.Channels[i].Name)
	}
	for i, e := range d.list(f.get("routes")) {
		n.Routes = append(n.Routes, d.route(e, fmt.Sprintf("route %d", i+1)))
	}
	return n
}

func (d *decoder) channel(e entry) Channel {
	what := fmt.Sprintf("channel %q", e.name)
	c := Channel{Name: e.name}
	if strings.TrimSpace(e.name) == "" {
		d.problem(posOf(e.key), "a channel name is empty")
	}
	f := d.fields(e.kv, what, channelFields...)
	if f == nil {
		return c
	}
	if !f.has("type") {
		d.problem(f.at, "%s: missing type (use %s)", what, orList(channelTypes))
	}
	c.Type = d.enum(f, "type", "", channelTypes...)
	switch c.Type {
	case ChannelWebhook, ChannelAlertmanager:
		c.URL = d.required(f, "url", what)
		if c.URL != "" {
			if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				d.problem(f.get("url").pos(), "%s: url must be an http:// or https:// address with a host", what)
			}
		}
		c.Headers = d.headers(f.get("headers"), what)
		if c.Type == ChannelWebhook {
			c.Format = d.enum(f, "format", "", "json", "slack")
		}
		d.notFor(f, what, c.Type, "run")
	case ChannelCommand:
		c.Run, c.Env = d.shellRun(f, what)
		if c.Run == "" && !f.has("run") {
			d.problem(f.at, "%s: missing run", what)
		}
		d.notFor(f, what, c.Type, "url", "headers")
	}
	if c.Type != ChannelWebhook {
		d.notFor(f, what, c.Type, "format")
	}
	return c
}

// notFor reports fields a channel type does not use.
func (d *decoder) notFor(f *fieldset, what, typ string, names ...string) {
	for _, n := range names {
		if f.has(n) {
			d.problem(f.get(n).pos(), "%s: %s does not apply to a %s channel", what, n, typ)
		}
	}
}

func (d *decoder) headers(v kv, what string) []Header {
	var out []Header
	for _, e := range d.entries(v, "header") {
		val, _ := d.scalar(e.kv)
		if credentialHeader(e.name) && val != "" && !hasRefs(e.kv) {
			d.problem(e.pos(), "%s: header %s: the credential is written in the runbook, whose text the audit log stores as written; write it as ${VAR} and set VAR in the environment", what, e.name)
		}
		out = append(out, Header{Name: e.name, Value: val})
	}
	return out
}

func (d *decoder) route(v kv, what string) Route {
	f := d.fields(v, what, routeFields...)
	r := Route{Pos: v.pos()}
	if f == nil {
		return r
	}
	r.Pos = f.at
	for _, e := range d.list(f.get("events")) {
		ev, ok := d.scalar(e)
		switch {
		case !ok:
		case !contains(noticeKinds, ev):
			d.problem(e.pos(), "%s: unknown event %q (use %s)", what, ev, orList(noticeKinds))
		default:
			r.Events = append(r.Events, ev)
		}
	}
	r.Severity = d.enum(f, "severity", "", severities...)
	if !f.has("channels") {
		d.problem(f.at, "%s: missing channels", what)
	}
	r.Channels = d.channelNames(f, "channels", what)
	r.After = d.duration(f, "after", 0)
	r.Escalate = d.channelNames(f, "escalate", what)
	if f.has("escalate") != f.has("after") {
		d.problem(f.at, "%s: after and escalate go together", what)
	}
	return r
}

// channelNames reads a list of channel names, each one defined.
func (d *decoder) channelNames(f *fieldset, name, what string) []string {
	var names []string
	for _, e := range d.list(f.get(name)) {
		if n, ok := d.scalar(e); ok {
			d.knownChannel(e.pos(), n, what)
			names = append(names, n)
		}
	}
	return names
}

// knownChannel reports a channel name that is not defined.
func (d *decoder) knownChannel(at Position, name, what string) *Channel {
	if c, ok := d.chans[name]; ok {
		return c
	}
	known := "no channels are defined (notify: channels:)"
	if len(d.chans) > 0 {
		known = "channels: " + strings.Join(d.chanOrder, ", ")
	}
	d.problem(at, "%s: unknown channel %q (%s)", what, name, known)
	return nil
}

// notifyItem decodes a notify item: a test message on a channel.
func (d *decoder) notifyItem(v kv, what string) *NotifyItem {
	f := d.fields(v, what, "channel", "message")
	n := &NotifyItem{Channel: d.required(f, "channel", what), Message: d.str(f, "message")}
	if n.Channel != "" {
		n.Target = d.knownChannel(f.get("channel").pos(), n.Channel, what)
	}
	if n.Message == "" {
		n.Message = "runway test notification"
	}
	return n
}

// credentialHeader reports whether a header carries a credential by its name.
func credentialHeader(name string) bool {
	n := strings.ToLower(name)
	return n == "authorization" || strings.Contains(n, "token") || strings.Contains(n, "key") || strings.Contains(n, "secret")
}

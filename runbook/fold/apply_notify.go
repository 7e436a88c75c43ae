package fold

import (
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
)

// ChannelState is how a notification channel fares: deliveries, failed
// attempts, and notices a full queue dropped.
type ChannelState struct {
	Name        string
	Sent        int // notices delivered
	Failed      int // attempts that failed
	Dropped     int // notices lost to a full queue
	LastOK      bool
	LastSummary string
	Last        time.Time
}

func (s *State) applyNotify(e audit.Event, at time.Time) {
	var p event.NotifyPayload
	decode(e.Payload, &p)
	if p.Channel == "" {
		return
	}
	c := s.channel(p.Channel)
	switch e.Kind {
	case event.KindNotifySent:
		c.Sent++
		c.LastOK, c.LastSummary, c.Last = true, p.Summary, at
	case event.KindNotifyFailed:
		c.Failed++
		c.LastOK, c.LastSummary, c.Last = false, p.Summary, at
	case event.KindNotifyDropped:
		c.Dropped += max(p.Dropped, 0)
	}
}

// channel is the named channel's state, added on first use.
func (s *State) channel(name string) *ChannelState {
	for i := range s.Channels {
		if s.Channels[i].Name == name {
			return &s.Channels[i]
		}
	}
	s.Channels = append(s.Channels, ChannelState{Name: name})
	return &s.Channels[len(s.Channels)-1]
}

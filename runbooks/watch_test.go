package runbooks

import (
	"strings"
	"testing"

	"runway/runbook"
)

// TestTemplatesWatchAndTell: every template watches the window with guards
// (for the whole session and in the full migration), tests each of its
// notification channels as a critical preparation item, routes stops,
// critical failures, guard breaches and override requests to the team, and
// escalates a stop nobody answers. Webhook URLs come from the environment.
func TestTemplatesWatchAndTell(t *testing.T) {
	for _, name := range []string{"downtime-copy.yaml", "log-chasing.yaml", "dual-write.yaml", "mysql-to-postgres.yaml"} {
		t.Run(name, func(t *testing.T) {
			rb := load(t, name)
			inFull := 0
			if full, _ := rb.Phase("full-migration"); full != nil {
				inFull = len(full.Guards)
			}
			if len(rb.Guards) == 0 || inFull == 0 {
				t.Errorf("guards: %d for the session, %d in full-migration", len(rb.Guards), inFull)
			}
			for _, g := range rb.AllGuards() {
				if g.Critical == nil {
					t.Errorf("guard %s never stops the window", g.ID)
				}
			}
			if rb.Notify == nil {
				t.Fatal("no notify:")
			}
			checkChannelsTested(t, rb)
			checkRoutes(t, rb)
			if !strings.Contains(string(rb.Text), `url: "${CHAT_WEBHOOK_URL}"`) {
				t.Error("the chat webhook's URL (its token) is not from ${CHAT_WEBHOOK_URL}")
			}
		})
	}
}

// checkChannelsTested: each channel has a critical notify item in preparation.
func checkChannelsTested(t *testing.T, rb *runbook.Runbook) {
	t.Helper()
	tested := map[string]bool{}
	for _, it := range rb.Phases[0].Items {
		if it.Notify != nil && it.Critical {
			tested[it.Notify.Channel] = true
		}
	}
	types := map[string]bool{}
	for _, ch := range rb.Notify.Channels {
		types[ch.Type] = true
		if !tested[ch.Name] {
			t.Errorf("channel %s is not tested by a critical item in %s", ch.Name, rb.Phases[0].ID)
		}
	}
	for _, want := range []string{runbook.ChannelWebhook, runbook.ChannelAlertmanager, runbook.ChannelCommand} {
		if !types[want] {
			t.Errorf("no %s channel", want)
		}
	}
}

// checkRoutes: the events a team must hear are routed, and an unanswered
// stop and override request escalate.
func checkRoutes(t *testing.T, rb *runbook.Runbook) {
	t.Helper()
	for _, kind := range []string{runbook.NoticeStop, runbook.NoticeCriticalFailure, runbook.NoticeGuardBreach,
		runbook.NoticeOverrideRequested, runbook.NoticeGuardRecovery, runbook.NoticeDrift, runbook.NoticePhasePassed} {
		picked := false
		for _, r := range rb.Notify.Routes {
			picked = picked || r.PicksNotice(kind, "")
		}
		if !picked {
			t.Errorf("no route picks %s", kind)
		}
	}
	for _, kind := range []string{runbook.NoticeStop, runbook.NoticeOverrideRequested} {
		escalates := false
		for _, r := range rb.Notify.Routes {
			escalates = escalates || (r.Picks(kind) && r.After > 0 && len(r.Escalate) > 0)
		}
		if !escalates {
			t.Errorf("an unanswered %s escalates nowhere", kind)
		}
	}
}

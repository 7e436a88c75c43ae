package checks

import (
	"strings"
	"testing"
	"time"

	"runway/runbook"
)

func TestValidateSignOff(t *testing.T) {
	now := time.Date(2025, 3, 1, 2, 30, 0, 0, time.UTC)
	backups := runbook.Item{ID: "backups", Critical: true, Spec: runbook.Spec{Manual: &runbook.Manual{Role: "dba", Expect: "restore test passed", Observe: true}}}
	smoke := runbook.Item{ID: "smoke", Role: "qa", Spec: runbook.Spec{Manual: &runbook.Manual{}}}
	anyone := runbook.Item{ID: "anyone", Spec: runbook.Spec{Manual: &runbook.Manual{}}}
	tests := []struct {
		name string
		item runbook.Item
		s    SignOff
		err  string // "" = valid; else a substring of the error
	}{
		{"pass with observation", backups, SignOff{Operator: "alice", Role: "dba", Verdict: Pass, Observation: "restored 1,204 rows", At: now}, ""},
		{"role is matched without case", backups, SignOff{Operator: "alice", Role: "DBA", Verdict: Pass, Observation: "ok", At: now}, ""},
		{"observation required", backups, SignOff{Operator: "alice", Role: "dba", Verdict: Pass, Observation: "  ", At: now}, "an observation is required"},
		{"fail needs the observation too", backups, SignOff{Operator: "alice", Role: "dba", Verdict: Fail, At: now}, "an observation is required"},
		{"role must be stated", backups, SignOff{Operator: "alice", Verdict: Pass, Observation: "ok", At: now}, "the signer must state the role dba"},
		{"wrong role", backups, SignOff{Operator: "bob", Role: "qa", Verdict: Pass, Observation: "ok", At: now}, "role dba must sign, not qa"},
		{"critical never skipped", backups, SignOff{Operator: "alice", Role: "dba", Verdict: Skip, Reason: "no time", At: now}, "a critical item cannot be skipped"},
		{"item role applies", smoke, SignOff{Operator: "carol", Role: "dev", Verdict: Pass, At: now}, "role qa must sign, not dev"},
		{"non-critical skip with reason", smoke, SignOff{Operator: "carol", Verdict: Skip, Reason: "covered by the pilot", At: now}, ""},
		{"skip needs a reason", smoke, SignOff{Operator: "carol", Verdict: Skip, At: now}, "a skip needs a reason"},
		{"no role named: anyone", anyone, SignOff{Operator: "dave", Verdict: Fail, At: now}, ""},
		{"operator required", anyone, SignOff{Verdict: Pass, At: now}, "the operator is missing"},
		{"time required", anyone, SignOff{Operator: "dave", Verdict: Pass}, "the time is missing"},
		{"unknown verdict", anyone, SignOff{Operator: "dave", Verdict: "maybe", At: now}, `verdict "maybe" is not pass, fail or skip`},
		{"not a manual item", runbook.Item{ID: "cmd", Spec: runbook.Spec{Command: &runbook.Command{Run: "true"}}}, SignOff{Operator: "dave", Verdict: Pass, At: now}, "item cmd is not a manual sign-off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateSignOff(tt.item, tt.s)
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
}

func TestValidateSignOffListsEveryProblem(t *testing.T) {
	item := runbook.Item{ID: "backups", Spec: runbook.Spec{Manual: &runbook.Manual{Role: "dba", Observe: true}}}
	err := ValidateSignOff(item, SignOff{Verdict: Pass})
	want := "sign-off of backups: the operator is missing; the time is missing; an observation is required; the signer must state the role dba"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestSignOffSummary(t *testing.T) {
	tests := []struct {
		s    SignOff
		want string
	}{
		{SignOff{Operator: "alice", Role: "dba", Verdict: Pass, Observation: "restore\ntest passed"}, "pass by alice (dba): restore test passed"},
		{SignOff{Operator: "bob", Verdict: Fail}, "fail by bob"},
		{SignOff{Operator: "carol", Verdict: Skip, Reason: "covered by the pilot", Observation: "n/a"}, "skip by carol: covered by the pilot"},
	}
	for _, tt := range tests {
		if got := tt.s.Summary(); got != tt.want {
			t.Errorf("Summary() = %q, want %q", got, tt.want)
		}
	}
}

func TestRequiredRole(t *testing.T) {
	if r := RequiredRole(runbook.Item{Role: "ops", Spec: runbook.Spec{Manual: &runbook.Manual{Role: "dba"}}}); r != "dba" {
		t.Errorf("manual role should win, got %q", r)
	}
	if r := RequiredRole(runbook.Item{Role: "ops", Spec: runbook.Spec{Manual: &runbook.Manual{}}}); r != "ops" {
		t.Errorf("item role should apply, got %q", r)
	}
}

package fold

import (
	"encoding/json"
	"reflect"
	"testing"

	"runway/runbook/event"
)

// The fast path must read every payload it accepts exactly as encoding/json
// does; whatever it refuses goes to encoding/json.
func checkFast(t *testing.T, payload string) {
	t.Helper()
	b := []byte(payload)
	if p, ok := fastProgress(b); ok {
		var want event.ProgressPayload
		if err := json.Unmarshal(b, &want); err != nil || !reflect.DeepEqual(p, want) {
			t.Fatalf("progress %q: fast %+v, json %+v (%v)", payload, p, want, err)
		}
	}
	if p, ok := fastCheckpoint(b); ok {
		var want event.CheckpointPayload
		if err := json.Unmarshal(b, &want); err != nil || !reflect.DeepEqual(p, want) {
			t.Fatalf("checkpoint %q: fast %+v, json %+v (%v)", payload, p, want, err)
		}
	}
	if p, ok := fastStarted(b); ok {
		var want event.StartedPayload
		if err := json.Unmarshal(b, &want); err != nil || !reflect.DeepEqual(p, want) {
			t.Fatalf("started %q: fast %+v, json %+v (%v)", payload, p, want, err)
		}
	}
}

var fastSamples = []string{
	`{"table":"orders","done":1000,"total":40000,"rows_per_sec":20000.5,"eta_ms":1500}`,
	`{"table":"orders","done":1000,"note":"lag 2s"}`,
	` { "table" : "t" , "done" : -0 } `,
	`{"table":"orders","last_key":["17","a b"],"rows":12,"done":true}`,
	`{"table":"orders","last_key":[],"rows":12,"done":false}`,
	`{"kind":"copy","attempt":2}`, `{"kind":"copy","attempt":2,"rollback":true}`,
	`{}`, `{"done":01}`, `{"done":1.5}`, `{"done":1e3}`, `{"rows_per_sec":1e400}`, `{"table":"a\"b"}`,
	`{"table":null}`, `{"Table":"x"}`, `{"table":"x"}x`, `{"table":"x",}`, `{"done":+1}`, `{"done":-}`,
	`{"table":"é"}`, `{"attempt":99999999999999999999}`, `{"last_key":[1]}`, `{"done":tru}`, `[]`, ``,
}

func TestFastPathMatchesEncodingJSON(t *testing.T) {
	accepted := 0
	for _, s := range fastSamples {
		checkFast(t, s)
		if _, ok := fastProgress([]byte(s)); ok {
			accepted++
		}
	}
	if accepted < 3 {
		t.Fatalf("the fast path accepted only %d samples", accepted)
	}
}

func FuzzFastPath(f *testing.F) {
	for _, s := range fastSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, payload string) { checkFast(t, payload) })
}

package event

import "encoding/json"

// Decode reads a payload into a fresh T. An empty or unreadable payload
// gives the zero T: readers of old or damaged logs treat it as "nothing
// recorded" rather than fail.
func Decode[T any](raw json.RawMessage) T {
	var v T
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &v)
	}
	return v
}

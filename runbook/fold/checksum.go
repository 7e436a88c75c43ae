package fold

import (
	"crypto/sha256"
	"encoding/hex"
)

// StateChecksum is a canonical hash of where the session stands: every phase's
// and item's status, in runbook order. A rollback point stores it when it is
// set; rolling back to the point first recomputes it from the log, so a log
// edited after the fact cannot steer a rollback.
func StateChecksum(s State) string {
	h := sha256.New()
	for _, p := range s.Phases {
		writeField(h, "phase", p.ID, string(p.Status))
		for _, it := range p.Items {
			writeField(h, "item", it.ID, string(it.Status))
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// writeField writes length-prefixed fields so no two states share an encoding.
func writeField(h interface{ Write([]byte) (int, error) }, fields ...string) {
	for _, f := range fields {
		n := len(f)
		h.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
		h.Write([]byte(f))
	}
}

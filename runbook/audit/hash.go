package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// hashDomain starts every hashed record, so a runway event hash can never be
// mistaken for the hash of some other encoding.
const hashDomain = "runway.audit.event.v1"

// row is an event as stored: every column in its stored form. The hash is
// computed over these exact values, so Verify needs no parsing to check it.
type row struct {
	seq      int64
	session  string
	time     string
	mono     int64
	run      string
	actor    string
	kind     string
	phase    string
	item     string
	payload  string
	prevHash string
}

// hasher computes row hashes, reusing one buffer.
type hasher struct{ buf []byte }

// sum returns the hex SHA-256 of the row: prev_hash, then every other column
// in a fixed order, each string length-prefixed and each integer fixed-width,
// so no two different rows encode to the same bytes.
func (h *hasher) sum(r *row) string {
	b := h.buf[:0]
	b = appendStr(b, hashDomain)
	b = appendStr(b, r.prevHash)
	b = binary.BigEndian.AppendUint64(b, uint64(r.seq))
	b = appendStr(b, r.session)
	b = appendStr(b, r.time)
	b = binary.BigEndian.AppendUint64(b, uint64(r.mono))
	b = appendStr(b, r.run)
	b = appendStr(b, r.actor)
	b = appendStr(b, r.kind)
	b = appendStr(b, r.phase)
	b = appendStr(b, r.item)
	b = appendStr(b, r.payload)
	h.buf = b
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func appendStr(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}

// sha256Hex is the hex SHA-256 of b.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Shape is how much data the legacy database holds.
type Shape struct {
	Merchants int
	Users     int
	Orders    int
	Seed      uint64 // the same seed gives the same rows
}

// DefaultShape is the size the demo ships with: big enough for the bars to
// move, small enough to build in a second or two.
var DefaultShape = Shape{Merchants: 40, Users: 2000, Orders: 60000, Seed: 20240611}

// epoch is the legacy application's first day; every timestamp follows it.
var epoch = time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC)

// timeLayout is DATETIME(6) as MySQL writes it.
const timeLayout = "2006-01-02 15:04:05.000000"

// Statuses of an order, weighted towards the finished ones.
var statuses = []string{"delivered", "delivered", "delivered", "shipped", "paid", "paid", "pending", "refunded", "cancelled"}

var merchantWords = []string{"Acme", "Bolt", "Cedar", "Delta", "Ember", "Fjord", "Garnet", "Harbor", "Iris", "Juniper", "Kite", "Lumen"}
var merchantKinds = []string{"Books", "Coffee", "Cycles", "Flowers", "Games", "Garden", "Optics", "Pets", "Sports", "Tools"}
var countries = []string{"DE", "FR", "NL", "ES", "IT", "SE", "PL", "GB", "US", "JP"}
var firstNames = []string{"Anna", "Björn", "Chloé", "Dmitri", "Elif", "François", "Grace", "Hiroshi", "Inês", "José", "Kai", "Łucja", "Mia", "Noah", "Zoë"}
var lastNames = []string{"Andersson", "Brown", "Çelik", "Dubois", "Eriksen", "García", "Hoffmann", "Ivanova", "Jansen", "Kowalski", "Müller", "Nakamura", "O'Brien", "Rossi"}

// notes are what customers type: plain text, quotes, accents, emoji, a newline.
var notes = []string{
	"leave at the door",
	"🚚 fragile, please handle with care",
	"gift wrap 🎁 — no invoice in the box",
	"call before delivery: +49 30 1234567",
	"Bitte beim Nachbarn abgeben (Müller)",
	"2nd floor, \"blue door\"",
	"ring twice\nthen wait",
	"配達前に電話してください",
	"deliver after 18:00 ☕",
	"",
}

// pilotMerchant reports whether merchant id is one of the non-critical pilot
// merchants (one in five), and coreWave whether it is in the core pilot slice.
func merchantWave(id int) (tier string, wave int) {
	switch {
	case id%5 == 0:
		return "pilot", 1
	case id%5 == 1 && id <= 16:
		return "core", 2
	}
	return "core", 3
}

// merchantRow is one generated merchant.
func merchantRow(r *rand.Rand, id int) []any {
	tier, wave := merchantWave(id)
	name := fmt.Sprintf("%s %s", merchantWords[r.IntN(len(merchantWords))], merchantKinds[r.IntN(len(merchantKinds))])
	created := epoch.Add(time.Duration(r.IntN(90*24)) * time.Hour)
	return []any{id, name, tier, wave, countries[r.IntN(len(countries))], created.Format(timeLayout)}
}

// userRow is one generated user; about one in six has no phone number.
func userRow(r *rand.Rand, id int) []any {
	first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	var phone any
	if r.IntN(6) != 0 {
		phone = fmt.Sprintf("+%d %03d %07d", 30+r.IntN(60), r.IntN(1000), r.IntN(10000000))
	}
	created := epoch.Add(time.Duration(r.Int64N(int64(400 * 24 * time.Hour))))
	email := fmt.Sprintf("user%05d@example.test", id)
	return []any{id, email, first + " " + last, phone, countries[r.IntN(len(countries))], created.Format(timeLayout)}
}

// orderRow is one generated order. Notes are NULL about a third of the time;
// payloads are NULL, empty, or a few bytes that include zeros.
func orderRow(r *rand.Rand, id int, sh Shape) []any {
	created := epoch.Add(time.Duration(id)*17*time.Minute + time.Duration(r.IntN(1_000_000))*time.Microsecond)
	updated := created.Add(time.Duration(r.IntN(72*3600)) * time.Second)
	return []any{
		id,
		1 + r.IntN(sh.Users),
		1 + r.IntN(sh.Merchants),
		amount(r),
		statuses[r.IntN(len(statuses))],
		note(r),
		created.Format(timeLayout),
		updated.Format(timeLayout),
		payload(r),
	}
}

// amount is a price with exactly two decimals, written as text so it is
// never rounded through a float on the way in.
func amount(r *rand.Rand) string {
	cents := 99 + r.IntN(50000)
	if r.IntN(50) == 0 {
		cents = 100000 + r.IntN(5_000_000) // a few large B2B orders
	}
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

func note(r *rand.Rand) any {
	if r.IntN(3) == 0 {
		return nil
	}
	return notes[r.IntN(len(notes))]
}

func payload(r *rand.Rand) any {
	switch n := r.IntN(20); {
	case n < 8:
		return nil
	case n == 8:
		return []byte{} // a zero-length blob, which is not NULL
	}
	b := make([]byte, 8+r.IntN(56))
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	b[0] = 0 // a leading zero byte trips text-based copies
	return b
}

package engine

import (
	"strconv"
	"testing"
)

// BenchmarkLiterals writes the values of 1,000 bench-like rows (integers,
// a decimal, text, a NULL, bytes) as SQL literals through each database's
// AppendLiteral, as every upsert statement does. Metric: ns per value.
//
//	go test ./engine -run '^$' -bench Literals
func BenchmarkLiterals(b *testing.B) {
	rows := NewBatch(6)
	for i := 0; i < 1000; i++ {
		rows.add(KindInt, strconv.AppendInt(nil, int64(i*7919), 10))
		rows.add(KindDecimal, []byte(strconv.Itoa(i)+".25"))
		rows.add(KindText, []byte("note for order "+strconv.Itoa(i)+" it's here"))
		rows.addNull()
		rows.add(KindBytes, []byte{byte(i), 0, 0xff, 'x'})
		rows.add(KindText, []byte("2023-01-01 00:00:00.123456"))
	}
	for _, driver := range []string{MySQL, SQLite} {
		b.Run(driver, func(b *testing.B) {
			dsn := ":memory:"
			if driver == MySQL {
				dsn = "root@tcp(127.0.0.1:1)/bench" // never contacted
			}
			d, err := Open(driver, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			var buf []byte
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				for r := 0; r < rows.Len(); r++ {
					for c := 0; c < 6; c++ {
						buf = d.AppendLiteral(buf[:0], rows.Value(r, c))
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows.Len()*6), "ns/value")
		})
	}
}

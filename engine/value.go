package engine

import (
	"encoding/hex"
	"math"
	"strconv"
)

// Kind is the class of one value as read, which decides how it is written.
type Kind uint8

// Value kinds.
const (
	KindNull    Kind = iota
	KindInt          // signed integer, decimal digits
	KindUint         // unsigned integer (may exceed int64), decimal digits
	KindFloat        // binary floating point, shortest text reading back to the same bits
	KindDecimal      // exact decimal number, as the server prints it
	KindText         // character string, UTF-8
	KindBytes        // byte string
)

var kindNames = [...]string{"null", "int", "uint", "float", "decimal", "text", "bytes"}

// String names the kind, e.g. "bytes".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// numeric reports whether k is a number kind.
func (k Kind) numeric() bool {
	return k == KindInt || k == KindUint || k == KindFloat || k == KindDecimal
}

// Value is one value: its kind and its text (raw bytes for KindBytes). B may
// point into a Batch and is only valid while the Batch is.
type Value struct {
	Kind Kind
	B    []byte
}

// Text is the canonical text of v: digits for numbers, the string itself,
// lowercase hex for bytes, "NULL" for null.
func (v Value) Text() string {
	switch v.Kind {
	case KindNull:
		return "NULL"
	case KindBytes:
		return hex.EncodeToString(v.B)
	}
	return string(v.B)
}

// Clone copies v so that it outlives its Batch.
func (v Value) Clone() Value {
	if v.B == nil {
		return v
	}
	return Value{Kind: v.Kind, B: append([]byte{}, v.B...)}
}

// Equal reports whether two values have the same kind and bytes.
func (v Value) Equal(w Value) bool {
	return v.Kind == w.Kind && string(v.B) == string(w.B)
}

// Batch holds rows compactly: one kind and one end offset per value, all
// bytes in one buffer, so that a chunk of 50,000 rows is a few allocations.
type Batch struct {
	cols  int
	kinds []Kind
	ends  []uint32
	data  []byte
}

// NewBatch makes an empty batch of rows with cols columns.
func NewBatch(cols int) *Batch { return &Batch{cols: cols} }

// Reset empties the batch, keeping its memory.
func (b *Batch) Reset() {
	b.kinds, b.ends, b.data = b.kinds[:0], b.ends[:0], b.data[:0]
}

// Cols is the number of columns of every row.
func (b *Batch) Cols() int { return b.cols }

// Len is the number of complete rows.
func (b *Batch) Len() int {
	if b.cols == 0 {
		return 0
	}
	return len(b.kinds) / b.cols
}

// Size is the number of bytes held by values.
func (b *Batch) Size() int { return len(b.data) + 5*len(b.kinds) }

// Value returns column c of row r.
func (b *Batch) Value(r, c int) Value {
	i := r*b.cols + c
	start := uint32(0)
	if i > 0 {
		start = b.ends[i-1]
	}
	if b.kinds[i] == KindNull {
		return Value{}
	}
	return Value{Kind: b.kinds[i], B: b.data[start:b.ends[i]:b.ends[i]]}
}

// Row returns the values of row r, appended to dst.
func (b *Batch) Row(dst []Value, r int) []Value {
	for c := 0; c < b.cols; c++ {
		dst = append(dst, b.Value(r, c))
	}
	return dst
}

// Add appends one value; rows are filled column by column.
func (b *Batch) Add(v Value) { b.add(v.Kind, v.B) }

func (b *Batch) add(k Kind, v []byte) {
	b.data = append(b.data, v...)
	b.kinds = append(b.kinds, k)
	b.ends = append(b.ends, uint32(len(b.data)))
}

func (b *Batch) addNull() {
	b.kinds = append(b.kinds, KindNull)
	b.ends = append(b.ends, uint32(len(b.data)))
}

func (b *Batch) addInt(n int64) {
	b.data = strconv.AppendInt(b.data, n, 10)
	b.kinds = append(b.kinds, KindInt)
	b.ends = append(b.ends, uint32(len(b.data)))
}

func (b *Batch) addUint(n uint64) {
	b.data = strconv.AppendUint(b.data, n, 10)
	b.kinds = append(b.kinds, KindUint)
	b.ends = append(b.ends, uint32(len(b.data)))
}

func (b *Batch) addFloat(f float64, bits int) {
	b.data = appendFloat(b.data, f, bits)
	b.kinds = append(b.kinds, KindFloat)
	b.ends = append(b.ends, uint32(len(b.data)))
}

// rowsBytes is the number of value bytes in rows [from, to).
func (b *Batch) rowsBytes(from, to int) int {
	if to <= from {
		return 0
	}
	start := uint32(0)
	if i := from * b.cols; i > 0 {
		start = b.ends[i-1]
	}
	return int(b.ends[to*b.cols-1] - start)
}

// truncateRows keeps the first n rows, dropping a row that was only partly added.
func (b *Batch) truncateRows(n int) {
	i := n * b.cols
	if i >= len(b.kinds) {
		return
	}
	end := uint32(0)
	if i > 0 {
		end = b.ends[i-1]
	}
	b.kinds, b.ends, b.data = b.kinds[:i], b.ends[:i], b.data[:end]
}

// appendFloat writes the shortest text that parses back to the same float,
// with infinities as literals both engines read.
func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "9e999"...)
	case math.IsInf(f, -1):
		return append(dst, "-9e999"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

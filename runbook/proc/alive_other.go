//go:build !unix

package proc

// Alive cannot tell here: known is false.
func Alive(int) (live, known bool) { return false, false }

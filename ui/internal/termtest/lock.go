package termtest

import (
	"fmt"

	"runway/runbook/flock"
)

// lockFile takes an exclusive lock on path, waiting for any other test
// binary that holds it, and returns the function that releases it. Where
// flock is missing it takes none: two packages may then both build, and
// the rename into place keeps each reader's binary whole.
func lockFile(path string) (func(), error) {
	f, err := flock.Open(path, 0o644)
	if err != nil {
		return nil, fmt.Errorf("binary cache lock %s: %w", path, err)
	}
	if err := flock.Lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("binary cache lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

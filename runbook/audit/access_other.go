//go:build !unix

package audit

import "os"

// cannotWrite is only known on Unix; elsewhere the SQLite error stands alone.
func cannotWrite(string) bool { return false }

// noFollow is Unix's O_NOFOLLOW; elsewhere links are not followed by name.
const noFollow = 0

// linkCount is only known on Unix.
func linkCount(os.FileInfo) uint64 { return 1 }

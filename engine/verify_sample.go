package engine

import (
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
)

// sampler decides which chunks a sampled verify checks. The choice is a
// deterministic function of the table and the chunk's number, so a re-run
// checks the same chunks, and each later chunk is chosen independently with
// probability share, which is what the detection bound below assumes. The
// first chunk is always checked, so a sample never checks nothing: a table
// smaller than one chunk is checked in full rather than passed unread.
type sampler struct {
	share float64 // 0 < share < 1; anything else checks every chunk
	table string
}

func (s sampler) all() bool { return s.share <= 0 || s.share >= 1 }

// pick reports whether chunk n (0-based) of the table is checked.
func (s sampler) pick(n int) bool {
	if s.all() || n == 0 {
		return true
	}
	h := md5.Sum([]byte(s.table + "\x00" + strconv.Itoa(n)))
	u := float64(binary.BigEndian.Uint64(h[:8])>>11) / (1 << 53) // uniform in [0,1)
	return u < s.share
}

// chunksFor95 is the smallest number of differing chunks that a sample of
// the given share sees with probability at least 95%: a difference spread
// over k chunks goes unseen with probability (1-share)^k.
func chunksFor95(share float64) int {
	if share <= 0 {
		return 0
	}
	if share >= 1 {
		return 1
	}
	return int(math.Ceil(math.Log(0.05) / math.Log(1-share)))
}

// SampleNote says what a sampled verify checked and what it can promise,
// e.g. "sampled 12 of 100 chunks (10%): a difference in one chunk is seen
// with probability 10%, a difference spread over 29 or more chunks with 95%".
func SampleNote(share float64, checked, total int) string {
	if share <= 0 || share >= 1 {
		return ""
	}
	pct := strconv.FormatFloat(share*100, 'f', -1, 64)
	return fmt.Sprintf("sampled %d of %d chunks (%s%%): a difference in one chunk is seen with probability %s%%, "+
		"a difference spread over %d or more chunks with 95%%", checked, total, pct, pct, chunksFor95(share))
}

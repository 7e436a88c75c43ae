package engine

import (
	"context"
)

// reconcile settles keys reported missing in one chunk and extra in another.
// That happens when the two sides order the key differently (a text key
// under a case-insensitive collation on one side and a binary one on the
// other), so the same range holds different rows on each side. Such keys are
// read again from both sides and compared directly.
func (tv *tableVerify) reconcile(ctx context.Context) error {
	missing := map[string]bool{}
	for _, d := range tv.diffs {
		if d.Type == DiffMissing {
			missing[d.canon] = true
		}
	}
	if len(missing) == 0 {
		return nil
	}
	both := map[string]bool{}
	var keys [][]Value
	for _, d := range tv.diffs {
		if d.Type == DiffExtra && missing[d.canon] && !both[d.canon] {
			both[d.canon] = true
			keys = append(keys, d.key)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	w := &verifyWorker{tv: tv}
	defer w.close()
	cmp, err := w.compareKeys(ctx, keys)
	if err != nil {
		return err
	}
	kept := tv.diffs[:0]
	for _, d := range tv.diffs {
		if !both[d.canon] {
			kept = append(kept, d)
		}
	}
	tv.diffs = append(kept, cmp.diffs...)
	sortDiffs(tv.diffs)
	return nil
}

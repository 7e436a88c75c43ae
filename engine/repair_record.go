package engine

// RowRepair is one change a repair made to the target.
type RowRepair struct {
	Table  string
	Key    []string // key values as text, in key order
	Action string   // RepairInserted, RepairUpdated, RepairDeleted or RepairReplaced
}

// What a repair did to a key.
const (
	RepairInserted = "inserted" // missing on the target: the source row was written
	RepairUpdated  = "updated"  // different: the source row overwrote the target's
	RepairDeleted  = "deleted"  // the source has no such row: the target's was deleted
	RepairReplaced = "replaced" // the target's rows of the key were deleted and the source row written
)

// repairActions maps each difference's canonical key to how it differed.
func (tv *tableVerify) repairActions() map[string]DiffType {
	m := make(map[string]DiffType, len(tv.diffs))
	for _, d := range tv.diffs {
		if _, ok := m[d.canon]; !ok || d.Type == DiffMissing || d.Type == DiffDifferent {
			m[d.canon] = d.Type
		}
	}
	return m
}

// repairAction is what writing the source's row (present) or deleting the
// key did to a target row that differed as typ.
func repairAction(typ DiffType, present, unique bool) string {
	switch {
	case !present:
		return RepairDeleted
	case !unique || typ == DiffDuplicate:
		return RepairReplaced
	case typ == DiffMissing:
		return RepairInserted
	}
	return RepairUpdated
}

// recordRepairs keeps the first MaxDiffs changes of the repair.
func (tv *tableVerify) recordRepairs(rs []RowRepair) {
	tv.mu.Lock()
	defer tv.mu.Unlock()
	for _, r := range rs {
		if len(tv.res.Repairs) >= tv.opts.MaxDiffs {
			return
		}
		tv.res.Repairs = append(tv.res.Repairs, r)
	}
}

func keyTexts(k []Value) []string {
	out := make([]string, len(k))
	for i, v := range k {
		out[i] = v.Text()
	}
	return out
}

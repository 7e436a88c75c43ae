package engine

import "fmt"

// Column type compatibility of an existing target. Only MySQL to MySQL and
// PostgreSQL to PostgreSQL are judged (dialect.ownTypes): there both sides
// declare what they hold and the server refuses a value that does not fit. A SQLite side declares types loosely
// (dates as TEXT, any number as NUMERIC), so its declarations say too
// little to refuse a copy on.

// typeClass groups families whose values convert into each other.
type typeClass uint8

const (
	classText typeClass = iota
	classNumber
	classTime
	classBytes
)

func classOf(f Family) typeClass {
	switch f {
	case FamInt, FamUint, FamFloat, FamDouble, FamDecimal, FamBool, FamBit, FamYear:
		return classNumber
	case FamDate, FamDateTime, FamTimestamp, FamTime:
		return classTime
	case FamBytes:
		return classBytes
	}
	return classText
}

// intRank orders integer types by width (PostgreSQL's are named smallint,
// int and bigint by its catalog reader).
var intRank = map[string]int{"TINYINT": 1, "SMALLINT": 2, "MEDIUMINT": 3, "INT": 4, "INTEGER": 4, "BIGINT": 5}

// typeProblems adds a problem for every copied column whose source values
// may not fit the target column.
func typeProblems(src, dst *DB, tp *TablePlan, p *Plan) {
	if !sameDialect(src, dst) || !dst.dialect.ownTypes() {
		return
	}
	for _, i := range tp.st.Copied() {
		sc := tp.st.Columns[i]
		tc := tp.dt.Column(sc.Name)
		if tc == nil {
			continue
		}
		if why := misfit(sc, *tc); why != "" {
			p.problem(tp.Name, sc.Name, "%s.%s is %s on the source and %s on the target: %s", tp.Name, sc.Name, sc.Type, tc.Type, why)
		}
	}
}

// misfit says why values of sc may not fit tc, or "".
func misfit(sc, tc Column) string {
	sClass, tClass := classOf(sc.Family), classOf(tc.Family)
	if sClass != tClass {
		switch {
		case tClass == classBytes: // bytes hold anything
			return ""
		case tClass == classText && sClass != classBytes: // numbers and times print as text
			return lengthMisfit(sc, tc)
		}
		return fmt.Sprintf("%s values do not convert to %s", sc.Family, tc.Family)
	}
	switch sClass {
	case classNumber:
		return numberMisfit(sc, tc)
	case classTime:
		return timeMisfit(sc, tc)
	}
	return lengthMisfit(sc, tc)
}

func numberMisfit(sc, tc Column) string {
	switch {
	case (sc.Family == FamInt || sc.Family == FamUint) && (tc.Family == FamInt || tc.Family == FamUint):
		sr, tr := intRank[baseName(sc.Type)], intRank[baseName(tc.Type)]
		switch {
		case sr > 0 && tr > 0 && tr < sr:
			return "larger values do not fit"
		case sc.Family == FamInt && tc.Family == FamUint:
			return "negative values do not fit"
		case sc.Family == FamUint && tc.Family == FamInt && tr <= sr:
			return "the largest values do not fit"
		}
	case sc.Family == FamDecimal && tc.Family == FamDecimal:
		if tc.Precision-tc.Scale < sc.Precision-sc.Scale {
			return "larger values do not fit"
		}
		if tc.Scale < sc.Scale {
			return "decimals would be rounded"
		}
	case sc.Family == FamDouble && tc.Family == FamFloat:
		return "values would lose precision"
	case (sc.Family == FamFloat || sc.Family == FamDouble || sc.Family == FamDecimal && sc.Scale > 0) && (tc.Family == FamInt || tc.Family == FamUint):
		return "fractions would be rounded"
	}
	return ""
}

func timeMisfit(sc, tc Column) string {
	switch {
	case (sc.Family == FamTime) != (tc.Family == FamTime):
		return fmt.Sprintf("%s values do not convert to %s", sc.Family, tc.Family)
	case sc.Family != FamDate && tc.Family == FamDate:
		return "the time of day would be lost"
	case sc.Family != FamDate && tc.Scale < sc.Scale:
		return "fractions of a second would be rounded"
	}
	return ""
}

// lengthMisfit compares the declared lengths of string columns.
func lengthMisfit(sc, tc Column) string {
	if sc.Length > 0 && tc.Length > 0 && tc.Length < sc.Length {
		unit := "characters"
		if tc.Family == FamBytes {
			unit = "bytes"
		}
		return fmt.Sprintf("values up to %d %s do not fit in %d", sc.Length, unit, tc.Length)
	}
	return ""
}

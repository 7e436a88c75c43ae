package engine

import "testing"

// misfit refuses only what a strict MySQL target would refuse or change.
func TestMisfit(t *testing.T) {
	col := func(typ string, f Family, length int64, prec, scale int) Column {
		return Column{Type: typ, Family: f, Length: length, Precision: prec, Scale: scale}
	}
	cases := []struct {
		src, dst Column
		want     string
	}{
		{col("int(11)", FamInt, 0, 0, 0), col("bigint(20)", FamInt, 0, 0, 0), ""},
		{col("bigint(20)", FamInt, 0, 0, 0), col("int(11)", FamInt, 0, 0, 0), "larger values do not fit"},
		{col("int(11)", FamInt, 0, 0, 0), col("int(10) unsigned", FamUint, 0, 0, 0), "negative values do not fit"},
		{col("int(10) unsigned", FamUint, 0, 0, 0), col("int(11)", FamInt, 0, 0, 0), "the largest values do not fit"},
		{col("int(10) unsigned", FamUint, 0, 0, 0), col("bigint(20)", FamInt, 0, 0, 0), ""},
		{col("decimal(10,2)", FamDecimal, 0, 10, 2), col("decimal(12,2)", FamDecimal, 0, 12, 2), ""},
		{col("decimal(10,2)", FamDecimal, 0, 10, 2), col("decimal(10,1)", FamDecimal, 0, 10, 1), "decimals would be rounded"},
		{col("decimal(10,0)", FamDecimal, 0, 10, 0), col("bigint(20)", FamInt, 0, 0, 0), ""},
		{col("double", FamDouble, 0, 0, 0), col("int(11)", FamInt, 0, 0, 0), "fractions would be rounded"},
		{col("varchar(40)", FamText, 40, 0, 0), col("varchar(5)", FamText, 5, 0, 0), "values up to 40 characters do not fit in 5"},
		{col("varchar(40)", FamText, 40, 0, 0), col("text", FamText, 65535, 0, 0), ""},
		{col("varchar(40)", FamText, 40, 0, 0), col("int(11)", FamInt, 0, 0, 0), "text values do not convert to int"},
		{col("int(11)", FamInt, 0, 0, 0), col("varchar(20)", FamText, 20, 0, 0), ""},
		{col("varchar(40)", FamText, 40, 0, 0), col("blob", FamBytes, 65535, 0, 0), ""},
		{col("datetime(6)", FamDateTime, 0, 0, 6), col("datetime", FamDateTime, 0, 0, 0), "fractions of a second would be rounded"},
		{col("datetime", FamDateTime, 0, 0, 0), col("date", FamDate, 0, 0, 0), "the time of day would be lost"},
		{col("date", FamDate, 0, 0, 0), col("datetime", FamDateTime, 0, 0, 0), ""},
		{col("time", FamTime, 0, 0, 0), col("datetime", FamDateTime, 0, 0, 0), "time values do not convert to datetime"},
	}
	for _, c := range cases {
		if got := misfit(c.src, c.dst); got != c.want {
			t.Errorf("%s into %s: %q, want %q", c.src.Type, c.dst.Type, got, c.want)
		}
	}
}

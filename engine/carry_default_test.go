package engine

import "testing"

// Defaults as each catalog prints them (taken from MariaDB 10.11,
// PostgreSQL 15 and SQLite) read to the same neutral form.
func TestParseDefaultAsCatalogsPrintThem(t *testing.T) {
	cases := []struct {
		raw     string
		unquote func(string) (string, bool)
		family  Family
		kind    DefaultKind
		value   string
	}{
		{`'it''s \\ x'`, unquoteMariaDB, FamText, DefaultText, `it's \ x`},
		{`'a\nb\0'`, unquoteMariaDB, FamText, DefaultText, "a\nb\x00"},
		{`-1.50`, unquoteMariaDB, FamDecimal, DefaultNumber, "-1.50"},
		{`current_timestamp(6)`, unquoteMariaDB, FamDateTime, DefaultNow, ""},
		{`NULL`, unquoteMariaDB, FamText, NoDefault, ""},
		{`uuid()`, unquoteMariaDB, FamText, DefaultOther, ""},
		{`b'1'`, unquoteMariaDB, FamBit, DefaultOther, ""},
		{`'a' 'b'`, unquoteMariaDB, FamText, DefaultOther, ""},
		{`'-1'::integer`, unquotePG, FamInt, DefaultNumber, "-1"},
		{`'it''s \ x'::character varying`, unquotePG, FamText, DefaultText, `it's \ x`},
		{`'{}'::jsonb`, unquotePG, FamJSON, DefaultText, "{}"},
		{`'x'::"Mood"`, unquotePG, FamText, DefaultText, "x"},
		{`true`, unquotePG, FamBool, DefaultNumber, "1"},
		{`now()`, unquotePG, FamTimestamp, DefaultNow, ""},
		{`('a'::text || 'b'::text)`, unquotePG, FamText, DefaultOther, ""},
		{`'a''::text || ''b'::text`, unquotePG, FamText, DefaultText, "a'::text || 'b"},
		{`'it''s'`, unquoteSQL, FamText, DefaultText, "it's"},
		{`current_timestamp`, unquoteSQL, FamDateTime, DefaultNow, ""},
		{`1+2`, unquoteSQL, FamInt, DefaultOther, ""},
		{`'7'`, unquoteSQL, FamInt, DefaultNumber, "7"},
		{`'7'`, unquoteSQL, FamText, DefaultText, "7"},
	}
	for _, c := range cases {
		d := parseDefault(c.raw, c.unquote).fitFamily(c.family)
		if d.Kind != c.kind || d.Value != c.value {
			t.Errorf("%s: got kind %d value %q, want kind %d value %q", c.raw, d.Kind, d.Value, c.kind, c.value)
		}
	}
}

// A text default the target would refuse at CREATE TABLE, or read as
// another value, is named instead of carried.
func TestTextDefaultMisfits(t *testing.T) {
	cases := []struct {
		c    Column
		v    string
		want string
	}{
		{Column{Family: FamText, Length: 3}, "abcd", "longer than the column"},
		{Column{Family: FamText, Length: 4}, "äöüß", ""},
		{Column{Family: FamDateTime}, "now", "not a date and time without a zone"},
		{Column{Family: FamDateTime}, "2024-01-01 00:00:00+05", "not a date and time without a zone"},
		{Column{Family: FamDate}, "2024-02-30", "not a date"},
		{Column{Family: FamDate}, "infinity", "not a date"},
		{Column{Family: FamTime}, "25:00:00", "not a time of day"},
		{Column{Family: FamTime}, "-01:00:00", "not a time of day"},
		{Column{Family: FamText}, "a\x00b", "a NUL character"},
		{Column{Family: FamDateTime}, "2024-02-29 10:00:00.5", ""},
		{Column{Family: FamDate}, "0000-00-00", "a zero date"},
		{Column{Family: FamDate}, "2024-00-10", "a zero date"},
		{Column{Family: FamTime}, "25 hours", "not a time of day"},
		{Column{Family: FamBytes}, "x", "a text in a bytes column"},
	}
	for _, c := range cases {
		if got := textDefaultMisfit(c.c, c.v); got != c.want {
			t.Errorf("%s %q: got %q, want %q", c.c.Family, c.v, got, c.want)
		}
	}
}

// A number default the created column cannot hold, or would store as
// another value, is named instead of carried.
func TestNumberDefaultMisfits(t *testing.T) {
	cases := []struct {
		c       Column
		created string
		v       string
		want    string
	}{
		{Column{Family: FamInt}, "TINYINT", "300", "out of the column's range"},
		{Column{Family: FamInt}, "TINYINT", "-128", ""},
		{Column{Family: FamUint}, "INT UNSIGNED", "-1", "out of the column's range"},
		{Column{Family: FamInt}, "BIGINT", "99999999999999999999", "out of the column's range"},
		{Column{Family: FamInt}, "INTEGER", "1.5", "not an integer"},
		{Column{Family: FamInt}, "INTEGER", "+5", ""},
		{Column{Family: FamDouble}, "DOUBLE", "1e999", "out of the column's range"},
		{Column{Family: FamFloat}, "FLOAT", "1e39", "out of the column's range"},
		{Column{Family: FamDecimal, Precision: 4, Scale: 1}, "NUMERIC(4,1)", "-0.05", "more digits than the column holds"},
		{Column{Family: FamDecimal, Precision: 4, Scale: 1}, "NUMERIC(4,1)", "123.40", ""},
		{Column{Family: FamDecimal, Precision: 4, Scale: 1}, "NUMERIC(4,1)", "1234", "more digits than the column holds"},
		{Column{Family: FamText}, "TEXT", "1e3", "a number in a text column, which engines turn into text differently"},
	}
	for _, c := range cases {
		if got := numberDefaultMisfit(c.c, c.created, c.v); got != c.want {
			t.Errorf("%s %s: got %q, want %q", c.created, c.v, got, c.want)
		}
	}
	if got := atScale("-.5", 2); got != "-0.50" {
		t.Errorf("atScale(-.5, 2) = %q, want -0.50", got)
	}
}

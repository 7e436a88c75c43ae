package cli

import (
	"github.com/spf13/cobra"

	"runway/engine"
)

// endpoints are the flags `runway copy` and `runway verify` share: the two
// databases, the tables and a row filter.
type endpoints struct {
	from, to string
	tables   []string
	where    string
}

// register declares the flags; what the source is and what --where selects
// differ by command, so the caller words them.
func (e *endpoints) register(c *cobra.Command, fromHelp, tableHelp, whereHelp string) {
	fl := c.Flags()
	fl.StringVar(&e.from, "from", "", fromHelp)
	fl.StringVar(&e.to, "to", "", "target database URL")
	fl.StringSliceVar(&e.tables, "table", nil, tableHelp)
	fl.StringVar(&e.where, "where", "", whereHelp)
}

// complete reports whether both URLs and a table were given.
func (e *endpoints) complete() bool {
	return e.from != "" && e.to != "" && len(e.tables) > 0
}

// open connects to both databases; close releases them. A URL that does
// not open is a usage error (its password never shows in the message).
func (e *endpoints) open() (src, dst *engine.DB, close func(), err error) {
	if src, err = engine.OpenURL(e.from); err != nil {
		return nil, nil, nil, withCode(ExitUsage, err)
	}
	if dst, err = engine.OpenURL(e.to); err != nil {
		src.Close()
		return nil, nil, nil, withCode(ExitUsage, err)
	}
	return src, dst, func() { dst.Close(); src.Close() }, nil
}

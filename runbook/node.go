package runbook

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// decoder walks the YAML syntax tree of one runbook, building the Runbook
// and collecting every problem with its position, rather than stopping at
// the first one as a strict struct decode would.
type decoder struct {
	file    string
	env     func(string) (string, bool)
	secrets *Redactor
	dir     string
	probs   Problems
	// notes, when not nil, takes unset variables instead of probs: lint
	// checks a runbook's structure without its secrets (structure.go).
	notes *Problems
	// hints, when not nil, takes what lint notes in a valid runbook
	// (a $NAME in a command: barevars.go).
	hints *Problems

	aliases map[*ast.AliasNode]ast.Node // each alias and the anchored node it names
	visits  int                         // nodes resolved so far, aliases included
	limit   *Problem                    // the budget ran out here: the only problem to report

	itemIDs   map[string]Position // item ids are unique across the runbook
	conns     map[string]string   // connection name → driver
	connOrder []string            // connection names in file order
	points    map[string]Position // rollback points
	inWait    bool                // decoding a wait's check
	curPhase  string
	chans     map[string]*Channel // notify channels by name
	chanOrder []string            // notify channel names in file order
}

// maxVisits bounds the work aliases can cause ("billion laughs"), and the
// size of the runbook they could stand for.
const maxVisits = 200_000

var oneLineMsg = strings.NewReplacer("\r", `\r`, "\n", `\n`)

// maxProblems bounds the report: past it, more lines help nobody.
const maxProblems = 500

func (d *decoder) problem(at Position, format string, args ...any) {
	switch {
	case len(d.probs) < maxProblems:
		msg := oneLineMsg.Replace(fmt.Sprintf(format, args...)) // a quoted regex may span lines
		d.probs = append(d.probs, Problem{File: d.file, Pos: at, Msg: msg})
	case len(d.probs) == maxProblems:
		d.probs = append(d.probs, Problem{File: d.file, Pos: at, Msg: fmt.Sprintf("more than %d problems; stopped reporting here", maxProblems)})
	}
}

// kv is a value with the key that introduced it: problems about a missing
// or null value point at the key.
type kv struct {
	name string   // field name, for messages
	key  ast.Node // the key (or the sequence entry) for positions
	val  ast.Node // the value, anchors and aliases resolved; nil when null or absent
}

func (v kv) present() bool { return v.key != nil }

func (v kv) pos() Position {
	if v.val != nil {
		return posOf(v.val)
	}
	return posOf(v.key)
}

// posOf is where a node starts; a block mapping starts at its first key.
func posOf(n ast.Node) Position {
	switch x := n.(type) {
	case nil:
		return Position{1, 1}
	case *ast.MappingNode:
		if len(x.Values) > 0 && x.Values[0] != nil && x.Values[0].Key != nil {
			return posOf(x.Values[0].Key)
		}
		return tokenPos(x.Start)
	case *ast.MappingValueNode:
		if x.Key != nil {
			return posOf(x.Key)
		}
		return tokenPos(x.Start)
	case *ast.DocumentNode:
		if x.Body != nil {
			return posOf(x.Body)
		}
		return tokenPos(x.Start)
	}
	return tokenPos(n.GetToken())
}

func tokenPos(tk *token.Token) Position {
	if tk == nil || tk.Position == nil || tk.Position.Line < 1 {
		return Position{1, 1}
	}
	return Position{tk.Position.Line, max(tk.Position.Column, 1)}
}

// collectAliases pairs every alias with the anchor it names, in document
// order: an anchor is known after its own value, so "&a [*a]" is an unknown
// alias rather than a cycle.
func (d *decoder) collectAliases(n ast.Node, anchors map[string]ast.Node) {
	switch x := n.(type) {
	case *ast.MappingNode:
		for _, v := range x.Values {
			d.collectAliases(v, anchors)
		}
	case *ast.MappingValueNode:
		d.collectAliases(x.Key, anchors)
		d.collectAliases(x.Value, anchors)
	case *ast.SequenceNode:
		for _, v := range x.Values {
			d.collectAliases(v, anchors)
		}
	case *ast.TagNode:
		d.collectAliases(x.Value, anchors)
	case *ast.MappingKeyNode:
		d.collectAliases(x.Value, anchors)
	case *ast.AnchorNode:
		d.collectAliases(x.Value, anchors)
		anchors[nodeText(x.Name)] = x.Value
	case *ast.AliasNode:
		if target, ok := anchors[nodeText(x.Value)]; ok {
			d.aliases[x] = target
		}
	}
}

// resolve follows anchors, aliases and tags to the node that holds the
// value; nil stands for null, an unknown alias or exhausted alias budget.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for range 64 {
		if d.visits++; d.visits > maxVisits {
			d.overBudget(n)
			return nil
		}
		switch x := n.(type) {
		case nil, *ast.NullNode:
			return nil
		case *ast.AnchorNode:
			n = x.Value
		case *ast.TagNode:
			n = x.Value
		case *ast.MappingKeyNode:
			n = x.Value
		case *ast.AliasNode:
			target, ok := d.aliases[x]
			if !ok {
				d.problem(posOf(x), "unknown alias *%s", nodeText(x.Value))
				return nil
			}
			n = target
		default:
			return n
		}
	}
	d.problem(posOf(n), "anchors and tags nested too deeply")
	return nil
}

// overBudget records where the decoding budget ran out, once. Past it every
// value reads as missing, so this is the one problem Parse reports.
func (d *decoder) overBudget(n ast.Node) {
	if d.limit != nil {
		return
	}
	msg := fmt.Sprintf("runbook too large: more than %d values (runway reads at most %d)", maxVisits, maxVisits)
	if len(d.aliases) > 0 {
		msg = fmt.Sprintf("runbook too large: aliases expand to more than %d values (runway reads at most %d)", maxVisits, maxVisits)
	}
	d.limit = &Problem{File: d.file, Pos: posOf(n), Msg: msg}
}

// nodeText is a scalar's text as written (quotes and block markers removed).
func nodeText(n ast.Node) string {
	switch x := n.(type) {
	case nil:
		return ""
	case *ast.StringNode:
		return x.Value
	case *ast.LiteralNode:
		if x.Value == nil {
			return ""
		}
		return x.Value.Value
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

// isScalar reports whether the node is a single value (not a mapping or list).
func isScalar(n ast.Node) bool {
	switch n.(type) {
	case *ast.StringNode, *ast.LiteralNode, *ast.IntegerNode, *ast.FloatNode,
		*ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return true
	}
	return false
}

func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	return "a " + strings.ToLower(n.Type().String())
}

package keys

import (
	"reflect"
	"testing"

	"github.com/charmbracelet/bubbles/key"
)

// TestEveryBindingHasHelp: the footer is generated from the key map, so a
// binding without help text would be a key nobody can find.
func TestEveryBindingHasHelp(t *testing.T) {
	for _, v := range []any{Default(), Dialog()} {
		rv := reflect.ValueOf(v)
		seen := map[string]string{}
		for i := range rv.NumField() {
			b, ok := rv.Field(i).Interface().(key.Binding)
			if !ok {
				continue
			}
			name := rv.Type().Field(i).Name
			if b.Help().Key == "" || b.Help().Desc == "" || len(b.Keys()) == 0 {
				t.Errorf("%s: keys %v help %+v", name, b.Keys(), b.Help())
			}
			for _, k := range b.Keys() {
				if other, dup := seen[k]; dup {
					t.Errorf("key %q bound to %s and %s", k, other, name)
				}
				seen[k] = name
			}
		}
	}
}

// TestHelpListsEveryKey: the full help shows every binding of the key map.
func TestHelpListsEveryKey(t *testing.T) {
	k := Default()
	n := 0
	listed := map[string]bool{}
	for _, g := range k.Groups() {
		if g.Title == "" {
			t.Error("a help group has no title")
		}
		for _, b := range g.Bindings {
			if listed[b.Help().Key] {
				t.Errorf("%s listed twice", b.Help().Key)
			}
			listed[b.Help().Key] = true
			n++
		}
	}
	if want := reflect.TypeOf(k).NumField(); n != want {
		t.Errorf("full help lists %d bindings, the key map has %d", n, want)
	}
	for _, b := range k.Mutating() {
		b.SetEnabled(false)
	}
	if k.Run.Enabled() || !k.Up.Enabled() {
		t.Error("Mutating does not point into the key map")
	}
}

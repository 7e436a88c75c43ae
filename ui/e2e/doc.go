// Package e2e holds runway's end-to-end tests: they build the real binary and
// drive it as an operator would, in plain mode over pipes and in the console
// inside a private tmux server (send-keys, capture-pane, polling with
// deadlines). It has no code of its own outside its tests.
package e2e

// Package fold holds State, the fold of a session's events, and the reducer
// that advances it. The executor, the console, a watcher, a replay and a
// report all fold through it; it knows nothing of engines, checks or the UI.
package fold

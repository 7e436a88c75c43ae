// Package replay plays an old session back as a timeline on the console's
// views: play and pause, speed from 1× to 64× with idle gaps shortened, one
// event at a time, jumps to failures, overrides, rollbacks and notes, and a
// seek anywhere that costs the same backwards as forwards, because the fold
// is snapshotted every few hundred events. The hash-chain check of the log
// runs first and its result stays on screen.
package replay

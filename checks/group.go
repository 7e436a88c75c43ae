package checks

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"unicode"
)

// GroupAlive reports whether process group pgid has a member that is not a
// zombie. kill(-pgid, 0) alone also counts zombies, which an init that reaps
// lazily (as in some containers) leaves around for a while after they died.
func GroupAlive(pgid int) bool {
	_, ok := GroupMember(pgid)
	return ok
}

// Member is a live process of a process group.
type Member struct {
	PID  int
	Name string // the executable's short name (15 bytes at most), printable; "" when unknown
}

// GroupMember returns a live member of process group pgid, if it has one.
func GroupMember(pgid int) (Member, bool) {
	// ESRCH: the group is gone. EPERM: it lives, under another user, whose
	// processes this one may not signal: still a command of the dead run.
	if err := syscall.Kill(-pgid, 0); err != nil && err != syscall.EPERM {
		return Member{}, false
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return Member{}, true // no /proc: trust kill
	}
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// "pid (comm) state ppid pgrp …"; comm may hold spaces and parens.
		open, end := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
		if open < 0 || end < open {
			continue
		}
		f := strings.Fields(string(stat[end+1:]))
		if len(f) >= 3 && f[2] == strconv.Itoa(pgid) && f[0] != "Z" {
			pid, _ := strconv.Atoi(e.Name())
			return Member{PID: pid, Name: printable(string(stat[open+1 : end]))}, true
		}
	}
	return Member{}, false
}

// printable keeps a name from outside runway inert on a screen.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, s)
}

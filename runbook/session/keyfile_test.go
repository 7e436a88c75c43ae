package session

import (
	"context"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"runway/runbook/audit"
)

// newLog creates an empty audit log in a new folder and returns its path.
func newLog(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "runway.db")
	log, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	log.Close()
	return path
}

// TestKeyFileRefusedUnlessRunways: a key file that is a symbolic link, no
// regular file, writable by group or others, or owned by another user than
// this one and the audit log's owner is refused in one line naming the
// file and the reason, at start and at resume, and is left as it was.
func TestKeyFileRefusedUnlessRunways(t *testing.T) {
	zeros := make([]byte, keySize)
	cases := []struct {
		name  string
		plant func(t *testing.T, key string)
		want  string
	}{
		{"symlink", func(t *testing.T, key string) {
			target := filepath.Join(filepath.Dir(key), "elsewhere")
			if err := os.WriteFile(target, zeros, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, key); err != nil {
				t.Fatal(err)
			}
		}, "is a symbolic link"},
		{"directory", func(t *testing.T, key string) {
			if err := os.Mkdir(key, 0o700); err != nil {
				t.Fatal(err)
			}
		}, "is not a regular file"},
		{"group-writable", func(t *testing.T, key string) {
			if err := os.WriteFile(key, zeros, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(key, 0o664); err != nil {
				t.Fatal(err)
			}
		}, "is writable by its group or by others (mode 0664)"},
		{"another user's", func(t *testing.T, key string) {
			if os.Geteuid() != 0 {
				t.Skip("needs root to give the file to another user")
			}
			if err := os.WriteFile(key, zeros, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(key, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}, "belongs to uid 65534"},
	}
	env := map[string]string{"APP": appValue, "PW": hiddenPW}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := newLog(t)
			c.plant(t, KeyPath(path))
			before, _ := os.Lstat(KeyPath(path))
			rb := loadRunbook(t, filepath.Dir(path), envRunbook, env)
			log, err := audit.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer log.Close()
			_, err = Start(context.Background(), log, rb, Options{Operator: "alice", Host: "test"})
			assertKeyRefusal(t, err, KeyPath(path), c.want)
			if after, _ := os.Lstat(KeyPath(path)); !os.SameFile(before, after) || after.ModTime() != before.ModTime() {
				t.Fatal("the planted file was replaced")
			}
		})
		t.Run(c.name+" at resume", func(t *testing.T) {
			_, path, id := startEnvSession(t, env)
			if err := os.Remove(KeyPath(path)); err != nil {
				t.Fatal(err)
			}
			c.plant(t, KeyPath(path))
			_, _, err := resumeWith(t, path, id, env)
			var re *ResumeRefusedError
			if !errors.As(err, &re) {
				t.Fatalf("resume: %v, want a refusal", err)
			}
			assertKeyRefusal(t, err, KeyPath(path), c.want)
		})
	}
}

func assertKeyRefusal(t *testing.T, err error, key, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted, want a refusal containing %q", want)
	}
	msg := err.Error()
	if !strings.Contains(msg, "fingerprint key "+key+" ") || !strings.Contains(msg, want) || strings.Contains(msg, "\n") {
		t.Fatalf("refusal %q, want one line naming %s and %q", msg, key, want)
	}
}

// TestKeyOfASharedLog: the key of a log shared with a group (g+w, as for
// approvals) is made readable by that group and no one else, so that a
// teammate in it (here nobody, in nogroup) may resume; the key of a log
// that is not shared stays its owner's alone, and a teammate who can't
// read it is told how its owner shares it.
func TestKeyOfASharedLog(t *testing.T) {
	if path := os.Getenv("RUNWAY_KEY_READ"); path != "" {
		key, err := fingerprintKey(path, false)
		if err != nil {
			os.Stdout.WriteString("error: " + err.Error())
			os.Exit(1)
		}
		os.Stdout.WriteString(hex.EncodeToString(key))
		os.Exit(0)
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root: the teammate is another uid, which only root can become")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no user nobody on this system")
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "session.test")
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	asNobody := func(path string) (string, error) {
		for try := 0; ; try++ {
			cmd := exec.Command(bin, "-test.run=^TestKeyOfASharedLog$")
			cmd.Env = []string{"RUNWAY_KEY_READ=" + path}
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}}
			out, err := cmd.Output()
			// bin was just written: a fork elsewhere may hold it open for
			// writing for a moment (ETXTBSY).
			if errors.Is(err, syscall.ETXTBSY) && try < 100 {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			return string(out), err
		}
	}
	for _, shared := range []bool{true, false} {
		path := filepath.Join(dir, "team-"+strconv.FormatBool(shared)+".db")
		log, err := audit.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		log.Close()
		mode := os.FileMode(0o644)
		if shared {
			mode = 0o660
			if err := os.Chown(path, 0, gid); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		key, err := fingerprintKey(path, true)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(KeyPath(path))
		if err != nil {
			t.Fatal(err)
		}
		keyGID := int(fi.Sys().(*syscall.Stat_t).Gid)
		out, err := asNobody(path)
		switch {
		case shared && (fi.Mode().Perm() != 0o640 || keyGID != gid):
			t.Fatalf("key of a shared log: mode %04o, group %d; want 0640 and group %d", fi.Mode().Perm(), keyGID, gid)
		case shared && (err != nil || out != hex.EncodeToString(key)):
			t.Fatalf("the teammate reads the key of a shared log: %v %s", err, out)
		case !shared && fi.Mode().Perm() != 0o600:
			t.Fatalf("key of an unshared log: mode %04o, want 0600", fi.Mode().Perm())
		case !shared && (err == nil || !strings.Contains(out, "permission denied: its owner shares it with the audit log's group: chgrp ")):
			t.Fatalf("a teammate reads the key of an unshared log: %v %s", err, out)
		}
	}
}

// TestReplacedKeyIsNamed: a key file made anew after the first was lost is
// named as the cause at resume, not a variable that did not change.
func TestReplacedKeyIsNamed(t *testing.T) {
	env := map[string]string{"APP": appValue, "PW": hiddenPW}
	_, path, id := startEnvSession(t, env)
	if err := os.Remove(KeyPath(path)); err != nil {
		t.Fatal(err)
	}
	if _, err := fingerprintKey(path, true); err != nil { // as a later run does
		t.Fatal(err)
	}
	_, _, err := resumeWith(t, path, id, env)
	var re *ResumeRefusedError
	if !errors.As(err, &re) {
		t.Fatalf("resume: %v, want a refusal", err)
	}
	want := "resume " + id + ": the key file " + KeyPath(path) + " is not the one this session started with"
	if msg := err.Error(); !strings.HasPrefix(msg, want) || strings.Contains(msg, "differs") || strings.Contains(msg, "\n") {
		t.Fatalf("refusal %q, want %q", msg, want)
	}
}

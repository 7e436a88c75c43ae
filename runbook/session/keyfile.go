package session

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// The fingerprint key lives beside the audit log, never in it. Whoever
// could plant or read it could test guesses of a secret against the stored
// fingerprints, so runway reads only a regular file that no group or other
// user may write, owned by the current user or by the audit log's owner,
// and shares it (read only) with exactly the group the audit log is shared
// with, as the approval socket is.

// KeyPath is the file holding the fingerprint key of the audit log at auditPath.
func KeyPath(auditPath string) string { return auditPath + ".key" }

// keyIDEntry is the name under which the key's id is stored among a
// session's fingerprints: no ${VAR} can have it.
const keyIDEntry = "(key id)"

// keyID names a key without revealing it: the first 16 hex digits of an
// HMAC of a fixed text under the key. A resume tells by it that the key
// file is not the one the session started with.
func keyID(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("runway key id"))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

// fingerprintKey reads the key of the audit log at auditPath, creating it
// first when create is set and it does not exist. Two processes that race
// to create it end with one key: each writes its own temporary file
// (O_EXCL, mode 0600) and links it to the key's name, which fails if the
// other got there first; both then read the winner's key, never a half
// written one.
func fingerprintKey(auditPath string, create bool) ([]byte, error) {
	path := KeyPath(auditPath)
	key, err := readKey(path, auditPath)
	if errors.Is(err, fs.ErrNotExist) && create {
		if err := createKey(path, auditPath); err != nil {
			return nil, fmt.Errorf("create fingerprint key %s: %w", path, err)
		}
		key, err = readKey(path, auditPath)
	}
	return key, err
}

// readKey reads the key at path after checking, on the open file, that it
// is runway's: a regular file (never followed through a symbolic link),
// writable by its owner only, owned by this user or the audit log's owner.
func readKey(path, auditPath string) ([]byte, error) {
	f, err := openNoFollow(path)
	switch {
	case errors.Is(err, errSymlink):
		return nil, fmt.Errorf("fingerprint key %s is a symbolic link: runway reads only a regular file; remove the link", path)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("fingerprint key %s: permission denied: %s", path, shareHint(path, auditPath))
	case err != nil:
		return nil, fmt.Errorf("fingerprint key %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("fingerprint key %s: %w", path, err)
	}
	if why := keyFileReason(fi, auditPath); why != "" {
		return nil, fmt.Errorf("fingerprint key %s %s", path, why)
	}
	key, err := io.ReadAll(io.LimitReader(f, keySize+1))
	if err != nil {
		return nil, fmt.Errorf("fingerprint key %s: %w", path, err)
	}
	if len(key) != keySize {
		return nil, fmt.Errorf("fingerprint key %s: %d bytes, not %d: it is not runway's key", path, len(key), keySize)
	}
	return key, nil
}

// keyFileReason says why the opened key file fi is not to be trusted, or "".
func keyFileReason(fi fs.FileInfo, auditPath string) string {
	if !fi.Mode().IsRegular() {
		return fmt.Sprintf("is not a regular file (%s): remove it", fi.Mode().Type())
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Sprintf("is writable by its group or by others (mode %04o): whoever can write it could plant a key; remove it, or chmod go-w it if it is yours", perm)
	}
	uid, _, ok := fileOwner(fi)
	if !ok || uid == os.Geteuid() {
		return ""
	}
	if log, err := os.Stat(auditPath); err == nil {
		if logUID, _, ok := fileOwner(log); ok && logUID == uid {
			return ""
		}
	}
	return fmt.Sprintf("belongs to %s, who is neither you nor the audit log's owner: another user may have planted it; remove it", LocalPeer(uid))
}

// shareHint says how the key's owner lets the audit log's group read it.
func shareHint(path, auditPath string) string {
	group := "TEAM"
	if log, err := os.Stat(auditPath); err == nil {
		if _, gid, ok := fileOwner(log); ok {
			group = groupName(gid)
		}
	}
	return fmt.Sprintf("its owner shares it with the audit log's group: chgrp %s %s && chmod 640 %s", group, path, path)
}

// createKey writes a new random key at path unless one is already there:
// mode 0600, or 0640 in the audit log's group when the log is writable by
// its group, so that a teammate who may drive the session may resume it.
func createKey(path, auditPath string) error {
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".new-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := writeKey(tmp, key, auditPath); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

// writeKey writes key to the new file tmp, shared as the audit log is.
func writeKey(tmp *os.File, key []byte, auditPath string) error {
	if log, err := os.Stat(auditPath); err == nil && log.Mode().Perm()&0o020 != 0 {
		// Only a member of the log's group may give the key that group;
		// when this user is none, the key stays theirs alone.
		if _, gid, ok := fileOwner(log); ok && tmp.Chown(-1, gid) == nil {
			if err := tmp.Chmod(0o640); err != nil {
				return err
			}
		}
	}
	if _, err := tmp.Write(key); err != nil {
		return err
	}
	return tmp.Sync()
}

package approvals

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"
	"time"
)

// Ask sends op (OpApprove or OpReject, for item or "" for whichever waits)
// to the process driving session id beside the audit log at audit, and
// returns its answer. When no driver answers, the reply says why (no
// socket, a stale one, no permission) with the matching code. A socket
// path that is a symbolic link is refused: it could lead to another
// session's driver (which would refuse the request anyway, as it names id).
func Ask(audit, id, op, item string) Reply {
	path := Path(audit, id)
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return Reply{Code: Refused, Line: fmt.Sprintf("approval socket %s is a symbolic link, not the socket of session %s's driver: refused", path, id)}
	}
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Reply{Code: NoneHere, Line: fmt.Sprintf("no runway process drives session %s on this host (no approval socket %s)", id, path)}
	case errors.Is(err, syscall.ECONNREFUSED):
		return Reply{Code: NoneHere, Line: fmt.Sprintf("no runway process drives session %s any more (%s was left by a process that ended)", id, path)}
	case errors.Is(err, fs.ErrPermission):
		return Reply{Code: Refused, Line: fmt.Sprintf("approval socket %s: permission denied: only who may write the audit log %s may approve (its owner shares it: chgrp TEAM, chmod g+w)", path, audit)}
	case err != nil:
		return Reply{Code: NoneHere, Line: fmt.Sprintf("approval socket %s: %v", path, err)}
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(connWait + 5*time.Second))
	b, _ := json.Marshal(request{Op: op, Session: id, Item: item})
	if _, err := c.Write(append(b, '\n')); err != nil {
		return Reply{Code: NoneHere, Line: fmt.Sprintf("approval socket %s: %v", path, err)}
	}
	line, err := bufio.NewReader(c).ReadBytes('\n')
	if err != nil {
		return Reply{Code: NoneHere, Line: fmt.Sprintf("approval socket %s: no answer: %v", path, err)}
	}
	var r Reply
	if err := json.Unmarshal(line, &r); err != nil {
		return Reply{Code: NoneHere, Line: fmt.Sprintf("approval socket %s: unreadable answer: %v", path, err)}
	}
	r.Line = inert(r.Line)
	return r
}

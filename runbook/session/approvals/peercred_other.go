//go:build !linux

package approvals

import (
	"errors"
	"net"
)

// peerUID needs SO_PEERCRED, which only Linux has here: elsewhere approvals
// from another login are refused rather than taken on trust.
func peerUID(*net.UnixConn) (int, error) {
	return 0, errors.New("peer credentials are not supported on this system")
}

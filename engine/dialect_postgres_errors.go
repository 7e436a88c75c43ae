package engine

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// pgCode is the SQLSTATE of a PostgreSQL error ("" for others).
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// postgresTransient classifies PostgreSQL's errors: serialization failures,
// deadlocks, lock timeouts, a server shutting down or out of connections,
// a session ended for idling, and lost connections are worth retrying.
func postgresTransient(err error) (transient, ok bool) {
	if tlsRefused(err) { // pgx marks it safe to retry; a retry meets the same certificate
		return false, true
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return true, true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return postgresRefusal(err) == "", true
	}
	code := pgCode(err)
	if code == "" {
		return false, false
	}
	switch {
	case code == "40001", code == "40P01", code == "55P03", code == "53300", code == "57014",
		code == "57P01", code == "57P02", code == "57P03", code == "57P05", strings.HasPrefix(code, "08"):
		return true, true
	}
	return false, true
}

// postgresRefusal names what a PostgreSQL server that answered said no to.
func postgresRefusal(err error) string {
	switch pgCode(err) {
	case "28P01", "28000":
		return "login refused"
	case "3D000":
		return "no such database"
	case "3F000":
		return "no such schema"
	}
	if tlsRefused(err) {
		return "TLS refused"
	}
	return ""
}

// tlsRefused tells that a connection failed on TLS itself, which retrying
// does not change: the server's certificate was not accepted
// (sslmode=verify-ca/verify-full), or every attempt was turned down for
// TLS (sslmode=require against a server without it).
func tlsRefused(err error) bool {
	var verify *tls.CertificateVerificationError
	var host x509.HostnameError
	var authority x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	if errors.As(err, &verify) || errors.As(err, &host) || errors.As(err, &authority) || errors.As(err, &invalid) {
		return true
	}
	reasons := connectAttempts(err)
	for _, r := range reasons {
		if !strings.Contains(r, "server refused TLS connection") {
			return false
		}
	}
	return len(reasons) > 0
}

// postgresServerText is a PostgreSQL error's message and detail.
func postgresServerText(err error) string {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return ""
	}
	if pe.Detail != "" {
		return pe.Message + " (" + pe.Detail + ")"
	}
	return pe.Message
}

// postgresConnectReason is why pgx could not connect, in one line, said
// once: the server's message when it answered, else each distinct reason
// of the attempts (pgx tries with and without TLS and joins both, framed by
// "failed to connect to `user=… database=…`" and a line per attempt).
// "" when err is not a failed connection.
func postgresConnectReason(err error) string {
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) {
		return ""
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message + " (SQLSTATE " + pe.Code + ")"
	}
	return strings.Join(connectAttempts(err), "; ")
}

// connectAttempts is each distinct reason of a failed connection's
// attempts, without their addresses (nil when err is no such failure).
func connectAttempts(err error) []string {
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) {
		return nil
	}
	inner := errors.Unwrap(ce)
	attempts := []error{inner}
	if j, ok := inner.(interface{ Unwrap() []error }); ok {
		attempts = j.Unwrap()
	}
	var reasons []string
	for _, a := range attempts {
		if u := errors.Unwrap(a); u != nil { // the attempt's own error, without its address
			a = u
		}
		r := strings.Join(strings.Fields(a.Error()), " ")
		if r != "" && !slices.Contains(reasons, r) {
			reasons = append(reasons, r)
		}
	}
	return reasons
}

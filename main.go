// Command runway drives a live data migration from a runbook, recording every
// step in a hash-chained audit log.
package main

import (
	"os"

	"runway/ui/cli"
)

func main() {
	os.Exit(cli.Execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

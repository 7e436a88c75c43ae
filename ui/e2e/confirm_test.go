package e2e

// runPhase presses R and answers the confirmation: Yes, or for a high-risk
// phase its id typed out.
func runPhase(tm *tmux, highRiskID string) {
	tm.t.Helper()
	tm.keys("R")
	if highRiskID != "" {
		tm.waitFor(`Type `+highRiskID+` to run phase`, quick)
		tm.text(highRiskID)
	} else {
		tm.waitFor(`Yes, run phase`, quick)
		tm.keys("Tab")
	}
	tm.keys("Enter")
}

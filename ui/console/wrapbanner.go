package console

import "strings"

// maxBannerReasonLines bounds a stop's reason in the banner; a longer one
// ends with … and is whole in the detail pane and the report.
const maxBannerReasonLines = 3

// bannerWrap draws a banner line that wraps instead of being cut, its
// continuation lines indented under the text after the icon.
func (m Model) bannerWrap(line string) []string {
	const indent = "   "
	lines := wrap(line, m.width-1)
	if len(lines) > 1 {
		rest := wrap(strings.Join(lines[1:], " "), m.width-1-len(indent))
		lines = append(lines[:1], rest...)
		for i := 1; i < len(lines); i++ {
			lines[i] = indent + lines[i]
		}
	}
	if len(lines) > maxBannerReasonLines {
		lines = append(lines[:maxBannerReasonLines-1], cut(lines[maxBannerReasonLines-1]+" "+strings.Join(lines[maxBannerReasonLines:], " "), m.width-1))
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = m.sty.Banner.Render(fit(l, m.width))
	}
	return out
}

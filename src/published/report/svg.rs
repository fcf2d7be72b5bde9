//! Bar charts as inline SVG: text and rectangles only, no script, no
//! external reference, so the page that holds them reads offline.

use super::html::escape;
use super::BarChart;

const WIDTH: f64 = 760.0;
const LABEL: f64 = 230.0;
const BAR: f64 = 18.0;
const GAP: f64 = 6.0;
const TOP: f64 = 30.0;

/// A horizontal bar chart: one row per bar, label left, value text right of the bar.
pub fn bar_chart(chart: &BarChart) -> String {
    let height = TOP + chart.bars.len() as f64 * (BAR + GAP) + GAP;
    let span = WIDTH - LABEL - 90.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{t}\" font-family=\"sans-serif\" font-size=\"12\">\n<title>{t}</title>\n<text x=\"0\" y=\"18\" font-weight=\"bold\" font-size=\"14\">{t}</text>\n",
        t = escape(&chart.title)
    );
    for (i, (label, value, text)) in chart.bars.iter().enumerate() {
        let y = TOP + i as f64 * (BAR + GAP);
        let w = if chart.max > 0.0 {
            (value / chart.max).clamp(0.0, 1.0) * span
        } else {
            0.0
        };
        out.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text><rect x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR}\" fill=\"#3b7dd8\"/><text x=\"{vx:.1}\" y=\"{ty}\">{text}</text>\n",
            lx = LABEL - 8.0,
            ty = y + BAR - 4.0,
            vx = LABEL + w + 6.0,
            label = escape(label),
            text = escape(text),
        ));
    }
    out.push_str("</svg>\n");
    out
}

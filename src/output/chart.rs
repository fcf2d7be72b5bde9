//! Charts: a time-series line chart written as a standalone SVG document (dates on the x axis,
//! one step line per series, a legend), and a horizontal bar chart for an HTML page. Both through
//! the one SVG writer ([`crate::output::svg`]), no drawing library; every text is escaped.

use std::fmt::{Display, Write};

use crate::output::svg::{d1, Svg};

/// One line: a name and (unix seconds, value) points, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(i64, f64)>,
}

/// A line chart over time.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub title: String,
    pub y_label: String,
    /// Top of the y axis (the bottom is 0).
    pub y_max: f64,
    pub series: Vec<Series>,
}

/// Colours of the lines, in order (Tableau 10, then darker shades).
const PALETTE: &[&str] = &[
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#2f4b7c", "#a05195", "#d45087", "#665191", "#003f5c", "#ffa600",
];

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 480.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 240.0;
const TOP: f64 = 48.0;
const BOTTOM: f64 = 56.0;

impl Chart {
    /// The chart as an SVG document.
    pub fn svg(&self) -> String {
        let frame = self.frame();
        let mut s = Svg::new();
        s.declaration();
        s.open_svg(
            WIDTH,
            HEIGHT,
            &[("font-family", &"sans-serif"), ("font-size", &12)],
        );
        s.element("title", &[], &self.title);
        s.newline();
        s.empty(
            "rect",
            &[
                ("x", &0),
                ("y", &0),
                ("width", &WIDTH),
                ("height", &HEIGHT),
                ("fill", &"#ffffff"),
            ],
        );
        s.newline();
        let title = [
            ("x", &LEFT as &dyn Display),
            ("y", &28),
            ("font-size", &16),
            ("font-weight", &"bold"),
        ];
        s.element("text", &title, &self.title);
        s.newline();
        self.y_axis(&mut s, &frame);
        x_axis(&mut s, &frame);
        self.lines(&mut s, &frame);
        s.finish()
    }

    /// Where the plot is and how values map into it.
    fn frame(&self) -> Frame {
        let (x0, x1) = self.time_range();
        Frame {
            x0,
            x1,
            width: WIDTH - LEFT - RIGHT,
            height: HEIGHT - TOP - BOTTOM,
            y_max: if self.y_max > 0.0 { self.y_max } else { 1.0 },
        }
    }

    /// Five steps up the y axis, grid lines and labels, and the axis's name.
    fn y_axis(&self, s: &mut Svg, f: &Frame) {
        for i in 0..=5 {
            let v = f.y_max * f64::from(i) / 5.0;
            let y = d1(f.y(v));
            let right = d1(LEFT + f.width);
            s.empty(
                "line",
                &[
                    ("x1", &LEFT),
                    ("y1", &y),
                    ("x2", &right),
                    ("y2", &y),
                    ("stroke", &"#dddddd"),
                ],
            );
            s.newline();
            let (x, y) = (d1(LEFT - 6.0), d1(f.y(v) + 4.0));
            let at = [
                ("x", &x as &dyn Display),
                ("y", &y),
                ("text-anchor", &"end"),
            ];
            s.element("text", &at, &trim_number(v));
            s.newline();
        }
        let turn = format!("translate(16 {:.1}) rotate(-90)", TOP + f.height / 2.0);
        let at = [
            ("transform", &turn as &dyn Display),
            ("text-anchor", &"middle"),
        ];
        s.element("text", &at, &self.y_label);
        s.newline();
    }

    /// The line of each series (steps: adoption holds until the next commit) and its legend entry.
    fn lines(&self, s: &mut Svg, f: &Frame) {
        for (i, series) in self.series.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let mut pts = String::new();
            let mut last: Option<f64> = None;
            for &(t, v) in &series.points {
                if let Some(prev) = last {
                    let _ = write!(pts, "{:.1},{:.1} ", f.x(t), f.y(prev));
                }
                let _ = write!(pts, "{:.1},{:.1} ", f.x(t), f.y(v));
                last = Some(v);
            }
            let line = [
                ("fill", &"none" as &dyn Display),
                ("stroke", &colour),
                ("stroke-width", &2),
                ("points", &pts.trim_end()),
            ];
            s.open("polyline", &line);
            s.element("title", &[], &series.name);
            s.close("polyline");
            s.newline();
            let ly = TOP + 8.0 + i as f64 * 20.0;
            let lx = LEFT + f.width + 16.0;
            let (x1, x2, y) = (d1(lx), d1(lx + 18.0), d1(ly));
            let key = [
                ("x1", &x1 as &dyn Display),
                ("y1", &y),
                ("x2", &x2),
                ("y2", &y),
                ("stroke", &colour),
                ("stroke-width", &3),
            ];
            s.empty("line", &key);
            s.newline();
            let end = series
                .points
                .last()
                .map(|p| format!(" ({})", trim_number(p.1)))
                .unwrap_or_default();
            let (x, y) = (d1(lx + 24.0), d1(ly + 4.0));
            let label = format!("{}{end}", series.name);
            s.element("text", &[("x", &x), ("y", &y)], &label);
            s.newline();
        }
    }

    fn time_range(&self) -> (i64, i64) {
        let all = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0));
        let (lo, hi) = all.fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
        if lo > hi {
            (0, 1)
        } else if lo == hi {
            (lo - 86_400, hi + 86_400)
        } else {
            (lo, hi)
        }
    }
}

/// The plot area of a [`Chart`] and its scales.
struct Frame {
    x0: i64,
    x1: i64,
    width: f64,
    height: f64,
    y_max: f64,
}

impl Frame {
    fn x(&self, t: i64) -> f64 {
        LEFT + (t - self.x0) as f64 / (self.x1 - self.x0).max(1) as f64 * self.width
    }

    fn y(&self, v: f64) -> f64 {
        TOP + self.height - v.clamp(0.0, self.y_max) / self.y_max * self.height
    }
}

/// The x axis: the first day of months (thinned to at most 12 labels), both axis lines and the
/// axis's name.
fn x_axis(s: &mut Svg, f: &Frame) {
    let bottom = d1(TOP + f.height);
    let ticks = month_ticks(f.x0, f.x1);
    let every = ticks.len().div_ceil(12).max(1);
    for (t, label) in ticks.iter().step_by(every) {
        let x = d1(f.x(*t));
        let tick = [
            ("x1", &x as &dyn Display),
            ("y1", &TOP),
            ("x2", &x),
            ("y2", &bottom),
            ("stroke", &"#eeeeee"),
        ];
        s.empty("line", &tick);
        s.newline();
        let y = d1(TOP + f.height + 18.0);
        let at = [
            ("x", &x as &dyn Display),
            ("y", &y),
            ("text-anchor", &"middle"),
        ];
        s.element("text", &at, label);
        s.newline();
    }
    let right = d1(LEFT + f.width);
    let axis = [
        ("x1", &LEFT as &dyn Display),
        ("y1", &bottom),
        ("x2", &right),
        ("y2", &bottom),
        ("stroke", &"#333333"),
    ];
    s.empty("line", &axis);
    s.newline();
    let axis = [
        ("x1", &LEFT as &dyn Display),
        ("y1", &TOP),
        ("x2", &LEFT),
        ("y2", &bottom),
        ("stroke", &"#333333"),
    ];
    s.empty("line", &axis);
    s.newline();
    let (x, y) = (d1(LEFT + f.width / 2.0), d1(HEIGHT - 12.0));
    let at = [
        ("x", &x as &dyn Display),
        ("y", &y),
        ("text-anchor", &"middle"),
    ];
    s.element("text", &at, "date of the commit");
    s.newline();
}

/// Horizontal bars: label, value, and the text printed after the bar.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub bars: Vec<(String, f64, String)>,
    /// The value of a full-width bar.
    pub max: f64,
}

const BAR_WIDTH: f64 = 760.0;
const BAR_LABEL: f64 = 230.0;
const BAR: f64 = 18.0;
const BAR_GAP: f64 = 6.0;
const BAR_TOP: f64 = 30.0;

impl BarChart {
    /// Inline SVG (for an HTML page): text and rectangles only, no script, no external
    /// reference; one row per bar, label left, value text right of the bar.
    pub fn svg(&self) -> String {
        let height = BAR_TOP + self.bars.len() as f64 * (BAR + BAR_GAP) + BAR_GAP;
        let span = BAR_WIDTH - BAR_LABEL - 90.0;
        let mut s = Svg::new();
        let head = [
            ("role", &"img" as &dyn Display),
            ("aria-label", &self.title),
            ("font-family", &"sans-serif"),
            ("font-size", &12),
        ];
        s.open_svg(BAR_WIDTH, height, &head);
        s.element("title", &[], &self.title);
        s.newline();
        let at = [
            ("x", &0 as &dyn Display),
            ("y", &18),
            ("font-weight", &"bold"),
            ("font-size", &14),
        ];
        s.element("text", &at, &self.title);
        s.newline();
        for (i, (label, value, text)) in self.bars.iter().enumerate() {
            let y = BAR_TOP + i as f64 * (BAR + BAR_GAP);
            let w = if self.max > 0.0 {
                (value / self.max).clamp(0.0, 1.0) * span
            } else {
                0.0
            };
            let ty = y + BAR - 4.0;
            let at = [
                ("x", &(BAR_LABEL - 8.0) as &dyn Display),
                ("y", &ty),
                ("text-anchor", &"end"),
            ];
            s.element("text", &at, label);
            let bar = [
                ("x", &BAR_LABEL as &dyn Display),
                ("y", &y),
                ("width", &d1(w)),
                ("height", &BAR),
                ("fill", &"#3b7dd8"),
            ];
            s.empty("rect", &bar);
            s.element("text", &[("x", &d1(BAR_LABEL + w + 6.0)), ("y", &ty)], text);
            s.newline();
        }
        s.finish()
    }
}

/// `12.5` -> `12.5`, `20.0` -> `20`.
fn trim_number(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Unix seconds of an ISO 8601 date (`2025-10-30T18:58:05-05:00`, `...Z`, or `2025-10-30`).
pub fn epoch_seconds(iso: &str) -> Option<i64> {
    let num = |s: &str| s.parse::<i64>().ok();
    let y = num(iso.get(0..4)?)?;
    let m = num(iso.get(5..7)?)?;
    let d = num(iso.get(8..10)?)?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if let Some(time) = iso.get(11..19) {
        secs += num(&time[0..2])? * 3600 + num(&time[3..5])? * 60 + num(&time[6..8])?;
        let zone = &iso[19..];
        if let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') {
            let off = num(zone.get(1..3)?)? * 3600 + num(zone.get(4..6)?)? * 60;
            secs -= if sign == '+' { off } else { -off };
        }
    }
    Some(secs)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The first day of every month within `[from, to]`, as (seconds, `YYYY-MM`).
fn month_ticks(from: i64, to: i64) -> Vec<(i64, String)> {
    let days = from.div_euclid(86_400);
    let (mut y, mut m) = civil_year_month(days);
    let mut out = Vec::new();
    for _ in 0..1200 {
        let t = days_from_civil(y, m, 1) * 86_400;
        if t > to {
            break;
        }
        if t >= from {
            out.push((t, format!("{y:04}-{m:02}")));
        }
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// (year, month) of a day count since 1970-01-01.
fn civil_year_month(days: i64) -> (i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_table() {
        let cases = [
            ("1970-01-01", 0),
            ("1970-01-02T00:00:00Z", 86_400),
            ("2025-10-30T18:58:05-05:00", 1_761_868_685),
            ("2026-03-16T10:00:00+01:00", 1_773_651_600),
        ];
        for (iso, want) in cases {
            assert_eq!(epoch_seconds(iso), Some(want), "{iso}");
        }
        assert_eq!(epoch_seconds("yesterday"), None);
        assert_eq!(civil_year_month(days_from_civil(2024, 2, 29)), (2024, 2));
    }

    #[test]
    fn months_between_two_dates() {
        let ticks = month_ticks(
            epoch_seconds("2025-10-15").unwrap(),
            epoch_seconds("2026-01-02").unwrap(),
        );
        let labels: Vec<&str> = ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["2025-11", "2025-12", "2026-01"]);
    }

    #[test]
    fn text_is_escaped() {
        let c = Chart {
            title: "A & <B>".into(),
            y_label: "%".into(),
            y_max: 100.0,
            series: vec![Series {
                name: "x\"y".into(),
                points: vec![(0, 10.0), (86_400, 20.0)],
            }],
        };
        let svg = c.svg();
        assert!(svg.contains("A &amp; &lt;B&gt;"));
        assert!(svg.contains("x&quot;y"));
        assert!(!svg.contains("<B>"));
    }
}

//! Charts: a time-series line chart written as a standalone SVG document
//! (dates on the x axis, one step line per series, a legend). Plain text
//! generation, no drawing library; every text is XML-escaped.

use std::fmt::Write;

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
        let (x0, x1) = self.time_range();
        let pw = WIDTH - LEFT - RIGHT;
        let ph = HEIGHT - TOP - BOTTOM;
        let y_max = if self.y_max > 0.0 { self.y_max } else { 1.0 };
        let sx = |t: i64| LEFT + (t - x0) as f64 / (x1 - x0).max(1) as f64 * pw;
        let sy = |v: f64| TOP + ph - v.clamp(0.0, y_max) / y_max * ph;
        let mut s = String::new();
        let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
        );
        let _ = writeln!(s, r#"<title>{}</title>"#, escape(&self.title));
        let _ = writeln!(
            s,
            r##"<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##
        );
        let _ = writeln!(
            s,
            r#"<text x="{LEFT}" y="28" font-size="16" font-weight="bold">{}</text>"#,
            escape(&self.title)
        );
        // Y axis: five steps, grid lines and labels.
        for i in 0..=5 {
            let v = y_max * f64::from(i) / 5.0;
            let y = sy(v);
            let _ = writeln!(
                s,
                r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#dddddd"/>"##,
                LEFT + pw
            );
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                LEFT - 6.0,
                y + 4.0,
                trim_number(v)
            );
        }
        let _ = writeln!(
            s,
            r#"<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
            TOP + ph / 2.0,
            escape(&self.y_label)
        );
        // X axis: the first day of months, thinned to at most 12 labels.
        let ticks = month_ticks(x0, x1);
        let every = ticks.len().div_ceil(12).max(1);
        for (t, label) in ticks.iter().step_by(every) {
            let x = sx(*t);
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#eeeeee"/>"##,
                TOP + ph
            );
            let _ = writeln!(
                s,
                r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{label}</text>"#,
                TOP + ph + 18.0
            );
        }
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#333333"/>"##,
            TOP + ph,
            LEFT + pw,
            TOP + ph
        );
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}" stroke="#333333"/>"##,
            TOP + ph
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">date of the commit</text>"#,
            LEFT + pw / 2.0,
            HEIGHT - 12.0
        );
        // Lines (steps: adoption holds until the next commit) and the legend.
        for (i, series) in self.series.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let mut pts = String::new();
            let mut last: Option<f64> = None;
            for &(t, v) in &series.points {
                if let Some(prev) = last {
                    let _ = write!(pts, "{:.1},{:.1} ", sx(t), sy(prev));
                }
                let _ = write!(pts, "{:.1},{:.1} ", sx(t), sy(v));
                last = Some(v);
            }
            let _ = writeln!(
                s,
                r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"><title>{}</title></polyline>"#,
                pts.trim_end(),
                escape(&series.name)
            );
            let ly = TOP + 8.0 + i as f64 * 20.0;
            let lx = LEFT + pw + 16.0;
            let _ = writeln!(
                s,
                r#"<line x1="{lx:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="3"/>"#,
                lx + 18.0
            );
            let end = series
                .points
                .last()
                .map(|p| format!(" ({})", trim_number(p.1)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}">{}{}</text>"#,
                lx + 24.0,
                ly + 4.0,
                escape(&series.name),
                escape(&end)
            );
        }
        s.push_str("</svg>\n");
        s
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

/// `12.5` -> `12.5`, `20.0` -> `20`.
fn trim_number(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Escapes text for XML content and attributes.
pub fn escape(s: &str) -> String {
    crate::output::sink::html(s).into_owned()
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

//! The one SVG writer: elements, attributes and text, every attribute value and text escaped
//! ([`sink::html`]: the five XML escapes, control characters shown escaped). Both charts
//! ([`crate::output::chart`]) write through it; the layout (which elements share a line) is the
//! caller's, by [`Svg::newline`].

use std::fmt::{Display, Write};

use crate::output::sink;

/// An attribute: a name and any value that displays (numbers as the caller formatted them).
pub type Attribute<'a> = (&'a str, &'a dyn Display);

/// SVG markup being written.
#[derive(Debug, Default)]
pub struct Svg {
    out: String,
}

impl Svg {
    pub fn new() -> Svg {
        Svg::default()
    }

    /// The XML declaration of a standalone document, on a line of its own.
    pub fn declaration(&mut self) {
        self.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /// `<svg xmlns=... width height viewBox ...>` and `attributes`, on a line of its own.
    pub fn open_svg(&mut self, width: f64, height: f64, attributes: &[Attribute]) {
        let view_box = format!("0 0 {width} {height}");
        let mut all: Vec<Attribute> = vec![
            ("xmlns", &"http://www.w3.org/2000/svg"),
            ("width", &width),
            ("height", &height),
            ("viewBox", &view_box),
        ];
        all.extend_from_slice(attributes);
        self.open("svg", &all);
        self.newline();
    }

    /// `<name attributes>`.
    pub fn open(&mut self, name: &str, attributes: &[Attribute]) {
        self.start(name, attributes);
        self.out.push('>');
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        let _ = write!(self.out, "</{name}>");
    }

    /// `<name attributes/>`.
    pub fn empty(&mut self, name: &str, attributes: &[Attribute]) {
        self.start(name, attributes);
        self.out.push_str("/>");
    }

    /// `<name attributes>text</name>`, the text escaped.
    pub fn element(&mut self, name: &str, attributes: &[Attribute], text: &str) {
        self.open(name, attributes);
        self.out.push_str(&sink::html(text));
        self.close(name);
    }

    pub fn newline(&mut self) {
        self.out.push('\n');
    }

    /// `</svg>` on a line of its own, and the markup.
    pub fn finish(mut self) -> String {
        self.close("svg");
        self.newline();
        self.out
    }

    fn start(&mut self, name: &str, attributes: &[Attribute]) {
        let _ = write!(self.out, "<{name}");
        for (key, value) in attributes {
            let value = value.to_string();
            let _ = write!(self.out, " {key}=\"{}\"", sink::html(&value));
        }
    }
}

/// `12.34` -> `12.3`: an attribute value to one decimal place.
pub fn d1(v: f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_text_are_escaped() {
        let mut s = Svg::new();
        s.open_svg(10.0, 2.5, &[("aria-label", &"a 'b' <c>")]);
        s.element("text", &[("x", &d1(1.26)), ("fill", &"#fff")], "x & \"y\"");
        s.empty("rect", &[("width", &3)]);
        s.newline();
        assert_eq!(
            s.finish(),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"2.5\" viewBox=\"0 0 10 2.5\" aria-label=\"a &#39;b&#39; &lt;c&gt;\">\n\
             <text x=\"1.3\" fill=\"#fff\">x &amp; &quot;y&quot;</text><rect width=\"3\"/>\n</svg>\n"
        );
    }
}

//! Laying text out on A4 pages: words measured with the embedded font's own advances,
//! lines wrapped to a width, and a new page begun when the next block does not fit.
//! Pages are plain lists of placed text and rules, written to PDF afterwards
//! ([`crate::pdf`]), so that every page's footer can say how many pages there are.

use ttf_parser::Face;

/// A4, in millimetres.
pub(crate) const PAGE_WIDTH: f32 = 210.0;
pub(crate) const PAGE_HEIGHT: f32 = 297.0;
pub(crate) const MARGIN: f32 = 22.0;
/// Where the body starts below the header, and stops above the footer.
const BODY_TOP: f32 = PAGE_HEIGHT - 30.0;
const BODY_BOTTOM: f32 = 24.0;
/// Points to millimetres.
const PT: f32 = 25.4 / 72.0;

/// The two faces of the embedded font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// A grey for secondary text and rules, and black.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Ink {
    Black,
    Grey,
    Red,
}

/// Text placed on a page: its baseline starts at (`x`, `y`), in millimetres from the
/// bottom left.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub weight: Weight,
    pub ink: Ink,
    pub text: String,
}

/// A horizontal rule from `x1` to `x2` at `y`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rule {
    pub x1: f32,
    pub x2: f32,
    pub y: f32,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Page {
    pub texts: Vec<Placed>,
    pub rules: Vec<Rule>,
}

/// Measures text in the embedded faces.
pub(crate) struct Metrics<'a> {
    regular: Face<'a>,
    bold: Face<'a>,
}

impl<'a> Metrics<'a> {
    pub(crate) fn new(
        regular: &'a [u8],
        bold: &'a [u8],
    ) -> Result<Self, ttf_parser::FaceParsingError> {
        Ok(Self {
            regular: Face::parse(regular, 0)?,
            bold: Face::parse(bold, 0)?,
        })
    }

    /// The width of `text` at `size` points, in millimetres.
    pub(crate) fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let face = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        let units: u32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|glyph| face.glyph_hor_advance(glyph))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 * size * PT / f32::from(face.units_per_em())
    }

    /// `text` broken into lines no wider than `width` millimetres, at word boundaries; a
    /// word wider than a line is broken where it must be.
    pub(crate) fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size, weight) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if self.width(&line, size, weight) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// Writes blocks of text down the pages, starting a page when one is full.
pub(crate) struct Writer<'a> {
    pub metrics: &'a Metrics<'a>,
    /// The pages filled so far, and the page being filled.
    done: Vec<Page>,
    current: Page,
    /// The baseline of the next line on the last page.
    y: f32,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(metrics: &'a Metrics<'a>) -> Self {
        Self {
            metrics,
            done: Vec::new(),
            current: Page::default(),
            y: BODY_TOP,
        }
    }

    /// The width lines may take.
    pub(crate) fn measure() -> f32 {
        PAGE_WIDTH - 2.0 * MARGIN
    }

    fn page(&mut self) -> &mut Page {
        &mut self.current
    }

    /// Every page, the last one included.
    pub(crate) fn finish(mut self) -> Vec<Page> {
        self.done.push(self.current);
        self.done
    }

    /// Starts a new page unless `height` millimetres still fit on this one.
    pub(crate) fn keep(&mut self, height: f32) {
        if self.y - height < BODY_BOTTOM {
            self.done.push(std::mem::take(&mut self.current));
            self.y = BODY_TOP;
        }
    }

    /// Leaves `height` millimetres of space (none at the top of a page).
    pub(crate) fn space(&mut self, height: f32) {
        if self.y < BODY_TOP {
            self.y -= height;
        }
    }

    /// One line of text at `x` (from the left margin), moving down a line.
    pub(crate) fn line(&mut self, x: f32, text: &str, style: Style) {
        let height = style.leading();
        self.keep(height);
        self.y -= style.size * PT;
        let y = self.y;
        if text.is_empty() {
            self.y -= height - style.size * PT;
            return;
        }
        self.page().texts.push(Placed {
            x: MARGIN + x,
            y,
            size: style.size,
            weight: style.weight,
            ink: style.ink,
            text: text.to_owned(),
        });
        self.y -= height - style.size * PT;
    }

    /// A line centred on the page.
    pub(crate) fn centred(&mut self, text: &str, style: Style) {
        for line in self
            .metrics
            .wrap(text, style.size, style.weight, Self::measure())
        {
            let width = self.metrics.width(&line, style.size, style.weight);
            self.line((Self::measure() - width) / 2.0, &line, style);
        }
    }

    /// A paragraph wrapped to the width from `indent` to the right margin.
    pub(crate) fn paragraph(&mut self, indent: f32, text: &str, style: Style) {
        for line in self
            .metrics
            .wrap(text, style.size, style.weight, Self::measure() - indent)
        {
            self.line(indent, &line, style);
        }
    }

    /// A paragraph that starts with `marker` ("1.", "•") hanging in the indent.
    pub(crate) fn item(&mut self, indent: f32, marker: &str, text: &str, style: Style) {
        let lines = self
            .metrics
            .wrap(text, style.size, style.weight, Self::measure() - indent);
        self.keep(style.leading() * lines.len().min(3) as f32);
        for (index, line) in lines.iter().enumerate() {
            if index == 0 {
                let y = self.y - style.size * PT;
                self.page().texts.push(Placed {
                    x: MARGIN + indent - 5.0,
                    y,
                    size: style.size,
                    weight: style.weight,
                    ink: style.ink,
                    text: marker.to_owned(),
                });
            }
            self.line(indent, line, style);
        }
    }

    /// A row of cells, each wrapped to its column; the row moves down by its tallest cell.
    pub(crate) fn row(&mut self, columns: &[f32], cells: &[&str], style: Style) {
        let wrapped: Vec<Vec<String>> = columns
            .iter()
            .zip(cells)
            .map(|(width, cell)| {
                self.metrics
                    .wrap(cell, style.size, style.weight, width - 2.0)
            })
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        self.keep(style.leading() * lines as f32);
        let top = self.y;
        for line in 0..lines {
            self.y -= style.size * PT;
            let y = self.y;
            let mut x = MARGIN;
            for (width, cell) in columns.iter().zip(&wrapped) {
                if let Some(text) = cell.get(line) {
                    self.page().texts.push(Placed {
                        x,
                        y,
                        size: style.size,
                        weight: style.weight,
                        ink: style.ink,
                        text: text.clone(),
                    });
                }
                x += width;
            }
            self.y -= style.leading() - style.size * PT;
        }
        debug_assert!(self.y < top);
    }

    /// A rule across the measure, below the last line.
    pub(crate) fn rule(&mut self) {
        let y = self.y + 1.0;
        self.page().rules.push(Rule {
            x1: MARGIN,
            x2: PAGE_WIDTH - MARGIN,
            y,
        });
        self.y -= 1.5;
    }

    /// A rule of `length` from `x` (from the left margin) at the current line, to sign on.
    pub(crate) fn signing_line(&mut self, x: f32, length: f32) {
        let y = self.y;
        self.page().rules.push(Rule {
            x1: MARGIN + x,
            x2: MARGIN + x + length,
            y,
        });
    }

    /// The baseline of the next line, for blocks laid side by side.
    pub(crate) fn y(&self) -> f32 {
        self.y
    }

    pub(crate) fn set_y(&mut self, y: f32) {
        self.y = y;
    }
}

/// Size, weight and ink of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub size: f32,
    pub weight: Weight,
    pub ink: Ink,
}

impl Style {
    pub(crate) const fn new(size: f32, weight: Weight) -> Self {
        Self {
            size,
            weight,
            ink: Ink::Black,
        }
    }

    pub(crate) const fn grey(self) -> Self {
        Self {
            ink: Ink::Grey,
            ..self
        }
    }

    /// The distance between baselines, in millimetres.
    pub(crate) fn leading(self) -> f32 {
        self.size * 1.4 * PT
    }
}

//! The bounds on what `assure` reads, in one place, so docs/robustness.md can state them
//! and every loader enforces the same numbers. Each is far beyond any hand-written pack or
//! council's evidence, and low enough that time and memory stay small whatever arrives.

/// Which bound a file passed, for a caller that says it in its own terms (an import
/// whose evidence would hold too many values names the row where it passes the bound).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlLimit {
    Depth,
    Values,
    Aliases,
    Text,
    Documents,
}

/// Largest input file read, in bytes (16 MiB). Checked before the file is read.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Longest line in an input file, in bytes (1 MiB). A one-line JSON export of a large
/// council's evidence is about 100 KiB.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Deepest nesting of YAML lists and mappings. Packs and evidence need five levels.
pub const MAX_YAML_DEPTH: usize = 32;

/// Most YAML nodes (scalars, lists, mappings) in one file, aliases expanded.
pub const MAX_YAML_NODES: usize = 500_000;

/// Most alias uses (`*name`) in one file. Hand-written files rarely use any.
pub const MAX_YAML_ALIASES: usize = 1_000;

/// Most text in one file's scalars, aliases expanded (32 MiB): twice the file limit,
/// so an alias cannot multiply a file's text into gigabytes.
pub const MAX_YAML_SCALAR_BYTES: usize = 32 * 1024 * 1024;

/// Most `---`-separated documents in one file (a pack: one per statement, plus a header).
pub const MAX_YAML_DOCUMENTS: usize = 256;

/// Longest rule sentence, in characters. The default pack's longest is about 200.
pub const MAX_SENTENCE_CHARS: usize = 2_000;

/// Most levels of `not` and parentheses in one rule sentence, counted together. The
/// parser and everything that walks a rule recurse once per level.
pub const MAX_SENTENCE_NESTING: usize = 24;

/// Numbers in evidence, rules and tables are below this in size: one trillion
/// (1,000,000,000,000). Rules subtract numbers and take percentages of them; below this
/// every such sum and product fits exactly, so no comparison can overflow. A council's
/// largest figures (spending in pounds, people in a county) are far smaller.
pub const MAX_MAGNITUDE: rust_decimal::Decimal =
    rust_decimal::Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// The words for [`MAX_MAGNITUDE`] in messages.
pub const MAX_MAGNITUDE_WORDS: &str = "1,000,000,000,000 (one trillion)";

/// The YAML parser's budget, built from the limits above.
pub fn yaml_budget() -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_reader_input_bytes = Some(MAX_FILE_BYTES as usize);
    budget.max_depth = MAX_YAML_DEPTH;
    budget.flow_nesting_limit = MAX_YAML_DEPTH;
    budget.max_nodes = MAX_YAML_NODES;
    budget.max_events = 4 * MAX_YAML_NODES;
    budget.max_aliases = MAX_YAML_ALIASES;
    budget.max_anchors = MAX_YAML_ALIASES;
    budget.max_total_scalar_bytes = MAX_YAML_SCALAR_BYTES;
    budget.max_recorded_anchor_bytes = MAX_YAML_SCALAR_BYTES;
    budget.max_documents = MAX_YAML_DOCUMENTS;
    budget
}

/// Where a sentence first nests deeper than [`MAX_SENTENCE_NESTING`]: the byte range of
/// the `not` or `(` that goes one level too far. Counted generously: every `not` outside
/// quotes counts as a level, added to the parentheses open at that point. Quoted text
/// (metric names, tags) is skipped, and only whole words `not` count.
pub fn too_deeply_nested(sentence: &str) -> Option<std::ops::Range<usize>> {
    nesting_levels(sentence)
        .find(|(depth, _)| *depth > MAX_SENTENCE_NESTING)
        .map(|(_, at)| at)
}

/// Each `not` and `(` with the nesting depth it reaches.
fn nesting_levels(sentence: &str) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + '_ {
    let mut open = 0usize;
    let mut nots = 0usize;
    let mut quoted = false;
    let mut word_start: Option<usize> = None;
    let ends = sentence.char_indices().map(Some).chain([None]);
    ends.filter_map(move |next| {
        let (at, c) = next.unwrap_or((sentence.len(), ' '));
        if quoted {
            quoted = c != '"';
            return None;
        }
        if c.is_alphanumeric() || matches!(c, '_' | '-' | '\'' | '’') {
            word_start.get_or_insert(at);
            return None;
        }
        let finished = word_start.take().map(|start| start..at);
        match c {
            '"' => quoted = true,
            '(' => open += 1,
            ')' => open = open.saturating_sub(1),
            _ => {}
        }
        if let Some(word) = finished.filter(|w| sentence[w.clone()].eq_ignore_ascii_case("not")) {
            nots += 1;
            return Some((open + nots, word));
        }
        (c == '(').then(|| (open + nots, at..at + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::{MAX_MAGNITUDE, MAX_SENTENCE_NESTING, nesting_levels, too_deeply_nested};

    #[test]
    fn the_largest_number_is_one_trillion_and_its_products_fit() {
        assert_eq!(
            MAX_MAGNITUDE,
            rust_decimal::Decimal::from(1_000_000_000_000u64)
        );
        // A percentage margin of a reference, both at the limit, still fits.
        assert!(MAX_MAGNITUDE.checked_mul(MAX_MAGNITUDE).is_some());
    }

    fn deepest(sentence: &str) -> usize {
        nesting_levels(sentence)
            .map(|(depth, _)| depth)
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn nesting_counts_parentheses_and_nots_outside_quotes() {
        assert_eq!(deepest("a below target lowers score"), 0);
        assert_eq!(
            deepest("not (a below target or (b above 3)) lowers score"),
            3
        );
        assert_eq!(deepest("\"not (really\" below target lowers score"), 0);
        assert_eq!(deepest("NOT a below 1 and not b below 2 lowers score"), 2);
        assert_eq!(deepest("knot nothing cannot below 1 lowers score"), 0);
    }

    #[test]
    fn the_level_past_the_limit_is_marked() {
        let sentence = format!(
            "{}a below 1 lowers score",
            "not ".repeat(MAX_SENTENCE_NESTING + 3)
        );
        let at = (MAX_SENTENCE_NESTING) * 4;
        assert_eq!(too_deeply_nested(&sentence), Some(at..at + 3));
        let sentence = format!(
            "{}a below 1{} lowers score",
            "(".repeat(MAX_SENTENCE_NESTING),
            ")".repeat(MAX_SENTENCE_NESTING)
        );
        assert_eq!(too_deeply_nested(&sentence), None);
    }
}

//! The report templates (the top-level `templates/` folder, compiled into the binary so
//! reports render anywhere) and the minijinja environment that fills them. Every value a
//! template prints is escaped for its format unless the template marks it safe: HTML by
//! minijinja's HTML rules, Markdown by [`markdown_text`].

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use crate::diagnostic::Diagnostic;

/// Each template as named in `templates/`; the name picks the escaping.
const TEMPLATES: &[(&str, &str)] = &[
    ("report.md.j2", include_str!("../../templates/report.md.j2")),
    (
        "report.html.j2",
        include_str!("../../templates/report.html.j2"),
    ),
    (
        "charts.html.j2",
        include_str!("../../templates/charts.html.j2"),
    ),
    ("report.css", include_str!("../../templates/report.css")),
];

/// The auto-escape mode of Markdown templates, which [`format_value`] honours.
const MARKDOWN: &str = "markdown";

/// Renders the named template with `context`, or says which template failed and where.
pub fn render(name: &str, context: Value) -> Result<String, Diagnostic> {
    let environment = environment().map_err(|error| failure(name, &error))?;
    let template = environment
        .get_template(name)
        .map_err(|error| failure(name, &error))?;
    template
        .render(context)
        .map_err(|error| failure(name, &error))
}

fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut environment = Environment::new();
    // Block tags on lines of their own leave no blank lines behind.
    environment.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    // A misspelt field is an error in the tests, not an empty string in a report.
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    environment.set_auto_escape_callback(escaping_for);
    environment.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), AutoEscape::Custom(mode) if mode == MARKDOWN)
            && !value.is_safe()
        {
            out.write_str(&markdown_text(&value.to_string()))
                .map_err(minijinja::Error::from)
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    environment.add_filter("code", markdown_code);
    environment.add_filter("css_string", css_string);
    environment.add_filter("autolink", markdown_autolink);
    for (name, source) in TEMPLATES {
        environment.add_template(name, source)?;
    }
    Ok(environment)
}

/// HTML templates (`.html.j2`) escape as HTML, Markdown templates (`.md.j2`) as Markdown;
/// anything else (the stylesheet) is included as written.
fn escaping_for(name: &str) -> AutoEscape {
    if name.ends_with(".html.j2") {
        AutoEscape::Html
    } else if name.ends_with(".md.j2") {
        AutoEscape::Custom(MARKDOWN.into())
    } else {
        AutoEscape::None
    }
}

/// Text from the evidence or the pack as literal Markdown: characters that would start
/// markup are backslash-escaped, so a finding cannot become a link, raw HTML, bold or a
/// table cell break; a line break becomes a space, so it cannot end a list item or row.
/// `_`, `#` and `~` are left alone: they are common in the URLs of sources, which GitHub
/// links only when unbroken; mid-line they can at worst italicise a word, and templates
/// never start a line with a value.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A Markdown code span holding `text` literally: fenced with one more backtick than the
/// longest run inside it, pipes escaped so it can sit in a table cell.
fn markdown_code(text: &str) -> Value {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let body = text.replace(['\n', '\r'], " ").replace('|', "\\|");
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    Value::from_safe_string(format!("{fence}{pad}{body}{pad}{fence}"))
}

/// An `http(s)` address as a Markdown autolink (`<https://...>`), which CommonMark and
/// GitHub link and inside which nothing is markup; an address an autolink cannot hold
/// (space, `<`, `>`, a control) stays escaped text.
fn markdown_autolink(address: &str) -> Value {
    let holdable = (address.starts_with("https://") || address.starts_with("http://"))
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    if holdable {
        Value::from_safe_string(format!("<{address}>"))
    } else {
        Value::from_safe_string(markdown_text(address))
    }
}

/// Text as a quoted CSS string, for the printed footer: quotes and backslashes escaped,
/// and `<`, `>`, `&` and line breaks as escapes, so nothing can end the string or the
/// `<style>` element around it.
fn css_string(text: &str) -> Value {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' | '\n' | '\r' | '\u{c}' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    Value::from_safe_string(out)
}

fn failure(name: &str, error: &minijinja::Error) -> Diagnostic {
    let place = match error.line() {
        Some(line) => format!("templates/{name}:{line}"),
        None => format!("templates/{name}"),
    };
    Diagnostic::error(format!("cannot render the report: {place}: {error}"))
        .with_help("this is a fault in assure's report templates; please report it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_leaves_no_markup() {
        assert_eq!(
            markdown_text("<script>alert(1)</script> [x](y) a|b *c*\nd"),
            "\\<script\\>alert(1)\\</script\\> \\[x\\](y) a\\|b \\*c\\* d"
        );
    }

    #[test]
    fn code_spans_outlast_the_backticks_inside() {
        assert_eq!(markdown_code("plain").to_string(), "`plain`");
        assert_eq!(markdown_code("a`b").to_string(), "``a`b``");
        assert_eq!(markdown_code("`x").to_string(), "`` `x ``");
        assert_eq!(markdown_code("a|b").to_string(), "`a\\|b`");
    }

    #[test]
    fn addresses_autolink_only_when_an_autolink_holds_them() {
        assert_eq!(
            markdown_autolink("https://cqc.org.uk./a_b").to_string(),
            "<https://cqc.org.uk./a_b>"
        );
        assert_eq!(
            markdown_autolink("javascript:alert(1)").to_string(),
            "javascript:alert(1)"
        );
        assert_eq!(
            markdown_autolink("https://x/<b>").to_string(),
            "https://x/\\<b\\>"
        );
    }

    #[test]
    fn css_strings_cannot_break_out() {
        assert_eq!(
            css_string("Medway \"</style><script>\\").to_string(),
            "\"Medway \\\"\\3c /style\\3e \\3c script\\3e \\\\\""
        );
        assert_eq!(css_string("a\nb").to_string(), "\"a\\a b\"");
    }

    #[test]
    fn templates_escape_by_their_format() {
        assert_eq!(escaping_for("report.html.j2"), AutoEscape::Html);
        assert_eq!(
            escaping_for("report.md.j2"),
            AutoEscape::Custom(MARKDOWN.into())
        );
        assert_eq!(escaping_for("report.css"), AutoEscape::None);
    }

    #[test]
    fn a_broken_template_is_an_error_not_a_panic() {
        let mut environment = Environment::new();
        let added = environment.add_template("broken.html.j2", "{% if %}");
        let error = added.expect_err("the syntax error is reported");
        let diagnostic = failure("broken.html.j2", &error);
        assert!(
            diagnostic
                .render()
                .contains("cannot render the report: templates/broken.html.j2:1"),
            "{}",
            diagnostic.render()
        );
    }
}

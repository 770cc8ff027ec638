//! The report templates (the top-level `templates/` folder, compiled into the binary so
//! reports render anywhere) and the minijinja environment that fills them. Every value a
//! template prints is escaped for its format unless the template marks it safe: HTML by
//! minijinja's HTML rules (after [`escape::text`]), Markdown by [`escape::markdown`].

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use crate::report::problem::Problem;
use crate::source::diagnostic::{Diagnostic, Worded};
use crate::source::escape;

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
        if value.is_safe() {
            return minijinja::escape_formatter(out, state, value);
        }
        if matches!(state.auto_escape(), AutoEscape::Custom(mode) if mode == MARKDOWN) {
            return out
                .write_str(&escape::markdown(&value.to_string()))
                .map_err(minijinja::Error::from);
        }
        // HTML: controls become visible stand-ins, then minijinja escapes the markup.
        match value.as_str() {
            Some(text) if escape::text(text) != text => {
                let shown = Value::from(escape::text(text).into_owned());
                minijinja::escape_formatter(out, state, &shown)
            }
            _ => minijinja::escape_formatter(out, state, value),
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

/// A Markdown code span holding `text` literally ([`escape::markdown_code`]).
fn markdown_code(text: &str) -> Value {
    Value::from_safe_string(escape::markdown_code(text))
}

/// A source as a Markdown link when it is a plain web address ([`escape::markdown_link`]).
fn markdown_autolink(address: &str) -> Value {
    Value::from_safe_string(escape::markdown_link(address))
}

/// Text as a quoted CSS string for the printed footer ([`escape::css_string`]).
fn css_string(text: &str) -> Value {
    Value::from_safe_string(escape::css_string(text))
}

fn failure(name: &str, error: &minijinja::Error) -> Diagnostic {
    Problem::Template {
        name: name.to_string(),
        line: error.line(),
        reason: error.to_string(),
    }
    .unplaced()
}

#[cfg(test)]
mod tests {
    use super::*;

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

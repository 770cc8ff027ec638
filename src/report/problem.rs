//! Every problem found while writing a report, as data: which output failed and the
//! library's reason. None points into a file, so each becomes a [`Diagnostic`] in no file,
//! once, at the edge.

use crate::source::diagnostic::{Severity, Worded};

/// A report that cannot be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A report template does not compile or render.
    Template {
        /// The template's name in `templates/`.
        name: String,
        /// The template's line, when the template engine knows it.
        line: Option<usize>,
        reason: String,
    },
    /// A value does not serialise as JSON.
    Json { reason: String },
    /// The Word document cannot be packed.
    Word { reason: String },
}

impl Worded for Problem {
    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn message(&self) -> String {
        match self {
            Problem::Template { name, line, reason } => {
                let place = match line {
                    Some(line) => format!("templates/{name}:{line}"),
                    None => format!("templates/{name}"),
                };
                format!("cannot render the report: {place}: {reason}")
            }
            Problem::Json { reason } => format!("cannot write the JSON output: {reason}"),
            Problem::Word { reason } => format!("cannot write the Word document: {reason}"),
        }
    }

    /// The short label under the marked text: none, as no problem here marks any.
    fn label(&self) -> Option<&str> {
        None
    }

    fn help(&self) -> Option<String> {
        match self {
            Problem::Template { .. } => {
                Some("this is a fault in assure's report templates; please report it".to_string())
            }
            Problem::Json { .. } | Problem::Word { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Problem;
    use crate::source::diagnostic::Worded;

    #[test]
    fn each_problem_words_its_message_and_help() {
        let template = Problem::Template {
            name: "report.md.j2".to_string(),
            line: Some(3),
            reason: "unexpected end of input".to_string(),
        };
        assert_eq!(
            template.message(),
            "cannot render the report: templates/report.md.j2:3: unexpected end of input"
        );
        assert_eq!(
            template.help().as_deref(),
            Some("this is a fault in assure's report templates; please report it")
        );
        let lineless = Problem::Template {
            name: "report.css".to_string(),
            line: None,
            reason: "x".to_string(),
        };
        assert_eq!(
            lineless.message(),
            "cannot render the report: templates/report.css: x"
        );
        let word = Problem::Word {
            reason: "disk full".to_string(),
        };
        assert_eq!(word.message(), "cannot write the Word document: disk full");
        assert_eq!(word.help(), None);
    }
}

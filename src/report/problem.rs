//! Every problem found while writing a report, as data: which output failed and the
//! library's reason. None points into a file, so each becomes a [`Diagnostic`] in no file,
//! once, at the edge.

use crate::source::diagnostic::{Diagnostic, Severity};

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

impl Problem {
    pub(crate) fn severity(&self) -> Severity {
        Severity::Error
    }

    pub(crate) fn message(&self) -> String {
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
    pub(crate) fn label(&self) -> Option<&'static str> {
        None
    }

    pub(crate) fn help(&self) -> Option<String> {
        match self {
            Problem::Template { .. } => {
                Some("this is a fault in assure's report templates; please report it".to_string())
            }
            Problem::Json { .. } | Problem::Word { .. } => None,
        }
    }

    /// The problem as a diagnostic about no file.
    pub(crate) fn unplaced(self) -> Diagnostic {
        Diagnostic::worded(self.severity(), self.message(), self.label(), self.help())
    }
}

#[cfg(test)]
mod tests {
    use super::Problem;

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

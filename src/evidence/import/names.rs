//! A cell's words read as names the framework knows: quality statements and evidence
//! categories, with a suggestion when they are not.

use crate::lang::ast::Category;
use crate::pack::framework::Framework;

use super::problem::Problem;

/// A quality statement by id or name, or several separated by `;` or `,`.
pub(super) fn statements_of(text: &str, framework: &Framework) -> Result<Vec<String>, Problem> {
    let one = |text: &str| framework.statement_named(text).map(|s| s.id.clone());
    if let Some(id) = one(text) {
        return Ok(vec![id]);
    }
    let parts: Vec<&str> = text
        .split([';', ','])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    let mut ids = Vec::new();
    for part in &parts {
        match one(part) {
            Some(id) if parts.len() > 1 => ids.push(id),
            _ => {
                let unknown = if parts.len() > 1 { part } else { text.trim() };
                let help = framework.statement_help(unknown);
                return Err(Problem::UnknownStatement {
                    id: unknown.to_string(),
                    help,
                });
            }
        }
    }
    if ids.is_empty() {
        return Err(Problem::NoStatementIds);
    }
    Ok(ids)
}

/// An evidence category by name, in any case and spacing.
pub(super) fn category_of(text: &str) -> Result<Category, Problem> {
    Category::parse(text).ok_or_else(|| Problem::UnknownCategory {
        given: text.trim().to_string(),
        help: Category::unknown_help(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::builtin::builtin_framework;

    #[test]
    fn unknown_names_are_reported_as_their_problems() {
        let framework = builtin_framework().expect("the built-in framework loads");
        assert_eq!(
            statements_of(" ; ,", &framework),
            Err(Problem::NoStatementIds)
        );
        match statements_of("assessing-needs; no-such-statement", &framework) {
            Err(Problem::UnknownStatement { id, .. }) => assert_eq!(id, "no-such-statement"),
            other => panic!("expected an unknown statement, got {other:?}"),
        }
        match category_of("  outcome-ish ") {
            Err(Problem::UnknownCategory { given, .. }) => assert_eq!(given, "outcome-ish"),
            other => panic!("expected an unknown category, got {other:?}"),
        }
    }
}

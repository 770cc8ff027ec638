//! A cell's words read as names the framework knows: quality statements and evidence
//! categories, with a suggestion when they are not.

use crate::lang::ast::Category;
use crate::pack::framework::Framework;
use crate::source::diagnostic::{did_you_mean, nearest};

/// A quality statement by id or name, or several separated by `;` or `,`.
pub(super) fn statements_of(
    text: &str,
    framework: &Framework,
) -> Result<Vec<String>, (String, String)> {
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
                let known: Vec<&str> = framework.statements().map(|s| s.id.as_str()).collect();
                let help = did_you_mean(&nearest(unknown, known.iter().copied(), 3))
                    .unwrap_or_else(|| format!("the statements are: {}", known.join(", ")));
                return Err((format!("unknown quality statement `{unknown}`"), help));
            }
        }
    }
    if ids.is_empty() {
        return Err((
            "no quality statement".to_string(),
            "write a statement id such as `assessing-needs`".to_string(),
        ));
    }
    Ok(ids)
}

/// An evidence category by name, in any case and spacing.
pub(super) fn category_of(text: &str) -> Result<Category, (String, String)> {
    Category::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        let help = did_you_mean(&nearest(text, names.iter().copied(), 2))
            .unwrap_or_else(|| format!("a category is one of: {}", names.join(", ")));
        (format!("unknown evidence category `{}`", text.trim()), help)
    })
}

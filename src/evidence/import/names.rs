//! A cell's words read as names the framework knows: quality statements and evidence
//! categories, with a suggestion when they are not.

use crate::lang::ast::Category;
use crate::pack::framework::Framework;

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
                let help = framework.statement_help(unknown);
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
        (
            format!("unknown evidence category `{}`", text.trim()),
            Category::unknown_help(text),
        )
    })
}

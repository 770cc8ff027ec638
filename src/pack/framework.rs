//! The CQC framework as data (`rules/framework.yaml`): themes, quality statements with
//! their "we" and "I" statements, score descriptors, rating bands and evidence categories.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::lang::ast::Category;
use crate::pack::problem::Problem;
use crate::source::diagnostic::{Diagnostic, SourceFile, Worded, did_you_mean, nearest};
use crate::source::yaml;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// The framework's identifier, which packs name in their `framework` field.
    pub framework: String,
    pub name: String,
    pub scores: Vec<ScoreDescriptor>,
    /// Rating bands by whole percentage, lowest first.
    pub ratings: Vec<RatingBand>,
    pub categories: Vec<CategoryEntry>,
    /// The topics rules may tag findings with (evidence files may use any tag).
    #[serde(default)]
    pub tags: Vec<String>,
    pub themes: Vec<Theme>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreDescriptor {
    pub score: u8,
    pub descriptor: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RatingBand {
    pub rating: String,
    /// The lowest whole percentage in the band.
    pub from: u32,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryEntry {
    pub name: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: String,
    pub name: String,
    pub statements: Vec<Statement>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub id: String,
    pub name: String,
    /// The local authority's commitment.
    pub we: String,
    /// What people expect (empty where CQC publishes none).
    pub i: String,
    #[serde(default)]
    pub i_more: Vec<String>,
}

impl Framework {
    /// Reads and checks a framework file.
    pub fn load(source: &Arc<SourceFile>) -> Result<Framework, Diagnostic> {
        let framework: Framework = yaml::from_source(source)?;
        framework
            .validate()
            .map_err(|problem| problem.in_file(source))?;
        Ok(framework)
    }

    fn validate(&self) -> Result<(), Problem> {
        let mut previous = 0;
        for band in &self.ratings {
            if band.from <= previous && previous != 0 {
                return Err(Problem::RatingBandsOutOfOrder);
            }
            previous = band.from;
        }
        if self.ratings.is_empty() {
            return Err(Problem::NoRatingBands);
        }
        for entry in &self.categories {
            if Category::parse(&entry.name).is_none() {
                return Err(Problem::UnknownFrameworkCategory {
                    name: entry.name.clone(),
                });
            }
        }
        let mut ids: Vec<&str> = self.statements().map(|s| s.id.as_str()).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|pair| pair[0] == pair[1]) {
            return Err(Problem::StatementIdTwice);
        }
        Ok(())
    }

    /// Every statement, in framework order.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.themes.iter().flat_map(|theme| theme.statements.iter())
    }

    pub fn statement(&self, id: &str) -> Option<&Statement> {
        self.statements().find(|statement| statement.id == id)
    }

    /// The help for a statement id the framework does not have: the nearest ids, or all
    /// of them.
    pub fn statement_help(&self, given: &str) -> String {
        let ids: Vec<&str> = self.statements().map(|s| s.id.as_str()).collect();
        did_you_mean(&nearest(given, ids.iter().copied(), 3))
            .unwrap_or_else(|| format!("the statements are: {}", ids.join(", ")))
    }

    /// The statement a person means by `given`: its id or its name, in any case, with
    /// spaces, `-` and `_` alike (`Safeguarding`, `assessing needs`, `Assessing-Needs`).
    pub fn statement_named(&self, given: &str) -> Option<&Statement> {
        let key = |text: &str| {
            text.split(|c: char| c.is_whitespace() || c == '-' || c == '_' || c == ',')
                .filter(|word| !word.is_empty())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let wanted = key(given);
        self.statement(given).or_else(|| {
            self.statements()
                .find(|s| key(&s.id) == wanted || key(&s.name) == wanted)
        })
    }

    /// The rating band a whole percentage falls in (the lowest band below its floor).
    pub fn band_for(&self, percent: u32) -> Option<(usize, &RatingBand)> {
        self.ratings
            .iter()
            .enumerate()
            .rev()
            .find(|(_, band)| percent >= band.from)
            .or_else(|| self.ratings.first().map(|band| (0, band)))
    }

    /// Whether a tag is in the framework's vocabulary (spacing, `_`, `-` and case aside).
    pub fn knows_tag(&self, tag: &str) -> bool {
        let wanted = crate::lang::ast::normalise_words(tag);
        self.tags
            .iter()
            .any(|known| crate::lang::ast::normalise_words(known) == wanted)
    }

    pub fn descriptor(&self, score: u8) -> Option<&str> {
        self.scores
            .iter()
            .find(|d| d.score == score)
            .map(|d| d.descriptor.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_framework_names_its_problem() {
        let file = SourceFile::new(
            "rules/framework.yaml",
            include_str!("../../rules/framework.yaml"),
        );
        let good = Framework::load(&file).expect("the built-in framework loads");
        assert_eq!(good.validate(), Ok(()));

        let mut no_bands = good.clone();
        no_bands.ratings.clear();
        assert_eq!(no_bands.validate(), Err(Problem::NoRatingBands));

        let mut falling = good.clone();
        falling.ratings.reverse();
        assert_eq!(falling.validate(), Err(Problem::RatingBandsOutOfOrder));

        let mut unknown = good.clone();
        unknown.categories.push(CategoryEntry {
            name: "gossip".to_string(),
        });
        assert_eq!(
            unknown.validate(),
            Err(Problem::UnknownFrameworkCategory {
                name: "gossip".to_string()
            })
        );

        let mut twice = good;
        let first = twice.themes[0].statements[0].clone();
        twice.themes[1].statements.push(first);
        assert_eq!(twice.validate(), Err(Problem::StatementIdTwice));
    }
}

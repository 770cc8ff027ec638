//! Our engine: the micro-pack as a rule pack, profiles as evidence files, scored by
//! `assure::assess`, which always builds the full justifications (the fired rules with
//! the values they compared and the evidence they read, and the traces of those that did
//! not fire).

use std::collections::BTreeSet;
use std::sync::Arc;

use assure::source::diagnostic::SourceFile;
use assure::evidence::Evidence;
use assure::pack::Pack;

use crate::micropack::MicroPack;
use crate::profiles::Profile;
use crate::{Scores, StatementScore};

pub struct Ours {
    pub pack: Pack,
}

impl Ours {
    /// Loads the micro-pack written in our language.
    pub fn new(micro: &MicroPack) -> Result<Ours, String> {
        let file = SourceFile::new("peers-micro-pack.yaml", micro.pack_yaml());
        let pack = assure::load_pack_files(&[file]).map_err(|f| f.render())?;
        Ok(Ours { pack })
    }

    /// A profile's evidence file, read and validated: our native input.
    pub fn prepare(&self, file: &Arc<SourceFile>) -> Result<Evidence, String> {
        Evidence::load(file, &self.pack.framework, &self.pack.catalogue).map_err(|f| f.render())
    }

    /// The evidence file of a profile, as text.
    pub fn evidence_file(micro: &MicroPack, profile: &Profile) -> Arc<SourceFile> {
        SourceFile::new(
            format!("{}.yaml", profile.authority),
            profile.evidence_yaml(micro),
        )
    }

    /// Scores one council, justifications included, and reads the statements the pack
    /// scores.
    pub fn score(&self, evidence: &Evidence) -> Result<Scores, String> {
        let assessment = assure::assess(evidence, &self.pack);
        Self::read(&assessment, &self.pack)
    }

    /// The scores and fired rules of an assessment's statements that the pack has rules
    /// for.
    pub fn read(assessment: &assure::Assessment, pack: &Pack) -> Result<Scores, String> {
        let mut scores = Scores::new();
        for statement in &assessment.statements {
            if pack.statement_rules(&statement.id).is_none() {
                continue;
            }
            let score = statement.score.ok_or_else(|| {
                format!(
                    "{} is not scored: {}",
                    statement.id,
                    statement.reason.as_deref().unwrap_or("")
                )
            })?;
            let fired: BTreeSet<String> = statement
                .justifications
                .iter()
                .map(|j| j.rule.to_string())
                .collect();
            scores.insert(statement.id.clone(), StatementScore { score, fired });
        }
        Ok(scores)
    }
}

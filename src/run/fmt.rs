//! `assure fmt`: every rule sentence of a pack in canonical form.

use std::path::{Path, PathBuf};

use crate::run::problem::Problem;
use crate::run::{Done, Outcome, Stdout, Verdict};
use crate::source::diagnostic::Worded;

/// What `assure fmt` takes.
#[derive(Clone, Debug)]
pub struct Request {
    /// A pack directory or single-file pack; the built-in pack (only to check) when `None`.
    pub pack: Option<PathBuf>,
    /// Change nothing; list the files and rules that would change.
    pub check: bool,
}

/// Formats the pack in place, or with `check` only lists what would change; the files are
/// rewritten one by one, each listed on standard output as it is. [`Verdict::Differs`]
/// when `check` finds files that would change.
pub fn fmt<'a>(request: &Request) -> Outcome<'a> {
    let check = request.check;
    Outcome::of(|_| {
        if request.pack.is_none() && !check {
            return Err(Problem::BuiltinPackNotWritable.unplaced().into());
        }
        let files = crate::pack_files(request.pack.as_deref())?;
        let loaded = crate::load_pack_files(&files)?;
        let formatted = crate::pack::formatter::format_pack(&loaded)?;
        crate::pack::formatter::verify(&loaded, &files, &formatted)?;
        let verdict = Verdict::from_passed(!check || formatted.is_empty());
        Ok(Done::new(
            verdict,
            Stdout::Later(Box::new(move |stdout| {
                for file in &formatted {
                    let verb = if check {
                        "would reformat"
                    } else {
                        "reformatted"
                    };
                    let line = format!("{verb} {} ({})", file.file.name, file.rules.join(", "));
                    let _ = writeln!(stdout, "{}", crate::source::escape::text(&line));
                    if !check {
                        crate::write_atomically(
                            Path::new(&file.file.name),
                            &file.text,
                            file.file.had_byte_order_mark(),
                        )?;
                    }
                }
                Ok(())
            })),
        ))
    })
}

//! The rule language: the syntax tree a rule sentence becomes, the pest grammar's parser
//! (`grammar/rules.pest`), and the canonical printer that writes a tree back as the one
//! spelling `assure fmt` keeps.

pub mod ast;
pub mod parse;
pub(crate) mod printer;

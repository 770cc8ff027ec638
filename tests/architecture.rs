//! The shape of `src/` (docs/architecture.md): folders in pipeline order, each importing
//! only the folders before it, and no loop of imports between files.
//!
//! Every path in every library file is read with `syn` (use trees, types, expressions,
//! macros' paths are not seen) and resolved against the file's module; an edge from a
//! module to its own submodules is a facade (`mod.rs` re-exporting what it declares), not
//! an import, so it is left out of the loop check.
#![allow(clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The pipeline: a folder may use the folders listed before it, never after.
const PIPELINE: &[&str] = &[
    "source", "lang", "pack", "evidence", "score", "logic", "check", "advice", "packtest",
    "compare", "report", "run",
];

/// Folders and files that belong to the binary, not the library.
const BINARY: &[&str] = &["main.rs", "cli"];

type Module = Vec<String>;

#[test]
fn folders_import_only_the_folders_before_them() {
    let graph = Graph::read();
    let mut backward = Vec::new();
    for (from, targets) in &graph.edges {
        for to in targets {
            let (Some(a), Some(b)) = (stage(from), stage(to)) else {
                continue;
            };
            if b > a {
                backward.push(format!("{} uses {}", name(from), name(to)));
            }
        }
    }
    assert!(
        backward.is_empty(),
        "imports against the pipeline order {PIPELINE:?}:\n{}",
        backward.join("\n")
    );
}

#[test]
fn every_folder_is_a_stage_of_the_pipeline() {
    let graph = Graph::read();
    let unplaced: BTreeSet<&str> = graph
        .files
        .keys()
        .filter_map(|module| module.first())
        .map(String::as_str)
        .filter(|top| !PIPELINE.contains(top))
        .collect();
    assert!(
        unplaced.is_empty(),
        "top-level modules outside the pipeline (add each to PIPELINE here and to \
         docs/architecture.md, or move it into a stage): {unplaced:?}"
    );
}

#[test]
fn no_files_import_each_other_in_a_loop() {
    let graph = Graph::read();
    let loops: Vec<String> = graph
        .loops()
        .into_iter()
        .map(|members| {
            let names: Vec<String> = members.iter().map(name).collect();
            names.join(" <-> ")
        })
        .collect();
    assert!(
        loops.is_empty(),
        "files that import each other:\n{}",
        loops.join("\n")
    );
}

/// The library's modules (each one file) and which modules each one's paths name.
struct Graph {
    files: BTreeMap<Module, PathBuf>,
    edges: BTreeMap<Module, BTreeSet<Module>>,
}

impl Graph {
    fn read() -> Graph {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = BTreeMap::new();
        collect(&root, &root, &mut files);
        assert!(
            files.len() > 20,
            "expected the library's files under {}",
            root.display()
        );
        let reexports = reexports(&files[&Vec::new()]);
        let mut edges = BTreeMap::new();
        for (module, path) in &files {
            let text = std::fs::read_to_string(path).expect("a source file reads");
            let file = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            let mut paths = Paths {
                module: module.clone(),
                found: Vec::new(),
            };
            paths.visit_file(&file);
            let targets: BTreeSet<Module> = paths
                .found
                .iter()
                .filter_map(|(scope, path)| resolve(scope, path, &files, &reexports))
                .filter(|target| target != module && !target.starts_with(module))
                .collect();
            edges.insert(module.clone(), targets);
        }
        Graph { files, edges }
    }

    /// Strongly connected components of more than one module (Tarjan's algorithm).
    fn loops(&self) -> Vec<Vec<Module>> {
        struct Search<'g> {
            graph: &'g Graph,
            index: BTreeMap<&'g Module, usize>,
            low: BTreeMap<&'g Module, usize>,
            stack: Vec<&'g Module>,
            on_stack: BTreeSet<&'g Module>,
            found: Vec<Vec<Module>>,
        }
        impl<'g> Search<'g> {
            fn visit(&mut self, module: &'g Module) {
                let next = self.index.len();
                self.index.insert(module, next);
                self.low.insert(module, next);
                self.stack.push(module);
                self.on_stack.insert(module);
                for target in self.graph.edges.get(module).into_iter().flatten() {
                    if !self.index.contains_key(target) {
                        self.visit(target);
                        let low = self.low[module].min(self.low[target]);
                        self.low.insert(module, low);
                    } else if self.on_stack.contains(target) {
                        let low = self.low[module].min(self.index[target]);
                        self.low.insert(module, low);
                    }
                }
                if self.low[module] == self.index[module] {
                    let mut members = Vec::new();
                    while let Some(top) = self.stack.pop() {
                        self.on_stack.remove(top);
                        members.push(top.clone());
                        if top == module {
                            break;
                        }
                    }
                    if members.len() > 1 {
                        members.sort();
                        self.found.push(members);
                    }
                }
            }
        }
        let mut search = Search {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            found: Vec::new(),
        };
        for module in self.files.keys() {
            if !search.index.contains_key(module) {
                search.visit(module);
            }
        }
        search.found
    }
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<Module, PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/ reads")
        .map(|entry| entry.expect("a directory entry reads").path())
        .collect();
    entries.sort();
    for path in entries {
        let relative = path.strip_prefix(root).expect("under src/");
        let first = relative.components().next().expect("a name");
        if BINARY.contains(&first.as_os_str().to_str().unwrap_or_default()) {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut module: Module = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module
                .last()
                .is_some_and(|last| last == "mod" || last == "lib")
            {
                module.pop();
            }
            files.insert(module, path);
        }
    }
}

/// Every path in a file, with the module it is written in (inline `mod tests { .. }`
/// blocks move `super::`).
struct Paths {
    module: Module,
    found: Vec<(Module, Vec<String>)>,
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if item.content.is_some() {
            self.module.push(item.ident.to_string());
            syn::visit::visit_item_mod(self, item);
            self.module.pop();
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut flat = Vec::new();
        flatten(&item.tree, &mut Vec::new(), &mut flat);
        for path in flat {
            self.found.push((self.module.clone(), path));
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.found.push((self.module.clone(), segments));
        syn::visit::visit_path(self, path);
    }
}

fn flatten(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            flatten(&path.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(name) => out.push(with(prefix, name.ident.to_string())),
        syn::UseTree::Rename(rename) => out.push(with(prefix, rename.ident.to_string())),
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                flatten(tree, prefix, out);
            }
        }
    }
}

fn with(prefix: &[String], last: String) -> Vec<String> {
    let mut path = prefix.to_vec();
    path.push(last);
    path
}

/// The file a path leads into: `crate::`, `super::` and `self::` paths, and paths through
/// a child module, resolved to the longest module prefix that is a file.
fn resolve(
    scope: &Module,
    path: &[String],
    files: &BTreeMap<Module, PathBuf>,
    reexports: &BTreeMap<String, Vec<String>>,
) -> Option<Module> {
    let mut absolute: Module = match path.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        Some("self") => scope.clone(),
        Some("super") => scope.clone(),
        Some(_) => {
            // A bare path reaches a file only through a submodule of this one.
            let mut child = scope.clone();
            child.push(path[0].clone());
            if !files.contains_key(&child) {
                return None;
            }
            scope.clone()
        }
        None => return None,
    };
    let mut rest = path;
    if matches!(path.first().map(String::as_str), Some("crate" | "self")) {
        rest = &path[1..];
    }
    while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
        absolute.pop()?;
        rest = tail;
    }
    absolute.extend(rest.iter().cloned());
    // `crate::load_pack` is lib.rs's re-export of `pack::builtin::load_pack`.
    if let Some(original) = absolute.first().and_then(|first| reexports.get(first)) {
        absolute.splice(..1, original.iter().cloned());
    }
    (0..=absolute.len())
        .rev()
        .map(|n| absolute[..n].to_vec())
        .find(|prefix| files.contains_key(prefix) && !prefix.is_empty())
}

/// lib.rs's `pub use` items, by the name they are re-exported as.
fn reexports(lib: &Path) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(lib).expect("lib.rs reads");
    let file = syn::parse_file(&text).expect("lib.rs parses");
    let mut names = BTreeMap::new();
    for item in &file.items {
        if let syn::Item::Use(item) = item {
            let mut flat = Vec::new();
            flatten(&item.tree, &mut Vec::new(), &mut flat);
            for path in flat {
                if let Some(last) = path.last() {
                    names.insert(last.clone(), path.clone());
                }
            }
        }
    }
    names
}

fn stage(module: &Module) -> Option<usize> {
    let top = module.first()?;
    PIPELINE.iter().position(|stage| stage == top)
}

fn name(module: &Module) -> String {
    if module.is_empty() {
        "lib.rs".to_string()
    } else {
        module.join("/")
    }
}

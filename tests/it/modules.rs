//! The core's modules stay layered: no module of `src/`, at any depth, imports one that
//! imports it back, however long the way round. `scripts/module-cycles` draws the same graph
//! with the file and line of every import, to see where a new circle closes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Imports between top-level modules: module -> the modules it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// Every file of the library, as (its module path, its text), from `lib.rs` by `mod name;`.
fn library(src: &Path) -> Vec<(Vec<String>, String)> {
    fn load(module: Vec<String>, file: &Path, dir: &Path, out: &mut Vec<(Vec<String>, String)>) {
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines() {
            // `#[cfg(test)] mod tests;` declares a file too.
            let line = line.trim_start();
            let line = match line.rfind(']') {
                Some(end) if line.starts_with("#[") => line[end + 1..].trim_start(),
                _ => line,
            };
            let line = line.trim_start_matches("pub(crate) ").trim_start_matches("pub ");
            let Some(name) = line.strip_prefix("mod ").and_then(|l| l.strip_suffix(';')) else {
                continue;
            };
            let child = [dir.join(format!("{name}.rs")), dir.join(name).join("mod.rs")]
                .into_iter()
                .find(|f| f.exists());
            if let Some(child) = child {
                let mut path = module.clone();
                path.push(name.to_owned());
                load(path, &child, &dir.join(name), out);
            }
        }
        out.push((module, text));
    }
    let mut out = Vec::new();
    load(Vec::new(), &src.join("lib.rs"), src, &mut out);
    out
}

/// The text without line comments (a path in a doc comment is not an import).
fn without_comments(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths at the start of `rest`, braces expanded: `x::y` gives `[x, y]`, and
/// `{x::a, y}` gives `[x, a]` and `[y]` (the last segment may be an item, not a module).
fn paths(rest: &str) -> Vec<Vec<String>> {
    let rest = rest.trim_start();
    if let Some(group) = rest.strip_prefix('{') {
        let (mut depth, mut parts, mut start) = (0, Vec::new(), 0);
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    parts.push(&group[start..i]);
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&group[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        return parts.into_iter().flat_map(paths).collect();
    }
    let head: String = rest.chars().take_while(|c| is_ident(*c)).collect();
    if head.is_empty() {
        return vec![Vec::new()];
    }
    let after = rest[head.len()..].trim_start();
    match after.strip_prefix("::") {
        Some(tail) => paths(tail)
            .into_iter()
            .map(|mut p| {
                p.insert(0, head.clone());
                p
            })
            .collect(),
        None => vec![vec![head]],
    }
}

/// Which modules each module names through `crate::` or `super::` paths, compared `depth`
/// levels down (1: `bot`, `engine`, …; 2: `features::setup`, `store::teams`, …). A module
/// naming its own parts, or the module it is part of, is its own business and not counted.
fn graph(files: &[(Vec<String>, String)], depth: usize) -> Graph {
    let modules: BTreeSet<&Vec<String>> = files.iter().map(|(m, _)| m).collect();
    let mut graph = Graph::new();
    for (module, text) in files {
        let text = without_comments(text);
        for (at, _) in text.match_indices("crate::").chain(text.match_indices("super::")) {
            if text[..at].ends_with(|c: char| is_ident(c) || c == ':') {
                continue;
            }
            let mut rest = &text[at..];
            let mut base = module.clone();
            if let Some(after) = rest.strip_prefix("crate::") {
                rest = after;
                base.clear();
            }
            while let Some(after) = rest.strip_prefix("super::") {
                rest = after.trim_start();
                base.pop();
            }
            for path in paths(rest) {
                // The deepest module the path names (the rest are items in it).
                let mut target = base.clone();
                for segment in path {
                    target.push(segment);
                    if !modules.contains(&target) {
                        target.pop();
                        break;
                    }
                }
                let from = &module[..module.len().min(depth)];
                let to = &target[..target.len().min(depth)];
                if from.is_empty() || to.is_empty() || from.starts_with(to) || to.starts_with(from)
                {
                    continue;
                }
                graph.entry(from.join("::")).or_default().insert(to.join("::"));
            }
        }
    }
    graph
}

/// Every import that closes a circle, with the way back: "a -> b -> … -> a".
fn circles(graph: &Graph) -> Vec<String> {
    fn path(
        graph: &Graph,
        from: &str,
        to: &str,
        seen: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if from == to {
            return Some(vec![to.to_owned()]);
        }
        if !seen.insert(from.to_owned()) {
            return None;
        }
        for next in graph.get(from).into_iter().flatten() {
            if let Some(mut rest) = path(graph, next, to, seen) {
                rest.insert(0, from.to_owned());
                return Some(rest);
            }
        }
        None
    }
    let mut found = Vec::new();
    for (from, targets) in graph {
        for to in targets {
            if let Some(back) = path(graph, to, from, &mut BTreeSet::new()) {
                found.push(format!("{from} -> {}", back.join(" -> ")));
            }
        }
    }
    found
}

#[test]
fn no_module_of_the_core_imports_one_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = library(&src);
    let top = graph(&files, 1);
    // The graph was read at all: the bot is above the engine, the engine above the store.
    assert!(top["bot"].contains("engine") && top["engine"].contains("store"), "{top:?}");
    let deepest = files.iter().map(|(m, _)| m.len()).max().unwrap();
    for depth in 1..=deepest {
        let found = circles(&graph(&files, depth));
        assert!(
            found.is_empty(),
            "import circles (see scripts/module-cycles --depth {depth}): {found:#?}"
        );
    }
}

#[test]
fn a_circle_is_found_however_it_is_spelt() {
    let file = |module: &[&str], text: &str| {
        (module.iter().map(|m| (*m).to_owned()).collect::<Vec<_>>(), text.to_owned())
    };
    let files = [
        file(&[], "pub mod a;\npub mod b;\npub mod c;"),
        file(&["a"], "use crate::{c, b::{X, Y}};\n// crate::d is only a comment"),
        file(&["b"], "use super::c::Z;"),
        file(&["c"], "mod deep;"),
        file(&["c", "deep"], "fn f() { super::super::a::g(); super::h(); }"),
    ];
    let top = graph(&files, 1);
    assert_eq!(top["a"], ["b", "c"].map(String::from).into());
    assert_eq!(top["c"], ["a"].map(String::from).into());
    assert_eq!(
        circles(&top),
        ["a -> b -> c -> a", "a -> c -> a", "b -> c -> a -> b", "c -> a -> b -> c"]
    );
    // One level down the circle runs through c::deep; c naming its own part is not an import.
    assert_eq!(graph(&files, 2)["c::deep"], ["a"].map(String::from).into());
    assert!(!graph(&files, 2).contains_key("c"));
    // A way back from deep inside c closes a circle at the top; without it there is none.
    let layered = [
        file(&["a"], "use crate::b::X;"),
        file(&["b"], "use crate::c;"),
        file(&["c"], "mod d;"),
        file(&["c", "d"], "use super::super::b;"),
    ];
    assert_eq!(circles(&graph(&layered, 1)), ["b -> c -> b", "c -> b -> c"]);
    assert_eq!(circles(&graph(&layered[..3], 1)), Vec::<String>::new());
}

/// Every `.rs` file under `dir`, walked on disk (the binary's files too, not only the library's).
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The store is sealed: outside `src/store/` the core names no database crate (it passes a
/// `store::Tx`) and builds no store error of its own (it has `error::CoreError`), so a second
/// backend can be added in `src/store/` alone.
#[test]
fn no_database_crate_or_store_error_outside_the_store() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(src.join("store"))) {
        let text = without_comments(&std::fs::read_to_string(file).unwrap());
        for (n, line) in text.lines().enumerate() {
            let words = ["rusqlite", "sqlx", "StoreError::"];
            if words.iter().any(|w| line.contains(w)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(files.len() > 50, "only {} files found under {}", files.len(), src.display());
    assert!(found.is_empty(), "the store's insides outside it:\n{}", found.join("\n"));
}

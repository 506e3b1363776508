//! The core's modules stay layered: no top-level module of `src/` imports one that imports it
//! back, however long the way round. `scripts/module-cycles` draws the same graph with the file
//! and line of every import, to see where a new circle closes.

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

/// The first identifiers after a path prefix: `x` in `x::y`, or `x` and `y` in `{x::a, y}`.
fn heads(rest: &str) -> Vec<String> {
    let rest = rest.trim_start();
    let Some(group) = rest.strip_prefix('{') else {
        return vec![rest.chars().take_while(|c| is_ident(*c)).collect()];
    };
    let (mut depth, mut parts, mut current) = (0, Vec::new(), String::new());
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => parts.push(std::mem::take(&mut current)),
            _ if depth == 0 => current.push(c),
            _ => {}
        }
    }
    parts.push(current);
    parts.iter().map(|p| p.trim().chars().take_while(|c| is_ident(*c)).collect()).collect()
}

/// The top-level modules each top-level module names through `crate::` or `super::` paths.
/// (A `super::` inside a file's inline `mod tests` is read one level too high; it then names
/// an item, not a module, and is left out with every other name that is not a module.)
fn graph(files: &[(Vec<String>, String)]) -> Graph {
    let modules: BTreeSet<&String> = files.iter().filter_map(|(m, _)| m.first()).collect();
    let mut graph = Graph::new();
    for (module, text) in files {
        // The crate root only declares the modules.
        let Some(own) = module.first() else { continue };
        let text = without_comments(text);
        let mut targets = BTreeSet::new();
        for (at, _) in text.match_indices("crate::").chain(text.match_indices("super::")) {
            if text[..at].ends_with(|c: char| is_ident(c) || c == ':') {
                continue;
            }
            let mut rest = &text[at..];
            let mut base = module.len();
            if rest.starts_with("crate::") {
                rest = &rest["crate::".len()..];
                base = 0;
            }
            while let Some(after) = rest.strip_prefix("super::") {
                rest = after.trim_start();
                base = base.saturating_sub(1);
            }
            if base > 0 {
                continue; // still inside its own top-level module
            }
            targets.extend(heads(rest).into_iter().filter(|h| modules.contains(h)));
        }
        targets.remove(own);
        graph.entry(own.clone()).or_default().extend(targets);
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
    let graph = graph(&library(&src));
    // The graph was read at all: the bot is above the engine, the engine above the store.
    assert!(graph["bot"].contains("engine") && graph["engine"].contains("store"), "{graph:?}");
    let found = circles(&graph);
    assert!(found.is_empty(), "import circles (see scripts/module-cycles): {found:#?}");
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
    let graph = graph(&files);
    assert_eq!(graph["a"], ["b", "c"].map(String::from).into());
    assert_eq!(graph["c"], ["a"].map(String::from).into());
    assert_eq!(
        circles(&graph),
        ["a -> b -> c -> a", "a -> c -> a", "b -> c -> a -> b", "c -> a -> b -> c"]
    );
    // Without the way back from c there is no circle.
    let layered = [file(&["a"], "use crate::b::X;"), file(&["b"], "use crate::c;")];
    assert_eq!(circles(&self::graph(&layered)), Vec::<String>::new());
}

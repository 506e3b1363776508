//! Rebuilds hearth when a migration or a prompt file is added, changed or removed: both
//! folders are embedded with `include_dir!`, whose contents cargo cannot track on its own, so
//! without this a new migration could be missing from a build that looked up to date.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=prompts");
}

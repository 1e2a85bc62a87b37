//! The shipped `rules/` files, embedded at build time (see build.rs).

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

pub const NETWORKS: &str = include_str!("../../rules/affiliate-networks.toml");
pub const FRONT_MATTER: &str = include_str!("../../rules/front-matter.toml");
pub const SHORTCODES: &str = include_str!("../../rules/shortcodes.toml");

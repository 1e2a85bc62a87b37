//! Allocations per stage over a folder, with a counting allocator:
//! `cargo run --release --example alloc_count -- DIR`.

// A counting global allocator is an `unsafe impl` by definition.
#![allow(unsafe_code)]
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(l.size(), Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(n, Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn main() {
    let dir = std::env::args().nth(1).expect("a folder");
    let engine = adlint::Engine::new(&Default::default()).unwrap();
    let settings = adlint::config::Settings::resolve(None, None, &adlint::is_rule_code).unwrap();
    let (files, _) = adlint::discover::discover(&[dir.into()], &settings);
    let mut stages = [(0usize, 0usize); 7];
    let names = [
        "load",
        "parse",
        "detect",
        "check (all)",
        "report",
        "front matter",
        "pulldown",
    ];
    let mut measure = |i: usize, f: &mut dyn FnMut()| {
        let (a, b) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
        f();
        stages[i].0 += ALLOCS.load(Relaxed) - a;
        stages[i].1 += BYTES.load(Relaxed) - b;
    };
    let us = &engine.rules.jurisdictions["us"];
    let _ = us;
    for f in &files {
        let mut src = String::new();
        measure(0, &mut || src = adlint::load::load(f).unwrap());
        let mut doc = None;
        measure(1, &mut || {
            doc = Some(adlint::parse::parse_as(&src, adlint::parse::Syntax::of(f)))
        });
        let doc = doc.unwrap();
        measure(5, &mut || {
            std::hint::black_box(adlint::parse::front_matter::split(&src));
        });
        measure(6, &mut || {
            let body = &src[doc.body_start..];
            let o = pulldown_cmark::Options::ENABLE_TABLES
                | pulldown_cmark::Options::ENABLE_FOOTNOTES
                | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
                | pulldown_cmark::Options::ENABLE_TASKLISTS;
            for e in pulldown_cmark::Parser::new_ext(body, o).into_offset_iter() {
                std::hint::black_box(e);
            }
        });
        measure(2, &mut || {
            std::hint::black_box(adlint::detect::detect(
                &doc,
                &engine.vocab,
                &engine.rules,
                Some(0),
            ));
        });
        let mut checked = None;
        measure(3, &mut || {
            checked = Some(adlint::check(&engine, &src, f, &settings))
        });
        let checked = checked.unwrap();
        measure(4, &mut || {
            std::hint::black_box(adlint::report::outcome(
                &f.display().to_string(),
                &src,
                &checked,
                adlint::report::Format::Json,
                false,
            ));
        });
    }
    let n = files.len().max(1);
    for (i, (a, b)) in stages.iter().enumerate() {
        println!(
            "{:12} {:8.1} allocations/file {:10.0} bytes/file",
            names[i],
            *a as f64 / n as f64,
            *b as f64 / n as f64
        );
    }
}

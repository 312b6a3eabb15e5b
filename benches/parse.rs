//! Micro-benchmarks of the hot, pure parts: reading an article and turning
//! query text into a tantivy query. `cargo bench --bench parse`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use dateline::internals::{formats, query, schema, Origin};
use dateline::DateFilter;

const ARTICLE: &str =
    include_str!("../tests/fixtures/archive/2025/03/ceasefire-monitors-named.txt");

fn parse_article(c: &mut Criterion) {
    c.bench_function("decode, detect and parse a reference article", |b| {
        b.iter(|| {
            let origin = Origin {
                id: "archive/2025/03/ceasefire-monitors-named.txt".into(),
                path: "/archive/2025/03/ceasefire-monitors-named.txt".into(),
            };
            let decoded = formats::decode(black_box(ARTICLE.as_bytes())).unwrap();
            let format = formats::detect(&origin.id, &decoded.text);
            formats::parse(format, &decoded.text, &origin, &Default::default())
        });
    });
}

fn build_query(c: &mut Criterion) {
    let (_, fields) = schema::build();
    let analyzer = schema::english_analyzer();
    let filter = DateFilter::from_flags(None, Some("2025-01"), Some("2025-03")).unwrap();
    c.bench_function("parse and compile query", |b| {
        b.iter(|| {
            let node = query::parse(black_box(
                "(ceasefire OR truce) talks -russia \"coalition of the willing\" headline:putin",
            ))
            .unwrap();
            query::compile(node.as_ref(), &filter, &fields, &analyzer).unwrap()
        });
    });
}

criterion_group!(benches, parse_article, build_query);
criterion_main!(benches);

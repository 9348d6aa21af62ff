//! The test vectors of `spec/baseplate.md` §6 (observed with baseplate 1.5.5), run through
//! [`evaluate`], [`Bulk`] and the variant sets.

use serde_json::{Map, Value, json};

use super::hash::bucket;
use super::parse::{Kind, R2Choice};
use super::py::Num;
use super::*;

/// The configs of §2.8, verbatim, plus the extra ones §6.2 names: the file the command-line
/// tests and the baseplate conformance suite use too.
const CONFIGS: &str = include_str!("../../../tests/data/baseplate_spec.json");

/// A present-day clock for §6.2 (inside every window above, after `expired_sv`).
const NOW: f64 = 1_700_000_000.0;
/// The frozen clock of §6.3.
const T: f64 = 1_600_000_000.0;

fn configs() -> Map<String, Value> {
    match serde_json::from_str(CONFIGS) {
        Ok(Value::Object(m)) => m,
        _ => panic!("CONFIGS is not a JSON object"),
    }
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn ev(key: &str, inputs: Value) -> Outcome {
    let cfg = configs();
    evaluate(cfg.get(key), &obj(inputs), NOW)
}

/// `(variant, bucket, events)`: the observable result of one call.
fn seen(o: &Outcome) -> (Value, Option<u64>, u32) {
    assert_eq!(o.raises, None, "unexpected exception: {}", o.reason);
    (o.variant.clone(), o.bucket, u32::from(o.event))
}

#[test]
fn table_6_2_users() {
    // cell = (bucket, variant); "" = None.
    #[rustfmt::skip]
    let rows: [[(u64, &str); 8]; 10] = [
        [(395, ""), (562, "b"), (910, ""), (141, ""), (729, ""), (993, ""), (551, ""), (874, "")],
        [(236, ""), (696, "a"), (605, ""), (867, "variant_2"), (445, ""), (737, ""), (48, "on"), (473, "")],
        [(905, ""), (568, "b"), (980, ""), (304, ""), (641, ""), (318, "b"), (148, "on"), (393, "")],
        [(954, ""), (951, ""), (824, ""), (879, "variant_2"), (330, ""), (192, "a"), (147, "on"), (76, "x")],
        [(547, ""), (261, "a"), (319, ""), (796, ""), (680, ""), (563, "c"), (492, "on"), (925, "x")],
        [(497, ""), (757, "b"), (653, ""), (769, ""), (173, ""), (802, ""), (471, "on"), (114, "x")],
        [(380, ""), (72, "a"), (930, ""), (520, ""), (46, "variant_1"), (34, "a"), (895, ""), (498, "")],
        [(421, ""), (79, "b"), (527, ""), (287, ""), (318, ""), (837, ""), (243, "on"), (271, "")],
        [(515, ""), (247, "b"), (218, "active"), (294, ""), (438, ""), (179, "a"), (532, ""), (192, "x")],
        [(625, ""), (499, "b"), (361, ""), (446, ""), (555, ""), (385, "b"), (397, "on"), (398, "")],
    ];
    let keys = [
        "r2_test",
        "r2_capped",
        "ff",
        "sv_none",
        "sv_zero",
        "mv",
        "fr",
        "rv",
    ];
    for (i, row) in rows.iter().enumerate() {
        for (key, &(b, v)) in keys.iter().zip(row) {
            let o = ev(
                key,
                json!({"user_id": format!("t2_{i}"), "logged_in": true}),
            );
            let want = if v.is_empty() { Value::Null } else { json!(v) };
            // Every non-None cell logs one event, except feature flags.
            let events = u32::from(!v.is_empty() && *key != "ff");
            assert_eq!(
                seen(&o),
                (want, Some(b), events),
                "{key} t2_{i}: {}",
                o.reason
            );
        }
    }
}

#[test]
fn table_6_2_cases() {
    let n = Value::Null;
    #[rustfmt::skip]
    let cases: Vec<(&str, Value, Value, Option<u64>, u32)> = vec![
        ("r2_test", json!({"user_id": "t2_1", "logged_in": false}), n.clone(), None, 0),
        ("r2_test", json!({"logged_in": true}), n.clone(), None, 0),
        ("r2_capped", json!({"user_id": "t2_1", "logged_in": true, "url_features": ["x", "force_b"]}), json!("b"), None, 1),
        ("r2_capped", json!({"user_id": "t2_1", "logged_in": true, "url_features": ["nope"]}), json!("a"), Some(696), 1),
        ("r2_capped", json!({"url_features": "FORCE_B"}), json!("b"), None, 0),
        ("r2_capped", json!({"user_id": "t2_1", "User_Name": "gARY"}), json!("c"), None, 1),
        ("r2_capped", json!({"user_id": 1, "logged_in": true}), json!("b"), Some(472), 1),
        ("r2_capped", json!({"user_id": "1", "logged_in": true}), json!("b"), Some(472), 1),
        ("sv_zero", json!({"user_id": ""}), n.clone(), Some(653), 0),
        ("sv_zero", json!({"user_id": null}), n.clone(), None, 0),
        ("sv_zero", json!({"USER_ID": "t2_6"}), json!("variant_1"), Some(46), 0),
        ("sv_zero", json!({"user_id": "t2_6", "User_Id": "t2_1"}), n.clone(), Some(445), 0),
        ("sv_zero", json!({"user_id": 123}), json!("variant_2"), Some(938), 1),
        ("sv_zero", json!({"user_id": true}), json!("variant_2"), Some(943), 1),
        ("sv_zero", json!({"user_id": 1.5}), n.clone(), Some(718), 0),
        ("tgt", json!({"user_id": "t2_1", "logged_in": true, "country": "US", "build": 100}), json!("treat"), Some(213), 1),
        ("tgt", json!({"user_id": "t2_1", "logged_in": true, "country": "DE", "build": 100}), n.clone(), None, 0),
        ("tgt", json!({"user_id": "t2_1", "logged_in": true, "country": "US", "build": 99}), n.clone(), None, 0),
        ("tgt", json!({"user_id": "t2_1", "logged_in": false, "country": "US", "build": 100}), n.clone(), None, 0),
        ("tgt", json!({"user_id": "t2_1", "logged_in": 1, "country": "US", "build": 100.0}), json!("treat"), Some(213), 1),
        ("tgt", json!({"user_id": "t2_3", "logged_in": false}), json!("forced"), None, 1),
        ("tgt", json!({"user_id": "t2_9", "is_employee": true}), json!("control"), None, 1),
        ("tgt", json!({"user_id": "t2_2", "logged_in": true, "country": "US", "build": 150}), json!("treat"), None, 1),
        ("tgt", json!({"user_id": "t2_5", "logged_in": true, "country": "US", "build": 150}), json!("treat"), None, 1),
        ("disabled_sv_go", json!({"user_id": "t2_1"}), json!("gvar"), None, 0),
        ("disabled_r2_go", json!({"user_id": "t2_1", "logged_in": true}), n.clone(), None, 0),
        ("expired_sv", json!({"user_id": "t2_1"}), n.clone(), None, 0),
        ("unknown_type", json!({"user_id": "t2_1"}), n.clone(), None, 0),
        ("bad_id", json!({"user_id": "t2_1"}), n.clone(), None, 0),
        ("missing", json!({"user_id": "t2_1"}), n.clone(), None, 0),
        ("content", json!({"content_id": "t3_1", "user_id": "t2_1"}), json!("on"), Some(62), 1),
        ("content", json!({"content_id": "t3_2"}), json!("on"), Some(92), 1),
        ("content", json!({"content_id": "t3_3"}), n.clone(), Some(732), 0),
        ("content", json!({"content_id": "t3_abc"}), n.clone(), Some(994), 0),
        ("content", json!({"user_id": "t2_1"}), n.clone(), None, 0),
    ];
    for (key, inputs, want, bucket, events) in cases {
        let o = ev(key, inputs.clone());
        let (v, b, e) = seen(&o);
        assert_eq!((&v, e), (&want, events), "{key} {inputs}: {}", o.reason);
        if bucket.is_some() {
            assert_eq!(b, bucket, "{key} {inputs}");
        }
    }
}

/// §6.3's base configs with `patch` applied at top level (`"<del>"` removes a key) and
/// `exp_patch` inside `experiment`.
fn simple_base(patch: Value, exp_patch: Value) -> Value {
    let mut c = json!({"id":1,"name":"e","type":"single_variant","start_ts":0,"stop_ts":4102444800u64,
        "experiment":{"variants":[{"name":"a","size":0.5},{"name":"b","size":0.5}],
        "experiment_version":1,"shuffle_version":0}});
    apply(&mut c, patch, exp_patch);
    c
}

fn r2_base(patch: Value, exp_patch: Value) -> Value {
    let mut c = json!({"id":1,"name":"e","type":"r2","start_ts":0,"stop_ts":4102444800u64,
        "experiment":{"variants":{"a":50,"b":50},"targeting":{"logged_in":[true]}}});
    apply(&mut c, patch, exp_patch);
    c
}

fn apply(c: &mut Value, patch: Value, exp_patch: Value) {
    fn merge(dst: &mut Value, patch: Value) {
        if let (Value::Object(d), Value::Object(p)) = (dst, patch) {
            for (k, v) in p {
                if v == "<del>" {
                    d.remove(&k);
                } else {
                    d.insert(k, v);
                }
            }
        }
    }
    if let Some(e) = c.get_mut("experiment") {
        merge(e, exp_patch);
    }
    merge(c, patch);
}

fn at_t(cfg: &Value, inputs: Value) -> Outcome {
    evaluate(Some(cfg), &obj(inputs), T)
}

fn variant_at_t(cfg: &Value, inputs: Value) -> Value {
    let o = at_t(cfg, inputs);
    assert_eq!(o.raises, None, "{}", o.reason);
    o.variant
}

fn is_valid(cfg: &Value) -> bool {
    parse(cfg, T).is_ok()
}

#[test]
fn edge_cases_6_3() {
    let u = || json!({"user_id": "t2_1"});
    let ul = || json!({"user_id": "t2_1", "logged_in": true});
    let e = json!({});
    let n = Value::Null;
    let sv = |p: Value, x: Value| simple_base(p, x);
    let r2 = |p: Value, x: Value| r2_base(p, x);

    assert_eq!(
        variant_at_t(&sv(json!({"start_ts": T}), e.clone()), u()),
        json!("a")
    );
    assert_eq!(variant_at_t(&sv(json!({"stop_ts": T}), e.clone()), u()), n);
    assert_eq!(
        variant_at_t(&r2(json!({"stop_ts": T}), e.clone()), ul()),
        json!("b")
    );
    assert_eq!(
        variant_at_t(&r2(json!({"stop_ts": T - 1.0}), e.clone()), ul()),
        n
    );
    assert_eq!(
        variant_at_t(&sv(json!({"enabled": "false"}), e.clone()), u()),
        json!("a")
    );
    assert_eq!(variant_at_t(&sv(json!({"enabled": 0}), e.clone()), u()), n);

    let no_ts = |x: Value| {
        let mut c = sv(x, json!({}));
        if let Some(m) = c.as_object_mut() {
            m.remove("start_ts");
            m.remove("stop_ts");
        }
        c
    };
    assert_eq!(
        variant_at_t(&no_ts(json!({"expires": "2100-01-01"})), u()),
        json!("a")
    );
    assert_eq!(
        variant_at_t(&no_ts(json!({"expires": "2019-01-01"})), u()),
        n
    );
    let bad = no_ts(json!({}));
    assert!(!is_valid(&bad));
    assert_eq!(
        parse(&bad, T).err().map(|i| i.error),
        Some(PyError::ValueError)
    );

    assert_eq!(
        variant_at_t(&sv(json!({"global_override": null}), e.clone()), u()),
        n
    );
    let g = at_t(&sv(json!({"global_override": "x"}), e.clone()), json!({}));
    assert_eq!((g.variant, g.event), (json!("x"), false));

    let id_true = sv(json!({"id": true}), e.clone());
    assert!(is_valid(&id_true));
    assert_eq!(
        at_t(&id_true, u()).bucket,
        Some(bucket("True.e.0", "t2_1", 1000))
    );
    assert!(!is_valid(&sv(json!({"id": 1.0}), e.clone())));

    let no_type = sv(json!({"type": "<del>"}), e.clone());
    assert!(is_valid(&no_type));
    assert_eq!(variant_at_t(&no_type, u()), n);
    assert_eq!(
        variant_at_t(
            &sv(json!({"type": "<del>", "global_override": "g"}), e.clone()),
            u()
        ),
        json!("g")
    );
    assert!(!is_valid(&sv(
        json!({"experiment": "<del>", "global_override": "g"}),
        e.clone()
    )));

    let nb10 = sv(json!({}), json!({"num_buckets": 10}));
    assert!(is_valid(&nb10));
    assert_eq!(at_t(&nb10, u()).bucket, Some(bucket("1.e.0", "t2_1", 10)));

    assert!(!is_valid(&sv(json!({}), json!({"experiment_version": 0}))));
    assert!(!is_valid(&sv(
        json!({}),
        json!({"experiment_version": "<del>"})
    )));

    assert_eq!(
        variant_at_t(&sv(json!({}), json!({"targeting": {}})), u()),
        n
    );
    assert_eq!(
        variant_at_t(&sv(json!({}), json!({"targeting": Value::Null})), u()),
        json!("a")
    );

    let eqf = sv(
        json!({}),
        json!({"targeting": {"EQ": {"field": "User_Id", "value": "t2_1"}}}),
    );
    assert_eq!(variant_at_t(&eqf, u()), json!("a"));
    assert_eq!(variant_at_t(&eqf, json!({"User_Id": "t2_1"})), n);
    assert_eq!(
        variant_at_t(
            &sv(
                json!({}),
                json!({"targeting": {"EQ": {"field": "x", "values": []}}})
            ),
            u()
        ),
        n
    );
    let usa = sv(
        json!({}),
        json!({"targeting": {"EQ": {"field": "country", "values": "USA"}}}),
    );
    assert_eq!(
        variant_at_t(&usa, json!({"user_id": "t2_1", "country": "US"})),
        json!("a")
    );

    let gt = sv(
        json!({}),
        json!({"targeting": {"GT": {"field": "build", "value": 5}}}),
    );
    assert_eq!(at_t(&gt, u()).raises, Some(PyError::TypeError));
    assert_eq!(
        at_t(&gt, json!({"user_id": "t2_1", "build": "7"})).raises,
        Some(PyError::TypeError)
    );
    assert_eq!(
        at_t(&gt, json!({"user_id": "t2_1", "build": 7})).raises,
        None
    );

    let ov = sv(
        json!({}),
        json!({"overrides": [{"zz": {"EQ": {"field": "user_id", "value": "t2_1"}}}]}),
    );
    let o = at_t(&ov, u());
    assert_eq!((o.variant, o.event), (json!("zz"), true));
    assert_eq!(variant_at_t(&ov, json!({"uid": "t2_1"})), n);

    let ov_dict = sv(json!({}), json!({"overrides": {"zz": {"OVERRIDE": true}}}));
    assert_eq!(variant_at_t(&ov_dict, u()), json!("a"));
    let ov_two = sv(
        json!({}),
        json!({"overrides": [{"zz": {"OVERRIDE": true}, "yy": {"OVERRIDE": true}}]}),
    );
    assert_eq!(variant_at_t(&ov_two, u()), json!("a"));
    let ov_empty = sv(
        json!({}),
        json!({"overrides": [{"": {"OVERRIDE": true}}, {"ww": {"OVERRIDE": true}}]}),
    );
    assert_eq!(variant_at_t(&ov_empty, u()), json!("a"));

    let quiet = at_t(&sv(json!({}), json!({"log_bucketing": false})), u());
    assert_eq!((quiet.variant, quiet.event), (json!("a"), false));
    assert_eq!(
        at_t(&sv(json!({}), json!({"bucket_seed": ""})), u()).bucket,
        at_t(&sv(json!({}), json!({})), u()).bucket
    );

    let newer = r2(json!({}), json!({"newer_than": 1000}));
    assert_eq!(
        variant_at_t(
            &newer,
            json!({"user_id": "t2_1", "logged_in": true, "user_created": 2000})
        ),
        json!("b")
    );
    assert_eq!(variant_at_t(&newer, ul()), n);
    assert_eq!(
        variant_at_t(
            &newer,
            json!({"user_id": "t2_1", "logged_in": true, "created": 2000})
        ),
        n
    );

    let cs = r2(
        json!({}),
        json!({"targeting": {"country": ["US"], "__case_sensitive__": ["country"]}}),
    );
    assert_eq!(
        variant_at_t(&cs, json!({"user_id": "t2_1", "country": "us"})),
        n
    );
    assert_eq!(
        variant_at_t(&cs, json!({"user_id": "t2_1", "country": "US"})),
        json!("b")
    );
    let ck = r2(json!({}), json!({"targeting": {"Country": ["us"]}}));
    assert_eq!(
        variant_at_t(&ck, json!({"user_id": "t2_1", "COUNTRY": "us"})),
        json!("b")
    );
    let cap = r2(json!({}), json!({"bucket_val": "Content_Id"}));
    assert_eq!(
        variant_at_t(
            &cap,
            json!({"user_id": "t2_1", "logged_in": true, "content_id": "t3_1", "Content_Id": "t3_1"})
        ),
        n
    );

    let r2_off = r2(
        json!({"enabled": false}),
        json!({"overrides": {"user_id": {"t2_1": "a"}}}),
    );
    assert_eq!(variant_at_t(&r2_off, ul()), n);
    let sv_off = sv(
        json!({"enabled": false}),
        json!({"overrides": [{"a": {"OVERRIDE": true}}]}),
    );
    assert_eq!(variant_at_t(&sv_off, u()), n);

    let ff_bad = r2(
        json!({"type": "feature_flag"}),
        json!({"variants": {"active": 10, "other": 5}}),
    );
    assert_eq!(
        parse(&ff_bad, T).err().map(|i| i.error),
        Some(PyError::AssertionError)
    );
}

#[test]
fn distributions_6_4() {
    let cfg = configs();
    #[rustfmt::skip]
    let want: [(&str, &[(&str, u32)]); 8] = [
        ("r2_test", &[("", 7998), ("control_1", 1005), ("control_2", 997)]),
        ("r2_capped", &[("", 3163), ("a", 2949), ("b", 3381), ("c", 507)]),
        ("ff", &[("", 6983), ("active", 3017)]),
        ("sv_none", &[("", 6999), ("variant_1", 979), ("variant_2", 2022)]),
        ("sv_zero", &[("", 6996), ("variant_1", 995), ("variant_2", 2009)]),
        ("mv", &[("", 4009), ("a", 2037), ("b", 1914), ("c", 2040)]),
        ("fr", &[("", 4964), ("on", 5036)]),
        ("rv", &[("", 3992), ("x", 3490), ("y", 2518)]),
    ];
    let fixed = obj(json!({"logged_in": true}));
    for (key, counts) in want {
        let p = parse(&cfg[key], NOW).unwrap_or_else(|e| panic!("{key}: {}", e.message));
        let mut bulk = Bulk::new(&p, &fixed);
        let mut got: std::collections::BTreeMap<String, u32> = Default::default();
        for i in 0..10_000 {
            let o = bulk.eval(&format!("t2_{i}"));
            *got.entry(o.variant.unwrap_or("").to_string()).or_default() += 1;
        }
        let want: std::collections::BTreeMap<String, u32> =
            counts.iter().map(|(k, c)| (k.to_string(), *c)).collect();
        assert_eq!(got, want, "{key}");
    }
}

/// A simple experiment named `test_experiment`, id 1, for §6.5.
fn go_exp(ty: &str, variants: Value, shuffle: Option<u32>, overrides: Option<Value>) -> Value {
    let mut exp = json!({"variants": variants, "experiment_version": 1});
    if let Some(s) = shuffle {
        exp["shuffle_version"] = json!(s);
    }
    if let Some(o) = overrides {
        exp["overrides"] = o;
    }
    json!({"id": 1, "name": "test_experiment", "type": ty, "start_ts": 0, "stop_ts": 4102444800u64,
           "experiment": exp})
}

fn counts_t2_00_99(cfg: &Value, names: &[&str]) -> Vec<u32> {
    let p = parse(cfg, NOW).unwrap_or_else(|e| panic!("{}", e.message));
    let mut b = Bulk::new(&p, &Map::new());
    let mut c = vec![0u32; names.len() + 1];
    for i in 0..100 {
        let o = b.eval(&format!("t2_{i:02}"));
        let k = o
            .variant
            .and_then(|v| names.iter().position(|n| *n == v))
            .unwrap_or(names.len());
        c[k] += 1;
    }
    c
}

#[test]
fn go_vectors_6_5() {
    let sv = |a: f64, b: f64| json!([{"name": "variant_1", "size": a}, {"name": "variant_2", "size": b}]);
    let names = ["variant_1", "variant_2", "variant_3"];
    assert_eq!(
        counts_t2_00_99(
            &go_exp("single_variant", sv(0.1, 0.2), Some(0), None),
            &names[..2]
        ),
        [8, 17, 75]
    );
    let mv = json!([{"name": "variant_1", "size": 0.1}, {"name": "variant_2", "size": 0.2}, {"name": "variant_3", "size": 0.3}]);
    assert_eq!(
        counts_t2_00_99(&go_exp("multi_variant", mv, Some(0), None), &names),
        [8, 25, 27, 40]
    );
    let fr = json!([{"name": "variant_1", "size": 0.1}]);
    assert_eq!(
        counts_t2_00_99(&go_exp("feature_rollout", fr, Some(0), None), &names[..1]),
        [8, 92]
    );
    let rv = json!([{"name": "variant_1", "range_start": 0.1, "range_end": 0.2},
                    {"name": "variant_2", "range_start": 0.4, "range_end": 0.6}]);
    assert_eq!(
        counts_t2_00_99(&go_exp("range_variant", rv, Some(0), None), &names[..2]),
        [12, 20, 68]
    );
    let forced: Vec<String> = (0..50).map(|i| format!("t2_{i:02}")).collect();
    let ov = json!([{"variant_1": {"EQ": {"field": "user_id", "values": forced}}}]);
    assert_eq!(
        counts_t2_00_99(
            &go_exp("single_variant", sv(0.1, 0.1), Some(0), Some(ov)),
            &names[..2]
        ),
        [53, 8, 39]
    );
    // Python's default seed when shuffle_version is absent: `1.test_experiment.None`.
    assert_eq!(
        counts_t2_00_99(
            &go_exp("single_variant", sv(0.1, 0.2), None, None),
            &names[..2]
        ),
        [5, 26, 69]
    );
}

/// Counts per variant name (None last) over every bucket of a simple variant set.
fn set_counts(ty: &str, variants: Value, n: u64, names: &[&str]) -> Vec<u32> {
    let cfg = json!({"id": 1, "name": "s", "type": ty, "start_ts": 0, "stop_ts": 4102444800u64,
        "experiment": {"variants": variants, "experiment_version": 1, "num_buckets": n}});
    let p = parse(&cfg, NOW).unwrap_or_else(|e| panic!("{ty} {}", e.message));
    let Kind::Simple(s) = &p.kind else {
        panic!("not simple")
    };
    let mut c = vec![0u32; names.len() + 1];
    for b in 0..n {
        let k = match eval::pick(s, Num::I(i128::from(b))) {
            Ok(Some((i, _, _))) => {
                let name = s.arms[i]
                    .name
                    .as_ref()
                    .and_then(Value::as_str)
                    .unwrap_or("");
                names.iter().position(|x| *x == name).unwrap_or(names.len())
            }
            _ => names.len(),
        };
        c[k] += 1;
    }
    c
}

fn set_invalid(ty: &str, variants: Value) -> bool {
    let cfg = json!({"id": 1, "name": "s", "type": ty, "start_ts": 0, "stop_ts": 4102444800u64,
        "experiment": {"variants": variants, "experiment_version": 1}});
    parse(&cfg, NOW).is_err()
}

fn sized(sizes: &[f64]) -> Value {
    Value::Array(
        sizes
            .iter()
            .enumerate()
            .map(|(i, s)| json!({"name": format!("v{}", i + 1), "size": s}))
            .collect(),
    )
}

#[test]
fn variant_sets_6_1() {
    let v = ["v1", "v2", "v3", "v4"];
    assert_eq!(
        set_counts("single_variant", sized(&[0.25, 0.25]), 1000, &v[..2]),
        [250, 250, 500]
    );
    assert_eq!(
        set_counts("single_variant", sized(&[0.001, 0.0]), 1000, &v[..2]),
        [1, 0, 999]
    );
    assert_eq!(
        set_counts("single_variant", sized(&[0.5, 0.5]), 1037, &v[..2]),
        [518, 518, 1]
    );
    assert_eq!(
        set_counts("multi_variant", sized(&[0.25, 0.25, 0.25]), 1000, &v[..3]),
        [250, 250, 250, 250]
    );
    assert_eq!(
        set_counts("multi_variant", sized(&[0.001, 0.0, 0.0]), 1000, &v[..3]),
        [1, 0, 0, 999]
    );
    assert_eq!(
        set_counts("multi_variant", sized(&[0.25; 4]), 1037, &v),
        [259, 259, 259, 259, 1]
    );
    assert_eq!(
        set_counts("feature_rollout", sized(&[0.25]), 1000, &v[..1]),
        [250, 750]
    );
    assert_eq!(
        set_counts("feature_rollout", sized(&[0.001]), 1000, &v[..1]),
        [1, 999]
    );
    assert_eq!(
        set_counts("feature_rollout", sized(&[1.0]), 1037, &v[..1]),
        [1037, 0]
    );
    let ranges = |rs: &[(&str, f64, f64)]| {
        Value::Array(
            rs.iter()
                .map(|(n, a, b)| json!({"name": n, "range_start": a, "range_end": b}))
                .collect(),
        )
    };
    let r3 = [("v1", 0.0, 0.25), ("v2", 0.25, 0.5), ("v3", 0.5, 0.75)];
    assert_eq!(
        set_counts("range_variant", ranges(&r3), 1000, &v[..3]),
        [250, 250, 250, 250]
    );
    let r4 = [
        ("v1", 0.0, 0.25),
        ("v2", 0.25, 0.5),
        ("v3", 0.5, 0.75),
        ("v4", 0.75, 1.0),
    ];
    assert_eq!(
        set_counts("range_variant", ranges(&r4), 1037, &v),
        [259, 259, 259, 260, 0]
    );
    let rr = [("v1", 0.0, 0.25), ("v2", 0.25, 0.5), ("v1", 0.5, 0.75)];
    assert_eq!(
        set_counts("range_variant", ranges(&rr), 1000, &v[..2]),
        [500, 250, 250]
    );

    for ty in [
        "single_variant",
        "multi_variant",
        "feature_rollout",
        "range_variant",
    ] {
        assert!(set_invalid(ty, Value::Null), "{ty} null");
        assert!(set_invalid(ty, json!([])), "{ty} []");
    }
    assert!(set_invalid("single_variant", sized(&[0.5])));
    assert!(set_invalid("multi_variant", sized(&[0.5, 0.5])));
    assert!(set_invalid("feature_rollout", sized(&[0.5, 0.5])));
    assert!(set_invalid("single_variant", sized(&[0.75, 0.75])));
    assert!(set_invalid("multi_variant", sized(&[0.75, 0.75, 0.75])));
    assert!(set_invalid("feature_rollout", sized(&[1.05])));
    let over = [("v1", 0.0, 0.75), ("v2", 0.0, 0.75), ("v3", 0.5, 0.75)];
    assert!(set_invalid("range_variant", ranges(&over)));
    let overlap_ok = [("v1", 0.0, 0.5), ("v2", 0.25, 0.75)];
    assert!(!set_invalid("range_variant", ranges(&overlap_ok)));
}

/// The r2 choice (sorted variant names and their limits) of an experiment with `variants`.
fn r2_choice(variants: Value) -> R2Choice {
    let cfg = json!({"id": 1, "name": "r", "type": "r2", "start_ts": 0, "stop_ts": 4102444800u64,
        "experiment": {"variants": variants, "targeting": {"logged_in": [true]}}});
    let p = parse(&cfg, NOW).unwrap_or_else(|e| panic!("{}", e.message));
    let Kind::Legacy(l) = p.kind else {
        panic!("not r2")
    };
    l.choose.unwrap_or_else(|_| panic!("no choice"))
}

/// The variant of each of buckets 0–999 under the r2 choice of `variants`.
fn r2_bucket_map(variants: Value) -> Vec<Option<String>> {
    let names = r2_choice(variants);
    (0..1000usize)
        .map(|b| {
            let (n, lim) = &names[b % names.len()];
            matches!(lim, Ok(l) if (b as f64) < *l).then(|| n.clone())
        })
        .collect()
}

/// Counts of each sorted r2 variant over buckets 0–999.
fn r2_counts(variants: Value) -> Vec<u32> {
    let names = r2_choice(variants.clone());
    let map = r2_bucket_map(variants);
    names
        .iter()
        .map(|(n, _)| map.iter().filter(|v| v.as_ref() == Some(n)).count() as u32)
        .collect()
}

#[test]
fn r2_choice_6_1() {
    // Sorted names: control_1, control_2 / control_1, control_2, remove_vote_counters.
    assert_eq!(
        r2_counts(json!({"control_1": 10, "control_2": 10})),
        [100, 100]
    );
    assert_eq!(
        r2_counts(json!({"remove_vote_counters": 5, "control_1": 10, "control_2": 5})),
        [100, 50, 50]
    );
    assert_eq!(
        r2_counts(json!({"remove_vote_counters": 15.6, "control_1": 10, "control_2": 20})),
        [100, 200, 156]
    );
    assert_eq!(r2_counts(json!({"a": 50, "b": 50})), [500, 500]);
    assert_eq!(r2_counts(json!({"a": 49, "b": 51})), [490, 500]);
    // §3.4: float order matters, int(0.7*3*10.0) = 20.
    assert_eq!(r2_counts(json!({"a": 0.7, "b": 0.7, "c": 0.7})), [7, 7, 6]);
    // Growing a percentage keeps every assigned bucket.
    let small = r2_bucket_map(json!({"remove_vote_counters": 5, "control_1": 10, "control_2": 5}));
    let big =
        r2_bucket_map(json!({"remove_vote_counters": 15.6, "control_1": 10, "control_2": 20}));
    for (b, v) in small.iter().enumerate() {
        if v.is_some() {
            assert_eq!(&big[b], v, "bucket {b}");
        }
    }
}

#[test]
fn upstream_calculate_bucket_6_1() {
    // _calculate_bucket("t2_1") of the upstream unit tests, through the whole client.
    let r2 = |seed: Option<&str>| {
        let mut c = json!({"id": 1, "name": "test", "type": "r2", "start_ts": 0, "stop_ts": 4102444800u64,
            "experiment": {"variants": {"a": 100}, "targeting": {"logged_in": [true]}}});
        if let Some(s) = seed {
            c["experiment"]["seed"] = json!(s);
        }
        evaluate(
            Some(&c),
            &obj(json!({"user_id": "t2_1", "logged_in": true})),
            NOW,
        )
        .bucket
    };
    assert_eq!(r2(None), Some(236));
    assert_eq!(r2(Some("test-seed")), Some(595));
    let cfg = configs();
    assert_eq!(ev("sv_none", json!({"user_id": "t2_1"})).bucket, Some(867));
    let mut seeded = cfg["sv_none"].clone();
    seeded["experiment"]["bucket_seed"] = json!("some new seed");
    assert_eq!(
        evaluate(Some(&seeded), &obj(json!({"user_id": "t2_1"})), NOW).bucket,
        Some(924)
    );
}

#[test]
fn upstream_simple_overrides_6_1() {
    let eq = |v: &str| json!({"EQ": {"field": "user_id", "value": v}});
    let ins = |vs: &[&str]| json!({"EQ": {"field": "user_id", "values": vs}});
    let cfg = simple_base(
        json!({}),
        json!({"overrides": [{"ov1": eq("t2_1")}, {"ov2": eq("t2_2")}, {"ov3": ins(&["t2_2", "t2_3"])},
                             {"ov1": ins(&["t2_1", "t2_4"])}, "not an object"]}),
    );
    for (u, want) in [
        ("t2_1", "ov1"),
        ("t2_2", "ov2"),
        ("t2_3", "ov3"),
        ("t2_4", "ov1"),
    ] {
        assert_eq!(
            variant_at_t(&cfg, json!({"user_id": u})),
            json!(want),
            "{u}"
        );
    }
    let t5 = variant_at_t(&cfg, json!({"user_id": "t2_5"}));
    assert!(
        t5 == json!("a") || t5 == json!("b"),
        "t2_5 is bucketed: {t5}"
    );
    // An invalid override tree never matches.
    let bad = simple_base(
        json!({}),
        json!({"overrides": [{"zz": {"EQ": {"field": "user_id"}}}]}),
    );
    assert_ne!(variant_at_t(&bad, json!({"user_id": "t2_1"})), json!("zz"));
}

#[test]
fn upstream_feature_flag_6_1() {
    let ff = |exp: Value, top: Value| {
        let mut c = json!({"id": 1, "name": "ff", "type": "feature_flag", "start_ts": 0,
            "stop_ts": 4102444800u64, "experiment": exp});
        apply(&mut c, top, json!({}));
        c
    };
    let admin = ff(
        json!({"variants": {"active": 0}, "overrides": {"user_roles": {"admin": "active"}}}),
        json!({}),
    );
    assert_eq!(
        variant_at_t(&admin, json!({"user_id": "t2_1", "user_roles": ["admin"]})),
        json!("active")
    );
    assert_eq!(
        variant_at_t(&admin, json!({"user_id": "t2_1", "user_roles": ["x"]})),
        Value::Null
    );
    let names = ff(
        json!({"variants": {"active": 0}, "overrides": {"user_name": {"Gary": "active", "ALL_UPPERCASE": "active"}}}),
        json!({}),
    );
    for n in ["gary", "GARY", "all_uppercase", "All_Uppercase"] {
        assert_eq!(
            variant_at_t(&names, json!({"user_name": n})),
            json!("active"),
            "{n}"
        );
    }
    let sub = ff(
        json!({"variants": {"active": 100}, "targeting": {"subreddit": ["WTF"], "subdomain": ["beta"]}}),
        json!({}),
    );
    assert_eq!(
        variant_at_t(&sub, json!({"user_id": "t2_1", "subreddit": "wtf"})),
        json!("active")
    );
    assert_eq!(
        variant_at_t(&sub, json!({"user_id": "t2_1", "subdomain": "BETA"})),
        json!("active")
    );
    let off = ff(
        json!({"variants": {"active": 100}, "overrides": {"user_roles": {"admin": "active"}}}),
        json!({"global_override": null}),
    );
    assert_eq!(
        variant_at_t(&off, json!({"user_id": "t2_1", "user_roles": ["admin"]})),
        Value::Null
    );
    let on = ff(
        json!({"variants": {"active": 0}}),
        json!({"global_override": "active"}),
    );
    assert_eq!(
        variant_at_t(&on, json!({"user_id": "t2_1"})),
        json!("active")
    );
    // newer_than ±30 days with user_created = now.
    let nt = |d: f64| {
        ff(
            json!({"variants": {"active": 100}, "targeting": {"logged_in": [true]}, "newer_than": T + d}),
            json!({}),
        )
    };
    let now_user = json!({"user_id": "t2_1", "logged_in": true, "user_created": T});
    assert_eq!(
        variant_at_t(&nt(-30.0 * 86400.0), now_user.clone()),
        json!("active")
    );
    assert_eq!(variant_at_t(&nt(30.0 * 86400.0), now_user), Value::Null);
    // The newer_than check only disqualifies the logged_in match.
    let both = ff(
        json!({"variants": {"active": 100}, "targeting": {"logged_in": [true], "user_roles": ["admin"]},
                          "newer_than": T + 1000.0}),
        json!({}),
    );
    assert_eq!(
        variant_at_t(
            &both,
            json!({"user_id": "t2_1", "logged_in": true, "user_roles": ["admin"]})
        ),
        json!("active")
    );
}

#[test]
fn client_rules_5() {
    let cfg = configs();
    let sv = &cfg["sv_zero"];
    let o = evaluate(
        Some(sv),
        &obj(json!({"user_id": "t2_6", "bucketing_event_override": false})),
        NOW,
    );
    assert_eq!((o.variant, o.event), (json!("variant_1"), false));
    let o = evaluate(
        Some(sv),
        &obj(json!({"user_id": "t2_6", "bucketing_event_override": true})),
        NOW,
    );
    assert_eq!((o.variant, o.event), (json!("variant_1"), true));
    let o = evaluate(
        Some(sv),
        &obj(json!({"user_id": "t2_6", "user": {"id": 1}})),
        NOW,
    );
    assert_eq!(o.raises, Some(PyError::AttributeError));
    let o = evaluate(
        Some(sv),
        &obj(json!({"user_id": "t2_6", "experiment_name": "x"})),
        NOW,
    );
    assert_eq!(o.raises, Some(PyError::TypeError));
    // Missing name: TypeError from get_unique_id whenever the bucket value is truthy (§2.2).
    let mut nameless = sv.clone();
    if let Some(m) = nameless.as_object_mut() {
        m.remove("name");
    }
    // The exception escapes, so no variant is returned even though one was chosen.
    let o = evaluate(Some(&nameless), &obj(json!({"user_id": "t2_6"})), NOW);
    assert_eq!(
        (o.variant, o.raises),
        (Value::Null, Some(PyError::TypeError))
    );
    assert_eq!(
        evaluate(Some(&nameless), &obj(json!({"user_id": ""})), NOW).raises,
        None
    );
    // A chosen variant entry without a name raises KeyError (single/multi/range).
    let mut unnamed = sv.clone();
    unnamed["experiment"]["variants"][0] = json!({"size": 0.1});
    assert_eq!(
        evaluate(Some(&unnamed), &obj(json!({"user_id": "t2_6"})), NOW).raises,
        Some(PyError::KeyError)
    );
    // An invalid config: None, no event, no exception, the reason names the rule.
    let o = ev("bad_id", json!({"user_id": "t2_1"}));
    assert_eq!(
        (o.variant.clone(), o.event, o.raises),
        (Value::Null, false, None)
    );
    assert!(
        o.reason.contains("TypeError") && o.reason.contains("id"),
        "{}",
        o.reason
    );
}

#[test]
fn bulk_matches_evaluate() {
    let cfg = configs();
    for (key, c) in &cfg {
        let Ok(p) = parse(c, NOW) else { continue };
        let fixed =
            obj(json!({"logged_in": true, "country": "US", "build": 120, "is_employee": false}));
        let mut bulk = Bulk::new(&p, &fixed);
        let bv = bulk.bucket_val().to_string();
        let (mut batched, mut moved) = (0, 0);
        for i in 0..10_000 {
            let line = match i % 4 {
                0 => format!("t2_{i}"),
                1 => format!("t3_{i}"),
                2 => format!("{i}"),
                _ => String::new(),
            };
            let mut inputs = fixed.clone();
            inputs.insert(bv.clone(), Value::String(line.clone()));
            let e = evaluate(Some(c), &inputs, NOW);
            let b = bulk.eval(&line);
            assert_eq!(
                (b.to_value(), b.bucket, b.event, b.raises),
                (e.variant.clone(), e.bucket, e.event, e.raises),
                "{key} {line:?}"
            );
            // The digest hashed with others of a batch stands for the one hashed alone.
            let mut d = [[0u8; 20]; 3];
            let hashed = bulk.hash_many(&[b"other", line.as_bytes(), b""], &mut d);
            let h = bulk.eval_hashed(&line, hashed.then_some(&d[1]));
            assert_eq!(
                (h.to_value(), h.bucket, h.event, h.raises),
                (e.variant.clone(), e.bucket, e.event, e.raises),
                "{key} {line:?}, hashed in a batch"
            );
            // And it is the one used: another value's digest moves some values.
            if hashed && e.bucket.is_some() {
                batched += 1;
                if bulk.eval_hashed(&line, Some(&d[0])).bucket != e.bucket {
                    moved += 1;
                }
            }
        }
        assert!(
            batched == 0 || moved > 0,
            "{key}: the batch digest is not used"
        );
    }
}

#[test]
fn never_panics_on_odd_json() {
    let odd = [
        json!(null),
        json!([]),
        json!("x"),
        json!(5),
        json!({"id": 1, "type": 5}),
        json!({"id": 1, "type": []}),
        json!({"id": 1, "type": [], "start_ts": 0, "stop_ts": 1}),
        json!({"id": 1, "start_ts": "a", "stop_ts": 1}),
        json!({"id": 1, "expires": 5}),
        json!({"id": 1, "expires": "2020-02-30"}),
        json!({"id": 1, "type": "r2", "start_ts": 0, "stop_ts": 4102444800u64, "experiment": {"variants": {}, "targeting": {"a": [1]}}}),
        json!({"id": 1, "type": "r2", "start_ts": 0, "stop_ts": 4102444800u64, "experiment": {"variants": [], "targeting": [["a", [1]]]}}),
        json!({"id": 1, "type": "r2", "start_ts": 0, "stop_ts": 4102444800u64, "experiment": {"variants": {"a": "x"}, "targeting": {"a": [1]}, "overrides": {"a": {"q": ["l"]}}}}),
        json!({"id": 1, "type": "r2", "start_ts": 0, "stop_ts": 4102444800u64, "experiment": {"variants": {"a": 1e308, "b": 1}, "targeting": {"a": [1]}}}),
        json!({"id": 1, "type": "multi_variant", "start_ts": 0, "stop_ts": 4102444800u64, "experiment": {"experiment_version": 1, "num_buckets": "7", "variants": [{"size": 0}, {"size": 0}, {"size": 0}]}}),
        json!({"id": 1, "type": "single_variant", "start_ts": 0, "stop_ts": 4102444800u64, "experiment": {"experiment_version": 1, "num_buckets": 0, "variants": [{"size": 0}, {"size": 0}]}}),
        json!({"id": 1, "type": "single_variant", "start_ts": 0, "stop_ts": 4102444800u64, "experiment": {"experiment_version": 1, "num_buckets": -7.5, "variants": [{"size": 1e300}, {"size": -1e300}]}}),
        json!({"id": 1, "type": "range_variant", "start_ts": 0, "stop_ts": 4102444800u64, "experiment": {"experiment_version": "v", "bucket_val": [1], "num_buckets": 1e30, "variants": [{"range_start": -1e300, "range_end": 1e300}]}}),
        json!({"id": 18446744073709551615u64, "name": [1], "type": "feature_rollout", "start_ts": 0, "stop_ts": 4102444800u64, "experiment": {"experiment_version": 1, "variants": [{"size": true}], "targeting": {"GT": {"field": "a", "value": [1, {"b": null}]}}}}),
    ];
    let inputs = [
        json!({}),
        json!({"user_id": "t2_1", "a": 1, "logged_in": true}),
        json!({"user_id": [1, 2.5e-7, {"k": "v"}], "a": [1, 2], "logged_in": [true]}),
        json!({"user_id": 1e300, "a": "x", "user_created": "z"}),
        json!({"USER_ID": "é", "a": null}),
    ];
    for c in &odd {
        let _ = lint("k", c, NOW);
        for i in &inputs {
            let o = evaluate(Some(c), &obj(i.clone()), NOW);
            if let Ok(p) = parse(c, NOW) {
                let mut b = Bulk::new(&p, &obj(i.clone()));
                let r = b.eval("t2_1");
                let mut inp = obj(i.clone());
                let bv = b.bucket_val().to_string();
                inp.insert(bv, json!("t2_1"));
                let e = evaluate(Some(c), &inp, NOW);
                assert_eq!(
                    (r.to_value(), r.event, r.raises),
                    (e.variant, e.event, e.raises),
                    "{c}"
                );
            }
            let _ = o;
        }
    }
}

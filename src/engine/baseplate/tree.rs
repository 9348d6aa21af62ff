//! Targeting trees of simple experiments and their overrides (`spec/baseplate.md` §2.6).
//!
//! A tree that fails to construct is kept as "targets no one" with the reason, as baseplate's
//! `_generate_targeting` does; only comparison nodes can raise (TypeError) while evaluating.

use serde_json::{Map, Value};

use super::PyError;
use super::args::Args;
use super::py::{self, Op, V};

/// Trees nested deeper than this many nodes are treated as invalid (targeting no one).
///
/// Python builds trees recursively (two frames per level) under a recursion limit of about
/// 1000, so it accepts chains up to roughly 490 levels. serde_json refuses JSON nested deeper
/// than 128 (about 64 tree levels), so parsed configs never reach this limit; it only keeps
/// hand-built values from overflowing the stack.
pub const MAX_TREE_DEPTH: usize = 200;

#[derive(Debug, Clone)]
pub(crate) enum Node {
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    Const(bool),
    /// `EQ`: `inputs.get(field) in accepted`, TypeError counting as no match.
    Eq {
        field: String,
        /// `values` when truthy (any JSON), else the one-element list `[value]`.
        values: Option<Value>,
        value: Value,
    },
    /// `GT`/`GE`/`LT`/`LE`, or `NE` when `op` is None.
    Cmp {
        field: String,
        op: Option<Op>,
        value: Value,
    },
}

/// A constructed tree, or why construction failed (then it targets no one).
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub(crate) root: Node,
    pub(crate) error: Option<String>,
}

impl Tree {
    /// `_generate_targeting`: `None` targets everyone; a config that fails to construct targets
    /// no one.
    pub(crate) fn from_config(cfg: Option<&Value>) -> Tree {
        match cfg {
            None | Some(Value::Null) => Tree {
                root: Node::Const(true),
                error: None,
            },
            Some(c) => match build(c, 0) {
                Ok(root) => Tree { root, error: None },
                Err(e) => Tree {
                    root: Node::Const(false),
                    error: Some(e),
                },
            },
        }
    }

    pub(crate) fn eval(&self, a: &Args<'_>, line: &str) -> Result<bool, PyError> {
        eval(&self.root, a, line)
    }
}

fn build(c: &Value, depth: usize) -> Result<Node, String> {
    if depth >= MAX_TREE_DEPTH {
        return Err(format!("tree nested deeper than {MAX_TREE_DEPTH} nodes"));
    }
    let Value::Object(m) = c else {
        return Err(format!(
            "a node must be an object with one key, got {}",
            V::of(c).type_name()
        ));
    };
    if m.len() != 1 {
        return Err(format!("a node must have exactly one key, got {}", m.len()));
    }
    let Some((op, arg)) = m.iter().next() else {
        return Err("empty node".into());
    };
    let name = py::lower(op);
    match name.as_ref() {
        "all" | "any" => {
            let Value::Array(items) = arg else {
                return Err(format!("{op} expects a list"));
            };
            let kids = items
                .iter()
                .map(|n| build(n, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if name == "all" {
                Node::All(kids)
            } else {
                Node::Any(kids)
            })
        }
        "not" => {
            // len() first (TypeError for scalars), then the dict check.
            match arg {
                Value::Object(inner) if inner.len() == 1 => {
                    Ok(Node::Not(Box::new(build(arg, depth + 1)?)))
                }
                _ => Err(format!("{op} expects an object with exactly one key")),
            }
        }
        "override" => Ok(Node::Const(matches!(arg, Value::Bool(true)))),
        "eq" => {
            let m = two_keys(op, arg)?;
            if !m.contains_key("value") && !m.contains_key("values") {
                return Err(format!("{op} needs `value` or `values`"));
            }
            let field = field(op, m)?;
            let values = m.get("values").filter(|v| py::truthy(V::of(v))).cloned();
            let value = match (&values, m.get("value")) {
                (Some(_), v) => v.cloned().unwrap_or(Value::Null),
                (None, Some(v)) => v.clone(),
                (None, None) => {
                    return Err(format!("{op} has empty `values` and no `value` (KeyError)"));
                }
            };
            Ok(Node::Eq {
                field,
                values,
                value,
            })
        }
        "gt" | "ge" | "lt" | "le" | "ne" => {
            let m = two_keys(op, arg)?;
            if !m.contains_key("value") {
                return Err(format!("{op} needs `value`"));
            }
            let field = field(op, m)?;
            let op = match name.as_ref() {
                "gt" => Some(Op::Gt),
                "ge" => Some(Op::Ge),
                "lt" => Some(Op::Lt),
                "le" => Some(Op::Le),
                _ => None,
            };
            Ok(Node::Cmp {
                field,
                op,
                value: m.get("value").cloned().unwrap_or(Value::Null),
            })
        }
        _ => Err(format!("unknown operator `{op}`")),
    }
}

fn two_keys<'a>(op: &str, arg: &'a Value) -> Result<&'a Map<String, Value>, String> {
    match arg {
        Value::Object(m) if m.len() == 2 && m.contains_key("field") => Ok(m),
        Value::Object(m) if m.len() != 2 => Err(format!(
            "{op} expects exactly two keys (`field` and `value`/`values`), got {}",
            m.len()
        )),
        Value::Object(_) => Err(format!("{op} needs `field`")),
        _ => Err(format!("{op} expects an object")),
    }
}

fn field(op: &str, m: &Map<String, Value>) -> Result<String, String> {
    match m.get("field") {
        Some(Value::String(f)) => Ok(py::lower(f).into_owned()),
        _ => Err(format!("{op}: `field` must be a string (AttributeError)")),
    }
}

fn eval(n: &Node, a: &Args<'_>, line: &str) -> Result<bool, PyError> {
    match n {
        Node::All(kids) => {
            for k in kids {
                if !eval(k, a, line)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Node::Any(kids) => {
            for k in kids {
                if eval(k, a, line)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Node::Not(k) => Ok(!eval(k, a, line)?),
        Node::Const(b) => Ok(*b),
        Node::Eq {
            field,
            values,
            value,
        } => {
            let cand = a.get(field, line).unwrap_or(V::Null);
            Ok(match values {
                Some(vs) => py::contains(V::of(vs), cand).unwrap_or(false),
                None => py::eq(cand, V::of(value)),
            })
        }
        Node::Cmp { field, op, value } => {
            let cand = a.get(field, line).unwrap_or(V::Null);
            let v = V::of(value);
            if cand.is_none() && v.is_none() {
                return Ok(false);
            }
            match op {
                Some(op) => py::compare(cand, v, *op),
                None => Ok(!py::eq(cand, v)),
            }
        }
    }
}

/// Calls `f` on every node, parents first.
pub(crate) fn visit(n: &Node, f: &mut impl FnMut(&Node)) {
    f(n);
    match n {
        Node::All(kids) | Node::Any(kids) => kids.iter().for_each(|k| visit(k, f)),
        Node::Not(k) => visit(k, f),
        _ => {}
    }
}

/// Comparison nodes (GT/GE/LT/LE) whose field is not known to be present when they run: no
/// earlier sibling under an enclosing `ALL` requires the field to be non-null. Returns the
/// operator symbols and field names, for lint.
pub(crate) fn unguarded_comparisons(n: &Node) -> Vec<(Op, String)> {
    let mut out = Vec::new();
    walk(n, &mut Vec::new(), &mut out);
    out
}

fn walk(n: &Node, guarded: &mut Vec<String>, out: &mut Vec<(Op, String)>) {
    match n {
        Node::All(kids) => {
            let before = guarded.len();
            for k in kids {
                walk(k, guarded, out);
                if let Some(f) = presence(k) {
                    guarded.push(f);
                }
            }
            guarded.truncate(before);
        }
        Node::Any(kids) => kids.iter().for_each(|k| walk(k, guarded, out)),
        Node::Not(k) => walk(k, guarded, out),
        Node::Cmp {
            field,
            op: Some(op),
            ..
        } if !guarded.contains(field) => out.push((*op, field.clone())),
        _ => {}
    }
}

/// The field a node proves present (non-null) when it is true.
fn presence(n: &Node) -> Option<String> {
    match n {
        Node::Eq {
            field,
            values,
            value,
        } => {
            let null_ok = match values {
                Some(vs) => py::contains(V::of(vs), V::Null).unwrap_or(true),
                None => value.is_null(),
            };
            (!null_ok).then(|| field.clone())
        }
        Node::Cmp {
            field,
            op: None,
            value: Value::Null,
        } => Some(field.clone()),
        Node::Not(k) => match k.as_ref() {
            Node::Eq {
                field,
                values: None,
                value: Value::Null,
            } => Some(field.clone()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(tree: Value, inputs: Value) -> Result<bool, PyError> {
        let t = Tree::from_config(Some(&tree));
        let m = inputs.as_object().cloned().unwrap_or_default();
        let a = Args::from_map(&m);
        t.eval(&a, "")
    }
    fn invalid(tree: Value) -> bool {
        Tree::from_config(Some(&tree)).error.is_some()
    }

    /// §6.1 tree targeting: the upstream nominal tree (tree_targeting_tests.py).
    #[test]
    fn nominal_docstring_tree() {
        let tree = json!({"ALL": [
            {"ANY": [
                {"EQ": {"field": "is_mod", "value": true}},
                {"EQ": {"field": "user_id", "values": ["t2_1", "t2_2", "t2_3", "t2_4"]}}]},
            {"NOT": {"EQ": {"field": "is_pita", "value": true}}},
            {"EQ": {"field": "is_logged_in", "values": [true, false]}},
            {"NOT": {"EQ": {"field": "subreddit_id", "values": ["t5_1", "t5_2"]}}},
            {"ALL": [
                {"EQ": {"field": "random_numeric", "values": [1, 2, 3, 4, 5]}},
                {"EQ": {"field": "random_numeric", "value": 5}}]}]});
        // Spec §6.1: false without is_logged_in, true with it.
        let base = json!({"user_id": "t2_1", "is_mod": false, "is_pita": false,
                          "random_numeric": 5});
        assert_eq!(run(tree.clone(), base.clone()), Ok(false));
        let mut with = base.as_object().cloned().unwrap_or_default();
        with.insert("is_logged_in".into(), json!(true));
        assert_eq!(run(tree, Value::Object(with)), Ok(true));
    }

    #[test]
    fn construction_errors() {
        assert!(invalid(
            json!({"EQ": {"field": "a", "value": 1}, "NE": {"field": "a", "value": 1}})
        ));
        assert!(invalid(json!({"XOR": []})));
        assert!(invalid(json!({"ALL": {"EQ": {"field": "a", "value": 1}}})));
        assert!(invalid(json!({"NOT": [{"OVERRIDE": true}]})));
        assert!(invalid(json!({"NOT": {"OVERRIDE": true, "x": 1}})));
        assert!(invalid(json!({"EQ": {"field": "a"}})));
        assert!(invalid(
            json!({"EQ": {"field": "a", "value": 1, "values": [1]}})
        ));
        assert!(invalid(json!({"EQ": {"fld": "a", "value": 1}})));
        assert!(invalid(json!({"EQ": {"field": "a", "values": []}})));
        assert!(invalid(json!({"EQ": {"field": 5, "value": 1}})));
        assert!(invalid(json!({"GT": {"field": "a", "values": 1}})));
        assert!(invalid(json!({})));
        assert!(invalid(json!([])));
        assert!(!invalid(json!({"eq": {"field": "a", "value": null}})));
        assert!(!invalid(json!({"Any": []})));
    }

    #[test]
    fn eq_semantics() {
        let eq1 = |v: Value, inputs: Value| run(json!({"EQ": {"field": "x", "value": v}}), inputs);
        assert_eq!(eq1(json!(true), json!({"x": true})), Ok(true));
        assert_eq!(eq1(json!(1), json!({"x": true})), Ok(true));
        assert_eq!(eq1(json!(5), json!({"x": 5.0})), Ok(true));
        assert_eq!(eq1(json!("1"), json!({"x": 1})), Ok(false));
        assert_eq!(eq1(json!("s"), json!({"x": "s"})), Ok(true));
        assert_eq!(eq1(json!(null), json!({"x": null})), Ok(true));
        assert_eq!(eq1(json!(null), json!({})), Ok(true));
        // Field names are lower-cased, input names are not (§6.3).
        let f = json!({"EQ": {"field": "User_Id", "value": "t2_1"}});
        assert_eq!(run(f.clone(), json!({"user_id": "t2_1"})), Ok(true));
        assert_eq!(run(f, json!({"User_Id": "t2_1"})), Ok(false));
        // `values` as a string is a substring test; a non-str candidate is a caught TypeError.
        let s = json!({"EQ": {"field": "country", "values": "USA"}});
        assert_eq!(run(s.clone(), json!({"country": "US"})), Ok(true));
        assert_eq!(run(s, json!({"country": 1})), Ok(false));
        assert_eq!(run(json!({"OVERRIDE": "string"}), json!({})), Ok(false));
        assert_eq!(run(json!({"OVERRIDE": {"a": 1}}), json!({})), Ok(false));
        assert_eq!(run(json!({"OVERRIDE": 1}), json!({})), Ok(false));
        assert_eq!(run(json!({"OVERRIDE": true}), json!({})), Ok(true));
        assert_eq!(run(json!({"ANY": []}), json!({})), Ok(false));
        assert_eq!(run(json!({"ALL": []}), json!({})), Ok(true));
    }

    #[test]
    fn comparisons() {
        let c = |op: &str, v: Value, x: Value| {
            run(json!({op: {"field": "n", "value": v}}), json!({"n": x}))
        };
        for (op, want) in [
            ("GT", [true, false, false]),
            ("GE", [true, true, false]),
            ("LT", [false, false, true]),
            ("LE", [false, true, true]),
            ("NE", [true, false, true]),
        ] {
            for (i, v) in [4, 5, 6].into_iter().enumerate() {
                assert_eq!(c(op, json!(v), json!(5)), Ok(want[i]), "{op} 5 vs {v}");
            }
        }
        assert_eq!(c("GT", json!(5), json!("7")), Err(PyError::TypeError));
        assert_eq!(
            run(json!({"GT": {"field": "n", "value": 5}}), json!({})),
            Err(PyError::TypeError)
        );
        for op in ["GT", "GE", "LT", "LE", "NE"] {
            assert_eq!(c(op, json!(null), json!(null)), Ok(false), "{op}");
            assert_eq!(
                run(json!({op: {"field": "n", "value": null}}), json!({})),
                Ok(false)
            );
        }
        assert_eq!(c("NE", json!(null), json!(3)), Ok(true));
    }

    #[test]
    fn depth_limit() {
        let mut t = json!({"OVERRIDE": true});
        for _ in 0..(MAX_TREE_DEPTH + 5) {
            t = json!({ "NOT": t });
        }
        assert!(invalid(t));
        let mut t = json!({"OVERRIDE": true});
        for _ in 0..60 {
            t = json!({ "NOT": t });
        }
        assert!(!invalid(t));
    }

    #[test]
    fn guards() {
        let t = Tree::from_config(Some(&json!({"ALL": [
            {"NE": {"field": "a", "value": null}},
            {"GT": {"field": "a", "value": 1}},
            {"LT": {"field": "b", "value": 1}}]})));
        let u = unguarded_comparisons(&t.root);
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].1, "b");
    }
}

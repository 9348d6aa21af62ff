//! Open edX's bucket as SQL (`spec/edx.md` §2): the MD5 hex of `group_name || username`, the top
//! bit of each of its 32 hex digits (first digit most significant) as a 32-bit number, mod the
//! bucket count — behind the users whose bucket the store decides otherwise (main flag off for
//! them, forced by a bucket flag, outside the enrollment window), listed by name.

use super::{Dialect, Family, Sql, case, column, is_in};

/// What a user gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Answer {
    /// This bucket, whatever the hash says.
    Bucket(u32),
    /// The stable hash decides.
    Hash,
}

/// What the hash absorbs before the username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group {
    /// `NAME` or `NAME.COURSE`, the same for every row.
    Fixed(String),
    /// Course-aware with the course read from a column: `NAME.COURSE`, or `NAME` where the
    /// column is NULL.
    CourseColumn { name: String, column: String },
}

/// The assignment of one experiment, as the store and engine decided it.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub group: Group,
    pub num_buckets: u32,
    pub user_column: String,
    /// Users whose answer differs from `others`, by answer.
    pub listed: Vec<(Answer, Vec<String>)>,
    /// Every other user's answer.
    pub others: Answer,
}

/// The SQL of an assignment in a dialect.
pub fn bucket_sql(d: Dialect, a: &Assignment) -> Result<Sql, String> {
    let f: &dyn Family = d.family();
    let user_col = column(d, &a.user_column)?;
    let user = f.text(&user_col);
    let mut columns = vec![a.user_column.clone()];
    let group = match &a.group {
        Group::Fixed(g) => f.literal(g)?,
        Group::CourseColumn { name, column: c } => {
            columns.push(c.clone());
            let course = column(d, c)?;
            format!(
                "CASE WHEN {course} IS NULL THEN {} ELSE {} END",
                f.literal(name)?,
                f.concat(&[f.literal(&format!("{name}."))?, f.text(&course)])
            )
        }
    };
    let hash = format!(
        "{} % {}",
        f.nibble_bits(&f.md5_hex(&f.concat(&[group, user.clone()]))),
        a.num_buckets
    );
    let value = |ans: Answer| match ans {
        Answer::Bucket(b) => b.to_string(),
        Answer::Hash => hash.clone(),
    };
    let mut arms = Vec::new();
    for (ans, users) in &a.listed {
        if *ans != a.others && !users.is_empty() {
            arms.push((is_in(f, &user, users)?, value(*ans)));
        }
    }
    Ok(Sql {
        dialect: d.name(),
        expression: case(&arms, &value(a.others)),
        setup: Vec::new(),
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(others: Answer, listed: Vec<(Answer, Vec<String>)>) -> Assignment {
        Assignment {
            group: Group::Fixed("exp.a".into()),
            num_buckets: 3,
            user_column: "username".into(),
            listed,
            others,
        }
    }

    #[test]
    fn listed_users_come_before_the_hash() {
        let s = bucket_sql(
            Dialect::DuckDb,
            &a(
                Answer::Hash,
                vec![
                    (Answer::Bucket(2), vec!["al'ice".into(), "bob".into()]),
                    (Answer::Hash, vec!["ignored".into()]),
                ],
            ),
        )
        .unwrap();
        assert_eq!(
            s.expression,
            "CASE\n  WHEN CAST(\"username\" AS VARCHAR) IN ('al''ice', 'bob') THEN 2\n  ELSE CAST(CAST(translate(md5(('exp.a' || CAST(\"username\" AS VARCHAR))), '0123456789abcdef', '0000000011111111') AS BIT) AS UBIGINT) % 3\nEND"
        );
        assert!(s.setup.is_empty());
        assert_eq!(s.columns, ["username"]);
    }

    #[test]
    fn a_constant_answer_is_a_constant() {
        let s = bucket_sql(Dialect::Postgres, &a(Answer::Bucket(0), vec![])).unwrap();
        assert_eq!(s.expression, "0");
        assert!(s.setup.is_empty());
    }

    #[test]
    fn mysql_hashes_and_compares_bytes() {
        let mut x = a(Answer::Hash, vec![(Answer::Bucket(1), vec!["é".into()])]);
        x.group = Group::CourseColumn {
            name: "e".into(),
            column: "course_id".into(),
        };
        let s = bucket_sql(Dialect::MySql, &x).unwrap();
        assert!(
            s.expression
                .contains("CAST(CONVERT(`username` USING utf8mb4) AS BINARY) IN (X'c3a9') THEN 1"),
            "{}",
            s.expression
        );
        assert!(s.expression.contains(
            "MD5(CONCAT(CASE WHEN `course_id` IS NULL THEN X'65' ELSE CONCAT(X'652e', CONVERT(`course_id` USING utf8mb4)) END, CONVERT(`username` USING utf8mb4)))"
        ), "{}", s.expression);
        assert_eq!(s.columns, ["username", "course_id"]);
    }
}

"""The engine side of bench/warehouse.sh: loads the ids into DuckDB, PostgreSQL and MariaDB
(not timed), then times `CREATE TABLE … AS SELECT username, <expression> AS bucket`, and checks
that each engine's bucket counts equal wafflectl's."""

import collections
import json
import os
import sys
import time
import urllib.parse

import duckdb
import psycopg
import pymysql


def timed(label, run, want):
    t0 = time.time()
    counts = run()
    print(f"{label}: {time.time() - t0:.1f}s", "(same counts per bucket as wafflectl)" if counts == want
          else f"(DIFFERENT counts: {counts} vs {want})")


def main():
    work, ids = sys.argv[1], sys.argv[2]
    want = collections.Counter(int(line.rsplit("\t", 1)[1]) for line in open(os.path.join(work, "out.tsv")))
    sql = {d: json.load(open(os.path.join(work, f"{d}.json"))) for d in ("duckdb", "postgres", "mysql")}

    con = duckdb.connect()
    con.execute("CREATE TABLE ids AS SELECT * FROM read_csv(?, header=false, quote='', escape='', "
                "columns={'username': 'VARCHAR'})", [ids])

    def duck():
        con.execute(f"CREATE TABLE a AS SELECT username, {sql['duckdb']['expression']} AS bucket FROM ids")
        return collections.Counter(dict(con.execute("SELECT bucket, count(*) FROM a GROUP BY 1").fetchall()))
    timed("duckdb", duck, want)

    with psycopg.connect(os.environ["WAFFLECTL_TEST_PG_URL"], autocommit=True) as pg:
        pg.execute("CREATE TEMP TABLE ids (username text)")
        with pg.cursor().copy("COPY ids (username) FROM STDIN") as cp:
            with open(ids, "rb") as f:
                while block := f.read(1 << 20):
                    cp.write(block)

        def postgres():
            pg.execute(f"CREATE TEMP TABLE a AS SELECT username, {sql['postgres']['expression']} AS bucket FROM ids")
            return collections.Counter(dict(pg.execute("SELECT bucket, count(*) FROM a GROUP BY 1").fetchall()))
        timed("postgres", postgres, want)

    u = urllib.parse.urlparse(os.environ["WAFFLECTL_TEST_MYSQL_URL"])
    my = pymysql.connect(host=u.hostname, port=u.port or 3306, user=urllib.parse.unquote(u.username),
                         password=urllib.parse.unquote(u.password or ""), database=u.path.lstrip("/"),
                         local_infile=True, charset="utf8mb4", autocommit=True)
    cur = my.cursor()
    cur.execute("CREATE TEMPORARY TABLE ids (username VARCHAR(64)) CHARACTER SET utf8mb4")
    cur.execute("LOAD DATA LOCAL INFILE %s INTO TABLE ids CHARACTER SET utf8mb4 "
                "FIELDS TERMINATED BY '\\t' ESCAPED BY '' LINES TERMINATED BY '\\n' (username)", (ids,))

    def mariadb():
        cur.execute(f"CREATE TEMPORARY TABLE a AS SELECT username, {sql['mysql']['expression']} AS bucket FROM ids")
        cur.execute("SELECT bucket, count(*) FROM a GROUP BY 1")
        return collections.Counter({int(b): c for b, c in cur.fetchall()})
    timed("mariadb", mariadb, want)
    my.close()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""edX's stable bucketing, as spec/edx.md §2 describes it, over a file of usernames.

Usage: reference.py GROUP_NAME NUM_BUCKETS USERS_FILE > out.tsv
Writes `username<TAB>bucket` per non-empty line (the same as `wafflectl bucket --users-file`
when the main flag is on and nobody is forced into a bucket).
"""
import hashlib
import re
import sys


def stable_bucketing_hash_group(group_name, group_count, username):
    hasher = hashlib.md5()
    hasher.update(group_name.encode("utf-8"))
    hasher.update(username.encode("utf-8"))
    hash_str = hasher.hexdigest()
    # The top bit of every hex digit: 0-7 -> 0 first, then 8-f -> 1 (the order matters).
    bits = re.sub("[8-9a-f]", "1", re.sub("[0-7]", "0", hash_str))
    return int(bits, 2) % group_count


def main():
    group, count, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    out = sys.stdout
    with open(path, encoding="utf-8") as f:
        for line in f:
            name = line.strip(" \t\r\n\v\f")
            if name:
                out.write(f"{name}\t{stable_bucketing_hash_group(group, count, name)}\n")


if __name__ == "__main__":
    main()

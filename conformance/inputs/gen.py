"""Random inputs for conformance/inputs/suite.py: date strings as people type them and as other
tools store them, and course keys in every form edx-opaque-keys knows (and near misses).
Every generator takes a random.Random, so a seed replays a run."""

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ABBR = [m[:3] for m in MONTHS] + ["Sept"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WABBR = [d[:3] for d in DAYS]
ZONES = ["Z", "UTC", "GMT", "EST", "PST", "CET", "XYZT", "z", "utc", "BST", "UT"]
FULLWIDTH = {str(i): chr(0xFF10 + i) for i in range(10)}
ARABIC = {str(i): chr(0x660 + i) for i in range(10)}
DEVANAGARI = {str(i): chr(0x966 + i) for i in range(10)}
ODD = ["\u00b2", "\u2460", "\u2167", "\u00e9", "\u093f", "\u24b6", "\u0301", "\u0939", "\u4e00", "\u00a0", "\u2003", "\x1c", "\t", "\n",
       "_", "#", "@", "'", "(", ")", "\x00"]


def year(r):
    k = r.random()
    if k < 0.45:
        return str(r.randint(1950, 2060))
    if k < 0.7:
        return "%02d" % r.randint(0, 99)
    if k < 0.8:
        return str(r.randint(1, 9999)).zfill(r.choice([1, 3, 4]))
    if k < 0.9:
        return r.choice(["0", "0000", "10000", "99999", "2147483647", "2147483648",
                         "12345678901", "9" * r.randint(5, 30), "1" * 400])
    return str(r.randint(100, 999))


def month(r):
    k = r.random()
    if k < 0.5:
        return "%02d" % r.randint(1, 12) if r.random() < 0.6 else str(r.randint(1, 12))
    if k < 0.7:
        return r.choice(MONTHS)
    if k < 0.9:
        return r.choice(ABBR) + r.choice(["", "", "."])
    return str(r.randint(0, 14))


def day(r):
    d = r.randint(1, 31) if r.random() < 0.95 else r.randint(0, 40)
    s = "%02d" % d if r.random() < 0.5 else str(d)
    if r.random() < 0.1:
        s += r.choice(["st", "nd", "rd", "th"])
    return s


def time_(r):
    h = r.randint(0, 23) if r.random() < 0.9 else r.randint(0, 30)
    m = r.randint(0, 59) if r.random() < 0.95 else r.randint(0, 70)
    s = r.randint(0, 59)
    k = r.random()
    if k < 0.3:
        t = "%02d:%02d" % (h, m)
    elif k < 0.6:
        t = "%02d:%02d:%02d" % (h, m, s)
    elif k < 0.7:
        t = "%02d:%02d:%02d.%s" % (h, m, s, "".join(r.choice("0123456789") for _ in range(r.randint(1, 9))))
    elif k < 0.8:
        t = "%d%s" % (r.randint(0, 13), r.choice(["am", "pm", " AM", " PM", " a.m.", " p.m.", "a", "p"]))
    elif k < 0.9:
        t = "%d:%02d %s" % (r.randint(0, 13), m, r.choice(["a.m.", "p.m.", "AM", "PM", "am", "pm"]))
    else:
        t = r.choice(["%dh%02dm" % (h, m), "%dh" % h, "%02d%02d" % (h, m), "%d hours" % h,
                      "%02d:%02d,%03d" % (h, m, s)])
    return t


def zone(r):
    k = r.random()
    if k < 0.4:
        return r.choice(ZONES)
    sign = r.choice("+-")
    h, m = r.randint(0, 14), r.choice([0, 30, 45])
    if k < 0.6:
        return "%s%02d:%02d" % (sign, h, m)
    if k < 0.75:
        return "%s%02d%02d" % (sign, h, m)
    if k < 0.85:
        return "%s%d" % (sign, h)
    if k < 0.95:
        return "%s%s%d" % (r.choice(["GMT", "UTC"]), sign, h)
    return r.choice(["+99:00", "-25:00", "+2400", "+0000 (UTC)", "-0800 (PST)", "+99999999999:00"])


def iso(r):
    y, mo, d = year(r), "%02d" % r.randint(1, 13), "%02d" % r.randint(1, 31)
    s = "%s-%s-%s" % (y, mo, d)
    k = r.random()
    if k < 0.6:
        s += r.choice(["T", " "]) + time_(r)
    elif k < 0.7:
        s += "T%02d" % r.randint(0, 24)
    if r.random() < 0.4:
        s += r.choice(["", " "]) + zone(r)
    return s


def human(r):
    m, d, y = month(r), day(r), year(r)
    forms = [
        "%s %s %s" % (m, d, y), "%s %s, %s" % (m, d, y), "%s %s %s" % (d, m, y),
        "%s/%s/%s" % (m, d, y), "%s/%s/%s" % (d, m, y), "%s-%s-%s" % (d, m, y),
        "%s.%s.%s" % (d, m, y), "%s %s" % (m, y), "%s %s" % (r.choice(MONTHS), y),
        "%s of %s" % (r.choice(MONTHS), y), "%s %s" % (m, d), y, "%s/%s" % (m, y),
        "%s %s" % (d, m),
    ]
    s = r.choice(forms)
    if r.random() < 0.3:
        s = r.choice(DAYS + WABBR) + r.choice([", ", " "]) + s
    if r.random() < 0.4:
        s += r.choice([" ", " at ", "T", ", "]) + time_(r)
    if r.random() < 0.15:
        s += " " + zone(r)
    return s


def special(r):
    y = str(r.randint(1990, 2040))
    mo, d = r.randint(1, 12), r.randint(1, 28)
    h, mi, se = r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)
    forms = [
        # ctime
        "%s %s %2d %02d:%02d:%02d %s" % (r.choice(WABBR), r.choice(ABBR[:12]), d, h, mi, se, y),
        # compact ISO
        "%s%02d%02dT%02d%02d%02dZ" % (y, mo, d, h, mi, se),
        "%s%02d%02dT%02d%02d%02d" % (y, mo, d, h, mi, se),
        "%s%02d%02d" % (y, mo, d), "%s%02d%02d%02d%02d" % (y, mo, d, h, mi),
        "%s%02d%02d%02d%02d%02d" % (y, mo, d, h, mi, se), "%02d%02d%02d" % (mo, d, int(y) % 100),
        # day-first with a day > 12
        "%d/%02d/%s" % (r.randint(13, 31), mo, y),
        # RFC 2822
        "%s, %d %s %s %02d:%02d:%02d %s" % (r.choice(WABBR), d, r.choice(ABBR[:12]), y, h, mi, se,
                                            r.choice(["+0000", "-0500", "GMT", "+0530", ""])),
        # a time alone, hours alone
        "%d %s" % (r.randint(0, 13), r.choice(["AM", "PM", "am", "pm"])),
        "%02d:%02d" % (h, mi), "%d:%02d %s" % (r.randint(1, 12), mi, r.choice(["a.m.", "p.m."])),
        r.choice(DAYS), "%s %s" % (r.choice(DAYS), time_(r)),
        # numbers alone
        str(r.randint(0, 10 ** r.randint(1, 15))), "%d.%d" % (r.randint(0, 99), r.randint(0, 99)),
        # Django's text
        "%s-%02d-%02d %02d:%02d:%02d.%06d" % (y, mo, d, h, mi, se, r.randint(0, 999999)),
        "%s-%02d-%02dT%02d:%02d:%02d+00:00" % (y, mo, d, h, mi, se),
        # overflow and junk
        "%s-01-01" % r.choice(["2147483648", "2147483647", "99999999999", "4294967296"]),
        "12345678901", "Jan %s" % ("9" * r.randint(8, 25)), "10:00 +%d:00" % r.randint(0, 10 ** 12),
        "not-a-date", "", " ", "tomorrow", "now", "1e5", "-2020-01-01",
    ]
    return r.choice(forms)


def digits(r, s):
    table = r.choice([FULLWIDTH, ARABIC, DEVANAGARI])
    return "".join(table.get(c, c) if r.random() < 0.8 else c for c in s)


def mutate(r, s):
    s = list(s)
    for _ in range(r.randint(1, 3)):
        k = r.random()
        pos = r.randint(0, len(s))
        if k < 0.4 and s:
            del s[min(pos, len(s) - 1)]
        elif k < 0.8:
            s.insert(pos, r.choice(ODD + list(" .,-/:T+")))
        else:
            s.insert(pos, r.choice(["of", "at", "on", "and", "st", "th", "h", "m", "s", "pm"]))
    return "".join(s)


def date(r):
    k = r.random()
    s = r.choice([iso, human, special])(r)
    if k < 0.1:
        s = digits(r, s)
    elif k < 0.22:
        s = mutate(r, s)
    elif k < 0.27:
        s = r.choice(["  ", " ", "\t", ""]) + s + r.choice(["  ", " ", "\n", ""])
    elif k < 0.32:
        s = s.upper() if r.random() < 0.5 else s.lower()
    return s


KEY_CHARS = "abcdeXYZ0129_-." * 3 + "~:%"
KEY_ODD = ["@", "+", "/", " ", "\u00e9", "\u0939", "\u093f", "\u24b6", "\u0301", "\u00aa", "\u0663", "\uff11", "\n", "#", "\u00b2", "K", "\u2167", "$"]


def part(r, odd=0.03):
    n = r.choice([1, 1, 2, 3, 5, 8])
    out = []
    for _ in range(n):
        out.append(r.choice(KEY_ODD) if r.random() < odd else r.choice(KEY_CHARS))
    return "".join(out) if r.random() > 0.01 else ""


def hexid(r):
    k = r.random()
    n = 24 if k < 0.7 else r.choice([1, 12, 23, 25])
    digits = "0123456789abcdef" if r.random() < 0.8 else "0123456789ABCDEFabcdefg"
    return "".join(r.choice(digits) for _ in range(n))


def key(r):
    k = r.random()
    odd = 0.0 if r.random() < 0.4 else 0.03
    if k < 0.3:
        # The deprecated slash form.
        return "/".join(part(r, odd) for _ in range(r.choice([3, 3, 3, 2, 4])))
    ns = r.choice(["course-v1"] * 6 + ["library-v1"] * 2 + ["ccx-v1"] * 2 + [
        "slashes", "lib", "Course-v1", "block-v1", "i4x"])
    segs = []
    n = r.choice([0, 1, 2, 2, 3, 3, 3, 3, 3, 4])
    segs += [part(r, odd) for _ in range(n)]
    for name in ["branch", "version", "ccx", "type", "block"]:
        if r.random() < (0.95 if name == "ccx" and ns == "ccx-v1" else 0.15):
            if name == "version":
                val = hexid(r)
            elif name == "ccx":
                val = r.choice([str(r.randint(0, 999)), "\u0663\u0664", "x1", ""])
            else:
                val = part(r, odd)
            pre = name if r.random() < 0.95 else r.choice([name.upper(), name.title(), name + "s"])
            segs.append("%s@%s" % (pre, val))
    if r.random() < 0.04:
        r.shuffle(segs)
    s = "%s:%s" % (ns, "+".join(segs))
    if r.random() < 0.05:
        s += r.choice(["+", "\n", " ", "/x"])
    if r.random() < 0.03:
        s = "-" + s
    return s

# Regenerates dateutil_cases.tsv with the real python-dateutil (2.9): input<TAB>result (ERROR = refused).
# The result is dateutil.parser.parse(input, default=2026-01-02) with the zone dropped, as edX reads it.
# Usage: python3 tests/data/gen_dateutil_cases.py > tests/data/dateutil_cases.tsv
import datetime, itertools, random, sys, warnings
from dateutil import parser
warnings.simplefilter("ignore")
default = datetime.datetime(2026, 1, 2)
cases = """2012-01-06
Jan 6 2012
06/01/2012
2012
10:30
not-a-date
2012-01-06Z
2012-13-01
99999-01-01
2012-01-06T00:00:00Z
2012-01-06T10:30:00-05:00
2020-01-01T12:00:00+0530
2020-01-01 12:00:00 UTC
2020-01-01 12:00 EST
2020-01-01 12:00 GMT+3
2012-01-06 10:30:15.123456
2012-01-06T10:30:15.5
20120106
20120106T103000
201201061030
2012/01/06
  2012-01-06  
2012-01-06 10
January 6, 2012
6 Jan 2012
Jan 6th, 2012 10pm
Friday, January 6, 2012 at 10:00 am
12 am Jan 6 2012
Jan-06-2012
06-Jan-2012
Jan 2012
June of 2012
06.01.2012
13/01/2012
10h30m
Friday
Monday
Feb 2012
2012-02-30
2012-01-06 25:00
2012-01-06 10:60
pm
13pm 2012-01-01
2012 2013
0000-01-01
Jan 6 2012 Z
tomorrow
120106
01/02/03
1/2/99
Jan 6 12
6/1
12/25
March 5, 2020
2020-03-05T10:00:00Z
2020-03-05 10:00:00.000000+00:00
2026-11-21 12:55:18.747123
Sat Jan 7 2012 10:00:00 UTC
2012-01-06T10:30:00.123456789
10:30:45 PM
2012.01.06
6.1.2012
Jan. 6, 2012
2012-W01
2012-01-06 1030
T10:30
2012-01-06T10
2012-1-6
2012-01-6 3pm
noon
1e5
2012-01-06 +05:00
2012-01-06 10:00 +05
2012-01-06 10:00 -0300 (BRST)
3rd of March 2012
March 3rd
Sept 9 2019
2012-06-31
31/12/2012
12/31/2012
2012-12-31 23:59:59
1999-12-31T23:59:59.999999
2012-01-06 10:30 am
2012-01-06 0:00
5 pm
5pm
2012 Jan 6
Jan 6, 2012, 10:00
Tue 2012-01-03
2012-01-06 z
2012-01-06 10:00 z
2012-01-06 10:00 utc
""".split("\n")
cases = [c for c in cases if c != ""]
def fmt(s):
    try:
        d = parser.parse(s, default=default)
        return d.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S.%f")
    except (ValueError, OverflowError) as e:
        return "ERROR"
for c in cases:
    print(c.replace("\t", " ") + "\t" + fmt(c))

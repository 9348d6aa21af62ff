"""Fixed data from spec baseplate.md: the §2.8 example file (plus the §6.2 extras) and the
vectors of §6.2, §6.3 and §6.4 that real baseplate 1.5.5 is documented to produce.

The suite checks the oracle against these before trusting it with random cases.
"""
import json
import os

T = 1_600_000_000  # the frozen clock of §6.3

# §2.8, verbatim, plus the extra experiments §6.2 names after it: the file the Rust test
# vectors (src/engine/baseplate/vectors.rs) and the command-line tests read too.
SPEC_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data",
                         "baseplate_spec.json")


def example_file():
    """The §2.8 file with the §6.2 extras, as a fresh dict (key order as in the spec)."""
    with open(SPEC_FILE) as f:
        return json.load(f)


# §6.2, first table: inputs {user_id: t2_i, logged_in: true}; "bucket→variant", "-" = None.
GRID_COLUMNS = ["r2_test", "r2_capped", "ff", "sv_none", "sv_zero", "mv", "fr", "rv"]
GRID = """
t2_0 395- 562b 910- 141- 729- 993- 551- 874-
t2_1 236- 696a 605- 867variant_2 445- 737- 48on 473-
t2_2 905- 568b 980- 304- 641- 318b 148on 393-
t2_3 954- 951- 824- 879variant_2 330- 192a 147on 76x
t2_4 547- 261a 319- 796- 680- 563c 492on 925x
t2_5 497- 757b 653- 769- 173- 802- 471on 114x
t2_6 380- 72a 930- 520- 46variant_1 34a 895- 498-
t2_7 421- 79b 527- 287- 318- 837- 243on 271-
t2_8 515- 247b 218active 294- 438- 179a 532- 192x
t2_9 625- 499b 361- 446- 555- 385b 397on 398-
"""


def grid():
    """[(key, user, bucket, variant or None, events)] from the §6.2 grid (ff never logs)."""
    out = []
    for line in GRID.strip().splitlines():
        user, *cells = line.split()
        for key, cell in zip(GRID_COLUMNS, cells):
            digits = len(cell) - len(cell.lstrip("0123456789"))
            bucket, rest = int(cell[:digits]), cell[digits:]
            variant = None if rest == "-" else rest
            events = 1 if variant is not None and key != "ff" else 0
            out.append((key, user, bucket, variant, events))
    return out


# §6.2, second table: (key, inputs, variant, events).
VECTORS = [
    ("r2_test", {"user_id": "t2_1", "logged_in": False}, None, 0),
    ("r2_test", {"logged_in": True}, None, 0),
    ("r2_capped", {"user_id": "t2_1", "logged_in": True, "url_features": ["x", "force_b"]}, "b", 1),
    ("r2_capped", {"user_id": "t2_1", "logged_in": True, "url_features": ["nope"]}, "a", 1),
    ("r2_capped", {"url_features": "FORCE_B"}, "b", 0),
    ("r2_capped", {"user_id": "t2_1", "User_Name": "gARY"}, "c", 1),
    ("r2_capped", {"user_id": 1, "logged_in": True}, "b", 1),
    ("r2_capped", {"user_id": "1", "logged_in": True}, "b", 1),
    ("sv_zero", {"user_id": ""}, None, 0),
    ("sv_zero", {"user_id": None}, None, 0),
    ("sv_zero", {"USER_ID": "t2_6"}, "variant_1", 0),
    ("sv_zero", {"user_id": "t2_6", "User_Id": "t2_1"}, None, 0),
    ("sv_zero", {"user_id": 123}, "variant_2", 1),
    ("sv_zero", {"user_id": True}, "variant_2", 1),
    ("sv_zero", {"user_id": 1.5}, None, 0),
    ("tgt", {"user_id": "t2_1", "logged_in": True, "country": "US", "build": 100}, "treat", 1),
    ("tgt", {"user_id": "t2_1", "logged_in": True, "country": "DE", "build": 100}, None, 0),
    ("tgt", {"user_id": "t2_1", "logged_in": True, "country": "US", "build": 99}, None, 0),
    ("tgt", {"user_id": "t2_1", "logged_in": False, "country": "US", "build": 100}, None, 0),
    ("tgt", {"user_id": "t2_1", "logged_in": 1, "country": "US", "build": 100.0}, "treat", 1),
    ("tgt", {"user_id": "t2_3", "logged_in": False}, "forced", 1),
    ("tgt", {"user_id": "t2_9", "is_employee": True}, "control", 1),
    ("tgt", {"user_id": "t2_2", "logged_in": True, "country": "US", "build": 150}, "treat", 1),
    ("tgt", {"user_id": "t2_5", "logged_in": True, "country": "US", "build": 150}, "treat", 1),
    ("disabled_sv_go", {"user_id": "t2_1"}, "gvar", 0),
    ("disabled_r2_go", {"user_id": "t2_1", "logged_in": True}, None, 0),
    ("expired_sv", {"user_id": "t2_1"}, None, 0),
    ("unknown_type", {"user_id": "t2_1"}, None, 0),
    ("bad_id", {"user_id": "t2_1"}, None, 0),
    ("missing", {"user_id": "t2_1"}, None, 0),
    ("content", {"content_id": "t3_1", "user_id": "t2_1"}, "on", 1),
    ("content", {"content_id": "t3_2"}, "on", 1),
    ("content", {"content_id": "t3_3"}, None, 0),
    ("content", {"content_id": "t3_abc"}, None, 0),
    ("content", {"user_id": "t2_1"}, None, 0),
]

# §6.4: variant counts over user_id t2_0 … t2_9999 with logged_in true ("None" = no variant).
DISTRIBUTIONS = {
    "r2_test": {"None": 7998, "control_1": 1005, "control_2": 997},
    "r2_capped": {"None": 3163, "a": 2949, "b": 3381, "c": 507},
    "ff": {"None": 6983, "active": 3017},
    "sv_none": {"None": 6999, "variant_1": 979, "variant_2": 2022},
    "sv_zero": {"None": 6996, "variant_1": 995, "variant_2": 2009},
    "mv": {"None": 4009, "a": 2037, "b": 1914, "c": 2040},
    "fr": {"None": 4964, "on": 5036},
    "rv": {"None": 3992, "x": 3490, "y": 2518},
}

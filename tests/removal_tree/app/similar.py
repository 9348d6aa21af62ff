# A similarly named toggle must not match here.
SETTINGS = {"foo.bar_baz": True, "x.foo.bar": False}

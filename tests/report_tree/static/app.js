// .. toggle_name: js.annotated
// .. toggle_implementation: WaffleFlag
// .. toggle_default: False
// .. toggle_description: Annotated in JavaScript.
// .. toggle_use_cases: open_edx
// .. toggle_creation_date: 2021-01-01
if (waffle.flag_is_active("js.annotated")) {}

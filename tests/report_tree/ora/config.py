class ConfigMixin:
    @cached_property
    def is_rubric_reuse_enabled(self):
        """
        Whether rubric reuse is enabled.
        """
        # .. toggle_name: FEATURES['ENABLE_ORA_RUBRIC_REUSE']
        # .. toggle_implementation: SettingToggle
        # .. toggle_default: False
        # .. toggle_description: Set to True to enable rubric reuse.
        # .. toggle_use_cases: open_edx
        # .. toggle_creation_date: 2021-05-18
        return self.is_feature_enabled('rubric_reuse')


def docstring_annotation():
    """
    .. toggle_name: ora.in_docstring
    .. toggle_implementation: WaffleSwitch
    .. toggle_default: False
    .. toggle_description: Annotated in a docstring.
    .. toggle_use_cases: opt_in
    .. toggle_creation_date: 2020-01-01
    """
    '''
    .. toggle_name: ora.single_quoted
    .. toggle_implementation: WaffleSwitch
    '''


# .. toggle_name: ora.bad_choice
# .. toggle_implementation: Waffle
# .. toggle_default: False
# .. toggle_use_cases: vip, vip

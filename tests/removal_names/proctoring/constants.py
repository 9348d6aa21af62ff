"""As edx-proctoring's constants: names kept in another module than the code that reads them."""
PING_FAILURE_PASSTHROUGH_TEMPLATE = 'edx_proctoring.{}_ping_failure_passthrough'
REDS_API_REDIRECT = 'edx_proctoring.reds_api_redirect'

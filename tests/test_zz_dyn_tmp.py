import pytest
from test_prism import *  # noqa

@pytest.mark.parametrize(("resource", "method"), CASES, ids=[f"{r}.{m}" for r, m in CASES])
def test_dynamic(prism, recorder, tmp_path, resource, method):
    kwargs = OPERATIONS[resource][method](tmp_path)
    kwargs["request_options"] = {"extra_headers": {"Prefer": "dynamic=true"}}
    for _ in range(5):
        result = call_sync(prism, recorder, lambda c: getattr(getattr(c, resource), method)(**kwargs), max_retries=0)
    recorder.assert_clean()

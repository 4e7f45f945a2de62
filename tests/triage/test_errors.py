from triage.errors import InvalidInput, ModelNotFound


def test_invalid_input_is_a_value_error():
    assert issubclass(InvalidInput, ValueError)


def test_model_not_found_is_not_a_value_error():
    assert not issubclass(ModelNotFound, ValueError)

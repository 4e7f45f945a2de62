from triage.model.preprocess import MAX_MODEL_CHARS, MAX_SENTENCES, analyse, sentences


def test_negated_words_are_marked():
    [item] = analyse(["my social worker doesn't ring me back"])
    assert "not_ring" in item.words.split()


def test_text_speak_becomes_lemmas():
    [item] = analyse(["my sw dont visit"])
    assert "social worker" in item.words and "not_visit" in item.words


def test_patterns_find_court_school_payment_and_dates():
    [item] = analyse(
        ["the judge said 2 years ago my allowance and the school were wrong since last March"],
        ["parent"],
    )
    patterns = item.patterns.split()
    for expected in (
        "PAT_court",
        "PAT_school",
        "PAT_payment",
        "PAT_ago_years",
        "PAT_last_month_name",
        "COMPLAINANT_parent",
        "RULE_court_proceedings",
    ):
        assert expected in patterns


def test_nhs_police_and_subject_access_patterns():
    [item] = analyse(["the police and the NHS lost my subject access request"])
    assert {"PAT_police", "PAT_health", "PAT_subject_access"} <= set(item.patterns.split())


def test_safeguarding_phrases_become_features():
    [item] = analyse(["he hits me"])
    assert "SG_physical_harm" in item.patterns.split()


def test_long_text_is_truncated_and_marked():
    [item] = analyse(["word " * (MAX_MODEL_CHARS // 2)])
    assert item.truncated_at == MAX_MODEL_CHARS


def test_sentences_split_on_full_stops_and_lines_and_skip_fragments():
    text = "My worker never rings back. Ok.\nThe plan was not followed! Nobody visited me."
    assert sentences(text) == [
        "My worker never rings back.",
        "The plan was not followed!",
        "Nobody visited me.",
    ]


def test_one_sentence_is_not_split():
    assert sentences("my social worker never rings me back") == []
    assert sentences("my social worker never rings me back. ok") == []


def test_sentences_are_capped():
    text = " ".join(f"Sentence number {i} here." for i in range(MAX_SENTENCES + 10))
    assert len(sentences(text)) == MAX_SENTENCES

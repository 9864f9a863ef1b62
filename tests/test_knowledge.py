"""Knowledge files (corpus/data/*.yaml) are validated, and every id and word in them is real."""

from __future__ import annotations

import copy
import re
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from corpus import knowledge as kb
from corpus.load import load_corpus


@pytest.mark.parametrize("name,loader,text,message", [
    ("actors.yaml", "actors", "actors:\n  X:\n    family: a\n    text: [x]\n    question: [x]\n    colour: red\n", "colour"),
    ("thesaurus.yaml", "thesaurus", "terms:\n  - words: [a, 3]\n    means: b\n", "字符串"),
    ("faq.yaml", "faq_topics", "topics:\n  x:\n    title: t\n    words: [w]\n    lead: l\n    provisions: [p]\n"
                               "    answer: typo\n", "answer"),
    ("faq.yaml", "faq_topics", "topic:\n  x: {}\n", "topics"),
    ("tokenizer.yaml", "tokenizer_words", "dictionary: [a]\nstop: [b]\nstopwords: [c]\n", "stopwords"),
    ("public_scope.yaml", "public_scope", "allow: [a]\ndeny: {x: [b]}\nhint: h\nhints: i\n", "hints"),
    ("public_scope.yaml", "public_scope", "allow: [a]\ndeny: {x: [1]}\nhint: h\n", "deny.x"),
    ("asks.yaml", "ask_words", "crime_ask: [坐牢]\ncrime_words: [判刑]\n", "crime_words"),
    ("scope.yaml", "scope", "off_topic: [a]\nfuture: [b]\ngeneral_rules: [c]\nrule_articles: {第一条: [d]}\n",
     "rule_articles"),
    ("scope.yaml", "scope", "off_topic: [a]\nfuture: [b]\ngeneral_rules: [c]\nrule_special: {行政处罚法/36: {special: x}}\n",
     "rule_special"),
])
def test_bad_knowledge_files_are_refused(refused_knowledge, name, loader, text, message):
    """An unknown key or a wrong type in a knowledge file is an error naming it, never a silent default."""
    refused_knowledge(name, loader, text, message)


def test_a_sectors_unit_must_be_an_actor(refused_knowledge, tmp_path):
    """sectors.yaml `unit` names the actor a generic unit is read as: one actors.yaml does not know is refused."""
    (tmp_path / "actors.yaml").write_text((Path(kb.__file__).parent / "data" / "actors.yaml").read_text("utf-8"), "utf-8")
    kb.actors.cache_clear()
    try:
        refused_knowledge("sectors.yaml", "sectors", "sectors:\n  X:\n    question: [x]\n    text: [x]\n    documents: [d]\n"
                          "    unit: 无此人\n", "unit")
    finally:
        kb.actors.cache_clear()


@pytest.mark.parametrize("name,loader,entry", [  # entry: the keys leading to one entry of the file (0: the first)
    ("actors.yaml", "actors", ("actors", 0)), ("sectors.yaml", "sectors", ("sectors", 0)),
    ("thesaurus.yaml", "thesaurus", ("terms", 0)), ("faq.yaml", "faq_topics", ("topics", 0)),
    ("knowledge.yaml", "knowledge", ("knowledge", 0)), ("quiz.yaml", "quiz_vocabulary", ("option_kinds", 0)),
    ("tokenizer.yaml", "tokenizer_words", ()), ("scope.yaml", "scope", ()), ("public_scope.yaml", "public_scope", ()),
    ("asks.yaml", "ask_words", ()), ("succession.yaml", "succession", ("article_maps", 0)),
    ("succession.yaml", "succession", ("repeals", 0)), ("succession.yaml", "succession", ("versions", 0, 0)),
    ("crimes.yaml", "crimes", ("crimes", 0)), ("source_fixes.yaml", "lost_headings", ("lost_headings", 0)),
])
def test_every_knowledge_file_refuses_an_unknown_key(refused_knowledge, name, loader, entry):
    """The real file with one key added, at the top and in an entry, is refused with that key named."""
    real = yaml.safe_load((Path(kb.__file__).parent / "data" / name).read_text("utf-8"))
    for depth in sorted({0, len(entry)}):
        data = copy.deepcopy(real)
        node = data
        for key in entry[:depth]:
            node = node[key] if isinstance(key, str) else (list(node.values()) if isinstance(node, dict) else node)[key]
        node["colour_of_the_day"] = "red"
        refused_knowledge(name, loader, yaml.safe_dump(data, allow_unicode=True), "colour_of_the_day")


@pytest.mark.parametrize("old,new,message", [
    ("crime_ask: [", "crime_ask: ['(', ", "crime_ask"),  # a word that does not compile
    ("crime_ask: [", "crime_ask: [3, ", "字符串"),  # a word that is not a string
    ("mitigation: [从轻, 减轻, 不予处罚, 免罚, 初次, 首违, 轻微]", "mitigation: []", "mitigation"),  # an empty list
    ("  cases: [", "  case: [", "intents"),  # an intent the engine does not know
    ("  个人: [", "  自然人: [", "targets"),  # a target the answers do not know
])
def test_bad_ask_words_are_refused(refused_knowledge, old, new, message):
    """asks.yaml is refused when a list is unknown, missing, empty or holds a word that is not a pattern."""
    text = (Path(kb.__file__).parent / "data" / "asks.yaml").read_text("utf-8")  # DATA is the temporary folder here
    assert old in text
    refused_knowledge("asks.yaml", "ask_words", text.replace(old, new, 1), message)


def test_every_ask_word_compiles_and_is_found_by_its_list():
    """Each word of asks.yaml is a pattern; a literal word is found by its own list's alternation, once."""
    words = kb.ask_words()
    lists = {**{f"intents.{k}": v for k, v in words.intents.items()},
             **{f"targets.{k}": v for k, v in words.targets.items()},
             **{f.name: getattr(words, f.name) for f in fields(kb.AskWords) if f.name not in ("intents", "targets")}}
    assert tuple(words.intents) == kb.INTENTS and tuple(words.targets) == kb.TARGETS
    for name, ws in lists.items():
        assert ws and len(ws) == len(set(ws)), name
        pattern = re.compile("|".join(ws))
        for w in ws:
            re.compile(w)
            if re.escape(w) == w:
                assert pattern.search(w), (name, w)


def test_every_knowledge_id_is_in_the_corpus():
    corpus = load_corpus()
    for k in kb.knowledge().entries:
        missing = [pid for pid in (*k.ids(), *re.findall(r"\{([^{}]+)\}", k.note)) if pid not in corpus.provisions]
        assert not missing, (k.key, missing)
        if k.predecessor:
            assert kb.knowledge().by_key(k.predecessor), k.key
    for doc, pid in kb.knowledge().personal_liability.items():
        assert doc in corpus.documents and pid in corpus.provisions, (doc, pid)


def test_every_sector_document_exists():
    corpus = load_corpus()
    for s in kb.sectors():
        assert all(d in corpus.documents for d in s.documents), s.name


def test_every_thesaurus_entry_compiles_and_means_real_words():
    corpus_text = "".join(p.text for p in load_corpus().provisions.values())
    for t in kb.thesaurus():
        for w in t.words:
            re.compile(w)
        assert t.means or t.conduct, t.words
        for word in t.means.split():
            assert word in corpus_text, (t.words, word)


def test_every_actor_statute_word_occurs_in_the_texts():
    corpus_text = "".join(p.text for p in load_corpus().provisions.values())
    for a in kb.actors():
        unused = [w for w in a.text if not re.search(w, corpus_text)]
        assert not unused, (a.name, unused)


def test_an_actors_own_and_taken_over_sectors_are_sectors():
    names = {s.name for s in kb.sectors()}
    for a in kb.actors():
        assert not a.sector or a.sector in names, a.name
        assert set(a.takes_over) <= names and a.sector not in a.takes_over, a.name
    assert any(a.takes_over for a in kb.actors())  # the food law over a shop's farm produce is data, not code


def test_every_faq_topic_is_grounded_in_the_corpus():
    corpus = load_corpus()
    topics = kb.faq_topics()
    assert len({t.key for t in topics}) == len(topics) >= 5
    for t in topics:
        assert t.words and t.lead and t.provisions, t.key
        assert [p for p in t.provisions if p not in corpus.provisions] == [], t.key


@pytest.mark.parametrize("text,message", [
    ("default_laws: [a]\naliases: {}\nindex_sectors: {}\nmission_documents: {}\nauthority_basis: {}\ncase_sectors: {}\nextra: 1\n",
     "extra"),
    ("default_laws: [a]\naliases: {x: [1]}\nindex_sectors: {}\nmission_documents: {}\nauthority_basis: {}\ncase_sectors: {}\n",
     "aliases.x"),
    ("default_laws: [a]\naliases: {}\nindex_sectors: {}\nmission_documents: {}\nauthority_basis: {x: [y]}\ncase_sectors: {}\n",
     "authority_basis.x"),
])
def test_bad_catalog_files_are_refused(tmp_path, monkeypatch, text, message):
    from corpus import catalog

    (tmp_path / "catalog.yaml").write_text(text, "utf-8")
    monkeypatch.setattr(kb, "DATA", tmp_path)
    with pytest.raises(kb.KnowledgeError, match=message):
        catalog.load_catalog()


def test_every_catalog_name_is_a_document_and_every_basis_a_provision():
    from corpus import catalog

    corpus = load_corpus()
    named = [*catalog.DEFAULT_LAWS, *catalog.ALIASES, *catalog.SECTORS, *catalog.AUTHORITY_BASIS]
    assert [k for k in named if k not in corpus.documents] == []
    assert [p for p in catalog.AUTHORITY_BASIS.values() if p not in corpus.provisions] == []
    for prefix in catalog.MISSION_DOCUMENTS.values():
        assert any(k == prefix or k.startswith(prefix) for k in corpus.documents), prefix


def test_general_rules_name_real_articles_and_their_words_compile():
    """scope.yaml: every article a general rule names (and a sector code's own rule for it) is in the corpus."""
    corpus = load_corpus()
    scope = kb.scope()
    assert scope.rule_articles and scope.rule_special
    for pid, words in scope.rule_articles:
        assert pid in corpus.provisions, pid
        assert all(re.compile(w) for w in words)
    for pid, special, when in scope.rule_special:
        assert pid in dict(scope.rule_articles), pid  # a special rule stands for a rule the questions can name
        assert special in corpus.provisions and (not when or re.compile(when)), special


def test_every_public_scope_pattern_compiles_and_the_categories_are_named():
    scope = kb.public_scope()
    for pattern in (*scope.allow, *(p for _, patterns in scope.deny for p in patterns)):
        re.compile(pattern)
    assert scope.allow and scope.hint and all(category and patterns for category, patterns in scope.deny)


def test_question_sectors_map_onto_the_index_sectors():
    from corpus import catalog

    index_names = {s for names in catalog.SECTORS.values() for s in names} | {"综合"}
    assert set(catalog.CASE_SECTORS) <= index_names
    assert kb.index_sector("食品") == "食品产品" and kb.index_sector("机动车排放") == "机动车"
    assert kb.index_sector("特种设备") == "特种设备" and kb.index_sector(None) is None
    assert all(s.index in index_names for s in kb.sectors() if s.index)


@pytest.mark.parametrize("body,message", [
    ("crimes:\n  刑法/1:\n    name: n\n    words: ['(']\n", "无法编译"),  # a word that does not compile
    ("crimes:\n  刑法/1:\n    name: n\n    words: [a]\n    actors: [路人甲]\n", "路人甲"),  # an actor nobody defined
    ("crimes:\n  刑法/1:\n    name: n\n    words: [a]\n    before: [刑法/2]\n", "刑法/2"),  # before a crime not listed
    ("crimes:\n  刑法/1:\n    name: n\n", "words"),  # a crime with no words
])
def test_bad_crime_tables_are_refused(refused_knowledge, tmp_path, body, message):
    real_actors = (Path(kb.__file__).parent / "data" / "actors.yaml").read_text("utf-8")
    (tmp_path / "actors.yaml").write_text(real_actors, "utf-8")  # the table's actors are checked against these
    kb.actors.cache_clear()
    try:
        refused_knowledge("crimes.yaml", "crimes", body, message)
    finally:
        kb.actors.cache_clear()


def test_every_crime_of_the_table_is_a_criminal_article_in_the_corpus():
    corpus = load_corpus()
    for crime in kb.crimes():
        art = corpus.provisions.get(crime.article)
        assert art is not None and art.doc_key == "刑法", crime.article


def test_every_sectors_overseer_is_an_article_of_one_of_its_documents():
    """sectors.yaml `overseer` answers '归哪个部门管': it must be in the corpus, in a document of that sector."""
    from corpus.load import load_corpus

    corpus = load_corpus()
    seen = [s for s in kb.sectors() if s.overseer]
    assert len(seen) >= 4
    for s in seen:
        assert s.overseer in corpus.provisions and s.overseer.split("/")[0] in s.documents, s.name


def test_the_superior_table_maps_a_regulations_items_onto_the_laws_catalogue_entries():
    """knowledge.yaml `superior`: both sides are entries of the generated catalogue, of two texts, the higher one
    ranking above the lower (a law over a regulation)."""
    from corpus.conduct import catalogue

    corpus = load_corpus()
    entries = {i: e for e in catalogue(corpus) for i in (e.id, e.penalty_id)}
    table = kb.knowledge().superior
    assert table
    for lower, higher in table.items():
        assert lower in entries and higher in entries, (lower, higher)
        assert entries[higher].rank < entries[lower].rank, (lower, higher)


def test_a_superior_entry_naming_its_own_text_is_refused(refused_knowledge):
    refused_knowledge("knowledge.yaml", "knowledge", "knowledge: []\nsuperior: {条例/1/1: 条例/2/1}\n", "superior")


def test_authority_duties_name_real_articles_and_their_words_compile():
    corpus = load_corpus()
    duties = kb.scope().authority_duties
    assert duties
    for pid, words in duties:
        assert pid in corpus.provisions, pid
        assert all(re.compile(w) for w in words)

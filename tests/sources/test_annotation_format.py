"""The msgspec structs decode annotation files; the JSON Schema, which words their refusals, says the same.

Their verdict on a document against the schema's (the schema is made from them: test_annotation_schema.py);
the bytes read by msgspec against ``json.loads`` and the loader, for documents written in many ways.
"""

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from builder.records import AnnotationSet, Entity, Evidence
from builder.sources.annotation_format import (ANNOTATION_LISTS, ID_LISTS, ITEM_ID, Refused, all_match,
                                               convert_annotation, decode_annotation, either, refused, whole)
from builder.sources.annotations import annotation_files, json_schema_validator, load_annotation_file
from builder.sources.listing import read_annotation
from factories import full_document as valid_document


def document_set(document, path=None):
    """The set of a parsed document that msgspec accepts (fails the test otherwise)."""
    found = convert_annotation(document, path)
    assert isinstance(found, AnnotationSet), found
    return found


MUTATIONS = [
    lambda d: d["entities"][0].update(start="10"), lambda d: d["entities"][0].update(start=-1),
    lambda d: d["entities"][0].update(start=True), lambda d: d["entities"][0].update(start=1.0),
    lambda d: d["entities"][0].update(end=0), lambda d: d["entities"][0].update(id="bad id"),
    lambda d: d["entities"][0].update(qid="X1"), lambda d: d["entities"][0].update(qid=None),
    lambda d: d["entities"][0].update(text=""), lambda d: d["entities"][0].pop("label"),
    lambda d: d["entities"][0].update(extra=1), lambda d: d.update(format="other"),
    lambda d: d.update(raw_sha256="abc"), lambda d: d.update(annotator="Team A"), lambda d: d.pop("stances"),
    lambda d: d["stances"][0].update(evidence=[]), lambda d: d["stances"][0].update(note=None),
    lambda d: d["stances"][0].update(note=3), lambda d: d["stances"][0]["evidence"][0].update(start=None),
    lambda d: d["cleaning"].append("x"), lambda d: d.update(decisions=[{"item": "x"}]),
    lambda d: d.update(adjudicated_from=[1]), lambda d: d.update(entities={}), lambda d: d.update(unknown=[]),
    lambda d: d["stances"][0].update(holder=""), lambda d: d.update(article_id="../x"),
    # a final new line, which Python's ``$`` would match before (the schema's patterns end in ``(?![\s\S])``)
    lambda d: d.update(article_id="a1\n"), lambda d: d.update(annotator="team-a\n"),
    lambda d: d.update(raw_sha256=d["raw_sha256"] + "\n"), lambda d: d.update(format="newsstance-annotation/1\n"),
    lambda d: d["entities"][0].update(id="e1\n"), lambda d: d["stances"][0].update(id="s1\n"),
    lambda d: d["stances"][0].update(id="s\n1"), lambda d: d["entities"][0].update(qid="Q1\n"),
]


SURROGATE = "\ud800"
MORE_MUTATIONS = [
    lambda d: d["entities"][0].update(start=2**63 - 1), lambda d: d["entities"][0].update(start=2**63),
    lambda d: d["entities"][0].update(end=2**64), lambda d: d["stances"][0]["evidence"][0].update(end=10**30),
    lambda d: d["entities"][0].update(start=float("nan")), lambda d: d["entities"][0].update(end=float("inf")),
    lambda d: d["entities"][0].update(start=1.5), lambda d: d["cleaning"][0].update(end=1e300),
    lambda d: d["entities"][0].update(start=False), lambda d: d["stances"][0]["evidence"][0].update(start=2.0),
    lambda d: d["entities"][0].update(qid="Q0"),
    lambda d: d["entities"][0].update(qid="Q١"), lambda d: d.update(article_id="a٣"),
    lambda d: d["entities"][1].update(id="x" * 32), lambda d: d["entities"][1].update(id="x" * 33),
    lambda d: d["entities"][1].update(id=""), lambda d: d["stances"][1].update(id="é"),
    lambda d: d["entities"][0].update(text=SURROGATE), lambda d: d["cleaning"][0].update(reason="\udc00x"),
    lambda d: d.update(article_id="a" + SURROGATE), lambda d: d["entities"][0].update(label="\x00"),
    lambda d: d["stances"][0].update(note=""), lambda d: d["stances"][0].update(target=""),
    lambda d: d.update(adjudicated_from=["x", None]),
    lambda d: d.update(decisions=[{"item": "x", "decision": "y", "reason": 1}]),
    lambda d: d["stances"][0]["evidence"][0].update(end=0), lambda d: d["stances"][1].update(evidence={}),
    lambda d: d.pop("decisions"), lambda d: d.pop("cleaning"),
]
ALL_MUTATIONS = MUTATIONS + MORE_MUTATIONS
SPACES = [" ", "\n", "\t", "\r\n  "]
OTHER_VALUES = [0, -1, "x", None, True, 1.5, [], {}]


def written_json(draw, value, rate: int, ensure_ascii: bool) -> str:
    """``value`` as JSON text, one value in about ``rate`` written in an unusual way (white space, a
    ``\\u`` escape, ``\\/``, an integer as 1.0, 1e0 or -0, a key given twice), none when ``rate`` is 0; NaN,
    Infinity and lone surrogates as ``json.dumps`` writes them."""
    if not rate or value is None or isinstance(value, (bool, float)):
        return json.dumps(value, ensure_ascii=ensure_ascii)
    pick = draw(st.integers(0, rate))  # below a handful: which unusual way
    if isinstance(value, int):
        forms = [f"{value}.0", f"{value}e0", f"{value}E+0", "-0" if value == 0 else str(value)]
        return forms[pick] if pick < len(forms) else str(value)
    if isinstance(value, str):
        if pick == 0 and value:  # one character as \u escapes (a surrogate pair beyond the BMP)
            i = draw(st.integers(0, len(value) - 1))
            escaped = "".join(f"\\u{unit:04x}" for unit in utf16(value[i]))
            before, after = (json.dumps(part, ensure_ascii=ensure_ascii) for part in (value[:i], value[i + 1:]))
            return before[:-1] + escaped + after[1:]
        return json.dumps(value, ensure_ascii=ensure_ascii).replace("/", "\\/" if pick == 1 else "/")
    space = SPACES[pick] if pick < len(SPACES) else ""
    if isinstance(value, list):
        return "[" + space + f",{space}".join(written_json(draw, v, rate, ensure_ascii) for v in value) + space + "]"
    pairs = [f"{written_json(draw, k, rate, ensure_ascii)}{space}:{space}"
             f"{written_json(draw, v, rate, ensure_ascii)}" for k, v in value.items()]
    if value and pick == len(SPACES):  # a key given twice: json.loads keeps the last value
        key = draw(st.sampled_from(sorted(value)))
        other = written_json(draw, draw(st.sampled_from([value[key], *OTHER_VALUES])), rate, ensure_ascii)
        pairs.insert(draw(st.integers(0, len(pairs))), f"{json.dumps(key)}:{other}")
    return "{" + space + f",{space}".join(pairs) + space + "}"


def utf16(character: str) -> list[int]:
    data = character.encode("utf-16-be", "surrogatepass")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


@st.composite
def annotation_bytes(draw) -> bytes:
    """The bytes of an annotation file: the valid document with up to two mutations, written in one of many
    ways, now and then with a byte changed, inserted or cut, a byte-order mark or trailing text."""
    document = valid_document()
    for i in draw(st.lists(st.sampled_from(range(len(ALL_MUTATIONS))), max_size=2)):
        try:
            ALL_MUTATIONS[i](document)
        except (KeyError, IndexError, TypeError, AttributeError):  # an earlier mutation removed what this one changes
            pass
    rate, ensure_ascii = draw(st.sampled_from([0, 0, 40, 200])), draw(st.booleans())
    data = written_json(draw, document, rate, ensure_ascii).encode("utf-8", "surrogatepass")
    damage = draw(st.sampled_from(["none"] * 12 + ["byte", "insert", "cut", "bom", "trailing", "not an object"]))
    position = draw(st.integers(0, len(data)))
    byte = bytes([draw(st.sampled_from([0x00, 0x0b, 0x22, 0x5c, 0x7f, 0x80, 0xc0, 0xed, 0xef, 0xff, 0x31, 0x20]))])
    return {"none": data, "byte": data[:position] + byte + data[position + 1:],
            "insert": data[:position] + byte + data[position:], "cut": data[:position],
            "bom": b"\xef\xbb\xbf" + data, "trailing": data + b" " + byte, "not an object": b"[" + data + b"]"}[damage]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(range(len(ALL_MUTATIONS))), max_size=3))
def test_msgspec_accepts_a_document_exactly_when_the_json_schema_does(chosen):
    document = valid_document()
    for i in chosen:
        try:
            ALL_MUTATIONS[i](document)
        except (KeyError, IndexError, TypeError, AttributeError):  # an earlier mutation removed what this one changes
            pass
    accepted = isinstance(convert_annotation(document, None), AnnotationSet)
    assert accepted == (not any(json_schema_validator().iter_errors(document)))
    if not chosen:
        assert accepted


def slow_document(data: bytes) -> object | None:
    """The document ``json.loads`` reads from the bytes if the JSON Schema accepts it, else None."""
    try:
        document = json.loads(data.decode("utf-8"))
    except ValueError:  # not UTF-8, not JSON, an integer of too many digits
        return None
    return None if any(json_schema_validator().iter_errors(document)) else document


def test_a_plainly_written_valid_document_takes_the_fast_path():
    """So that the property below is not empty: the generator's unmutated document, plainly written, decodes."""
    assert decode_annotation(json.dumps(valid_document()).encode("utf-8"), None) is not None


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotation_bytes())
def test_the_bytes_decode_only_to_what_json_loads_and_the_schema_accept_and_alike(data):
    path = Path("annotations/team-a/a1.json")
    fast = decode_annotation(data, path)
    slow = slow_document(data)
    event("from the bytes" if fast is not None else "left to the loader, which accepts" if slow is not None else "refused")
    if fast is not None:
        assert slow is not None
        assert fast == document_set(slow, path)


def outcome_of(function, *args):
    try:
        return function(*args)
    except Exception as exc:  # should the loader fail on some input, the bytes' reading must fail alike
        return type(exc), str(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotation_bytes())
def test_read_annotation_gives_what_the_loader_gives(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("annotations") / "team-a" / "a1.json"
    path.parent.mkdir()
    path.write_bytes(data)
    assert outcome_of(read_annotation, path, data) == outcome_of(load_annotation_file, path)


# --- edge cases -----------------------------------------------------------------------------------

@pytest.mark.parametrize("message, expected", [
    ("Expected `int`, got `str` - at `$.entities[0].start`",
     Refused("Expected `int`, got `str`", ("entities", 0, "start"))),
    ("Expected `int` >= 0 - at `$.stances[1].evidence[0].end`",
     Refused("Expected `int` >= 0", ("stances", 1, "evidence", 0, "end"))),
    ("Object contains unknown field `x`", Refused("Object contains unknown field `x`", ())),
])
def test_a_refusal_keeps_msgspecs_words_and_its_place(message, expected):
    assert refused(message) == expected


def test_the_lists_of_annotations_and_those_with_ids_come_from_the_file_struct():
    assert ANNOTATION_LISTS == ("cleaning", "entities", "stances")  # decisions record an adjudication
    assert ID_LISTS == {"entities": "entity", "stances": "stance"}


@pytest.mark.parametrize("names, worded", [(["entity"], "entity"), (["entity", "stance"], "entity or stance"),
                                           (["entity", "stance", "relation"], "entity, stance or relation")])
def test_either_names_the_kinds_of_items(names, worded):
    assert either(names) == worded


def test_a_stance_id_is_matched_too():
    document = valid_document()
    document["stances"][0]["id"] = "s\n1"
    assert convert_annotation(document, None) == Refused(f"an entity or stance id does not match {whole(ITEM_ID)!r}", ())


def test_ids_are_matched_after_decoding():
    document = valid_document()
    document["entities"][0]["id"] = "e 1"
    assert convert_annotation(document, None) == Refused(f"an entity or stance id does not match {whole(ITEM_ID)!r}", ())


@pytest.mark.parametrize("change", [
    lambda d: None,
    lambda d: [e.pop("qid", None) for e in d["entities"]],
    lambda d: d["stances"][0].update(note="said twice"),
    lambda d: d["stances"][0].update(note=None),
    lambda d: d["entities"][0].update(qid=None),
    lambda d: d.update(entities=[], stances=[], cleaning=[]),
    lambda d: [d.pop(k) for k in ("adjudicated_from", "decisions")],
])
def test_the_bytes_and_the_parsed_document_decode_alike(change):
    document = valid_document()
    change(document)
    decoded = decode_annotation(json.dumps(document).encode("utf-8"), None)
    assert decoded == document_set(document)
    assert [type(e) for e in decoded.entities] == [Entity] * len(document["entities"])
    assert all(type(v) is Evidence for s in decoded.stances for v in s.evidence)


def written(document: dict, replace: tuple[str, str] = ("", "")) -> bytes:
    return json.dumps(document).replace(*replace).encode("utf-8")


# Documents the fast path leaves to the loader: those the schema refuses, and those it accepts but
# msgspec reads otherwise than json.loads, or could.
@pytest.mark.parametrize("data", [
    pytest.param(written(valid_document(), ('"start": 0', '"start": 0.0')), id="1.0 for 1"),
    pytest.param(written(valid_document(), ('"start": 0', '"start": 0e0')), id="exponent"),
    pytest.param(written(valid_document(), ('"start": 0', '"start": NaN')), id="NaN"),
    pytest.param(written(valid_document(), ('"start": 0', '"start": -Infinity')), id="-Infinity"),
    pytest.param(written(valid_document(), ('"start": 0', '"start": true')), id="true for an offset"),
    pytest.param(written(valid_document(), ('"start": 0', f'"start": {2**63}')), id="integer over 2**63 - 1"),
    pytest.param(written(valid_document(), ('"start": 0', '"start": -1, "start": 0')), id="a key twice, the first refused"),
    pytest.param(b"\xef\xbb\xbf" + written(valid_document()), id="byte-order mark"),
    pytest.param(written(valid_document(), ('"Continues', '"\\ud800Continues')), id="lone surrogate"),
    pytest.param(written(valid_document()).replace(b'"Continues', b'"\xed\xa0\x80Continues'), id="encoded surrogate"),
    pytest.param(written(valid_document()).replace(b'"Continues', b'"\xffContinues'), id="not UTF-8"),
    pytest.param(written(valid_document(), ('"team-a"', '"team-a\\n"')), id="annotator with a final new line"),
    pytest.param(written(valid_document(), ('"a1"', '"a1\\n"')), id="article id with a final new line"),
    pytest.param(written(valid_document(), ('"e1"', '"e1\\n"')), id="entity id with a final new line"),
    pytest.param(written(valid_document(), ('"s1"', '"s\\n1"')), id="stance id with a new line"),
    pytest.param(written(valid_document(), ('"e1"', '"' + "e" * 33 + '"')), id="entity id of 33 characters"),
    pytest.param(written(valid_document(), ('"Q6279"', '"Q6279\\n"')), id="qid with a final new line"),
    pytest.param(written(valid_document(), ('"stances"', '"surprise": 1, "stances"')), id="unknown field"),
    pytest.param(written(valid_document()) + b" x", id="trailing text"),
])
def test_decode_annotation_leaves_doubtful_documents_to_the_loader(data, tmp_path):
    assert decode_annotation(data, None) is None
    path = tmp_path / "team-a" / "a1.json"
    path.parent.mkdir()
    path.write_bytes(data)
    assert read_annotation(path, data) == load_annotation_file(path)


def test_decode_annotation_reads_a_key_given_twice_as_json_loads_does():
    data = written(valid_document(), ('"start": 0', '"start": 3, "start": 0'))
    assert b'"start": 3, "start": 0' in data
    assert decode_annotation(data, None) == document_set(json.loads(data))


@pytest.mark.parametrize("values, expected", [
    ([], True), (["e1"], True), (["e1", "s_2", "A-" + "x" * 30], True), (["e1", ""], False), (["x" * 33], False),
    (["e1\n"], False), (["e1", "e\n2"], False), (["e 1"], False), (["é"], False), (["e1\ne2"], False),
])
def test_all_match_means_every_value_matches_on_its_own(values, expected):
    assert all_match("[A-Za-z0-9_-]{1,32}", values) is expected
    assert expected == all(re.fullmatch("[A-Za-z0-9_-]{1,32}", v) for v in values)


def test_the_repository_files_take_the_fast_path_and_read_as_the_loader_reads_them(repo):
    paths = annotation_files(repo / "annotations")
    assert paths
    for path in paths:
        data = path.read_bytes()
        assert decode_annotation(data, path) is not None
        assert read_annotation(path, data) == load_annotation_file(path)

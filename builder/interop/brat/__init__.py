"""brat standoff (``<doc>.txt`` + ``<doc>.ann``) <-> annotation sets.

Modules: ``standoff.py`` parses .ann lines, ``reading.py`` turns them into an ``ImportedSet``,
``writing.py`` writes a set as .ann text, ``collection.py`` reads and writes folders of documents.

The lines newsstance reads and writes (annotations/brat/README.md has the full description)::

    T1<TAB>PERSON 10 27<TAB>Volodymyr Zelensky      an entity: the type is a schema label (or mapped)
    T2<TAB>Debris 560 569;570 582<TAB>FREE TOOL XP simulator   page debris; fragments between line breaks
    A1<TAB>Reason T2 promotion                       the debris reason
    T3<TAB>Evidence 700 790<TAB>...                  stance evidence
    A2<TAB>Stance T3 neutral                         its stance label
    A3<TAB>Target T3 us-peace-plan-2025              its target
    A4<TAB>Author T3                                 the holder is the author (instead of a Holder relation)
    R1<TAB>Holder Arg1:T1 Arg2:T3                    the holder entity of the evidence
    N1<TAB>Reference T1 Wikidata:Q3874799<TAB>Volodymyr Zelensky   the entity's QID
    #1<TAB>AnnotatorNotes T1<TAB>{"id": "e1"}        the newsstance id (and stance note), kept by the exporter

Offsets are code points, end exclusive. brat's format is line-oriented, so a span that crosses line
breaks is stored as fragments separated only by line breaks; the importer reads such a span back as
one span. Any other discontinuous span, and everything newsstance has no place for (events,
equivalences, other relation, attribute and normalization types, notes on entities), is reported.
Entity ids are the ``T`` ids unless a note carries one; a stance takes its first evidence's id.
"""

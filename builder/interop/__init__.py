"""Interop: one module per outside format. Nothing here is needed by the build itself.

Annotation tools (read and written from corpus/ + annotations/; a round trip gives identical sets):
    labelstudio.py         Label Studio JSON / JSON-MIN exports -> ImportedSet records (parse_labelstudio)
    labelstudio_export.py  annotation sets -> Label Studio tasks with the sets as predictions
    labelstudio_config.py  the labeling configuration (annotations/labelstudio/config.xml)
    brat.py                brat standoff .txt + .ann <-> annotation sets, and annotation.conf
    common.py              what the importers share: label/annotator policies, matching to the corpus,
                           new articles, writing without overwriting, the report
    offsets.py             code point <-> UTF-16 offsets

Training formats (read from a built dataset folder):
    built.py               the Parquet files of a build, with their declared Features
    docbin.py              documents config -> spaCy DocBin per split
    conll.py               ner config -> CoNLL-2003-style files per split
"""

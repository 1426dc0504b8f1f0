"""Label Studio: JSON exports -> ``ImportedSet`` records (``tasks.py``), annotation sets -> tasks (``export.py``).

Two export formats are read (Label Studio: Export > "JSON" or "JSON-MIN"):

full JSON  a list of tasks (one task object alone is accepted too)::

    {"id": 17423, "data": {"text": "...", "article_id": "..."},
     "annotations": [{"id": 1700, "completed_by": 2, "was_cancelled": false, "result": [
         {"id": "vE2xeKCmbL", "from_name": "entity", "to_name": "text", "type": "labels",
          "value": {"start": 20, "end": 30, "text": "Bourgondie", "labels": ["GPE"]}},
         {"from_id": "ZbDDW1BkiB", "to_id": "vE2xeKCmbL", "type": "relation", "direction": "right"}]}],
     "predictions": [{"model_version": "team-a", "result": [...]}]}

JSON-MIN   one flat record per annotation: the task's data fields, ``id`` (the task), ``annotator``,
    ``annotation_id``, and per control name its values: regions with offsets (``{"start", "end", "text",
    "labels"}``) for ``<Labels>``, bare values without their region for per-region choices and text
    areas (``"qid": ["Q30", "Q212"]``). JSON-MIN has no region ids and no relations: ``jsonmin.py`` gives
    a bare value back to its region only when that is unambiguous, and stance holders need the full export.

How results become annotations (control names: ``config.py``): a ``labels`` region of
``debris`` is a debris span, of ``stance`` a piece of stance evidence, of any other control an entity.
Per-region ``target``/``author``/``note`` results complete a stance region, ``qid`` an entity region; a
relation between an entity region and a stance region names the holder. Stance regions with the same
(holder, target) form one stance, whose id is its first region's id. Entity ids are the region ids.

Offsets are converted to code points and checked against the quoted text: ``auto`` accepts whichever
of code points (current Label Studio) or UTF-16 units (older versions, counted in the browser) gives
the quoted text. Everything not taken is a ``Problem`` naming the task, annotation and result.
"""

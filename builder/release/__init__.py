"""Releases that respect the publishers' rights: withholding texts, hydrating them back, Croissant metadata.

``licences`` says which article texts may be redistributed; ``fields`` which values of each config carry
an article's text and how each is made again from the raw text and the offsets a release keeps;
``withhold`` is the build's step that nulls them in a public release; ``record`` what the manifest, the
card and ``hydration.json`` say about it; ``texts`` finds and verifies a user's own copies of the texts;
``hydrate`` turns a public release back into the full one; ``croissant`` (with ``rai``) writes
``croissant.json``.
"""

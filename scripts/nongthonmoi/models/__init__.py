"""Typed models, one per kind of YAML file in ``materials/``.

Field names in YAML are Vietnamese without diacritics (what Board editors
read and type); Python attributes are English. Descriptions are Vietnamese
because they end up in the JSON Schema that editors' autocompletion shows.
"""

"""Coded event data (ICEWS, GDELT): codebooks, actor resolution, and the importers.

- :mod:`~diplograph.coded.codebook`: the CAMEO codebook and the CAMEO-to-PLOVER crosswalk
  (vendored in ``vendor/reference``), and the reference graph ``event-codes`` built from them.
- :mod:`~diplograph.coded.countries`: country names and codes to states, through
  country_converter and the reference states.
- :mod:`~diplograph.coded.icews`, :mod:`~diplograph.coded.gdelt`: one record of each layout to
  a :class:`~diplograph.coded.records.Event`, or the reason it cannot be imported (a :class:`~diplograph.coded.records.Skip`).
- :mod:`~diplograph.coded.importer`: reading a file row by row and writing its graph.
"""

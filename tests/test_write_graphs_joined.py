"""Dumping a dataset's graphs in two goes (diplograph.store.write_graphs_before): what build does
with out/dataset.*, whose asserted graphs are written while the engines work.

Only Oxigraph datasets are dumped so (build writes an rdflib store's dump in one go).
"""

from __future__ import annotations

import pytest

from diplograph.store import graph_names, write_graphs, write_graphs_before


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_graphs_written_before_an_earlier_dump_give_the_bytes_of_one_dump(store, fmt, project_datasets, tmp_path):
    """build dumps the asserted graphs while the engines work and puts graph/inferred before them at
    the end (write_graphs_before): the file must be the one a single dump writes, byte for byte."""
    assembled = project_datasets.get(store)
    names = graph_names(assembled.dataset)
    for split in (1, len(names) // 2, len(names) - 1):
        first, rest = names[:split], names[split:]
        with open(tmp_path / "rest", "wb") as output:
            write_graphs(assembled.dataset, rest, output, fmt)
        with open(tmp_path / "rest", "rb") as earlier, open(tmp_path / "joined", "wb") as output:
            write_graphs_before(assembled.dataset, first, earlier, output, fmt)
        with open(tmp_path / "whole", "wb") as output:
            write_graphs(assembled.dataset, names, output, fmt)
        assert (tmp_path / "joined").read_bytes() == (tmp_path / "whole").read_bytes(), (fmt, split)
    with open(tmp_path / "rest", "rb") as earlier, open(tmp_path / "joined", "wb") as output:
        write_graphs_before(assembled.dataset, [], earlier, output, fmt)  # nothing before: the earlier dump
    assert (tmp_path / "joined").read_bytes() == (tmp_path / "rest").read_bytes()

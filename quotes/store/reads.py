"""The Store's read path: stored quotes, speakers, outlets and documents, streamed."""
from __future__ import annotations

import itertools
from typing import Any, Iterable, Iterator

from sqlalchemy import select, text

from ..types import from_storable, label
from . import queries
from .schema import documents, quotes


class Reads:
    """The read methods of :class:`~quotes.store.Store`."""

    def quotes(
        self,
        speaker: str | None = None,
        outlet: str | None = None,
        document: str | int | None = None,
        kind: str | None = None,
        ids: Iterable[int] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Stored quotes (extract JSON objects), in id order, streamed."""
        if speaker is not None:
            speaker_ids = self.speaker_ids(speaker)
            if not speaker_ids:
                return
            if outlet is None and document is None and kind is None and ids is None \
                    and self.url.get_backend_name() == "sqlite":  # `list --speaker`: the driver's rows
                yield from map(queries.quote_dict, self._raw_rows(*queries.speaker_quotes_sql(speaker_ids)))
                return
            stmt = queries.filter_quotes(queries.speaker_quotes(speaker_ids), None, outlet, document, kind, ids)
        else:
            stmt = queries.filter_quotes(queries.quote_select(), None, outlet, document, kind, ids)
        for row in self._rows(stmt):
            yield queries.quote_dict(row)

    def speaker_ids(self, query: str) -> list[int]:
        """The speakers a ``--speaker`` query names: what the indexes find (exact key or alias,
        every word in one of a speaker's keys), else what a scan of names and aliases finds."""
        self._ensure()
        if self._evidence is None:
            with self._errors(), self.engine.connect() as conn:
                self._has_evidence(conn)
        found: set[int] = set()
        indexed = queries.speaker_ids_indexed_text(query)
        if indexed is None:
            return []
        if self._evidence:  # revision 0005's word index (a store kept at an older one: scan)
            with self._errors(), self.engine.connect() as conn:
                found = {int(r[0]) for r in conn.execute(*indexed)}
        if not found:
            found = {int(r[0]) for r in self._rows(queries.speaker_ids_scanned(query))}
        return sorted(found)

    def quote_ids(self, document_id: int) -> list[int]:
        """Ids of a document's quotes in the order they were stored."""
        if self._last_ids is not None and self._last_ids[0] == document_id:
            return list(self._last_ids[1])  # just written by add(): no query
        stmt = select(quotes.c.id).where(quotes.c.document_id == document_id).order_by(quotes.c.id)
        return [row.id for row in self._rows(stmt)]

    def get(self, quote_id: int) -> dict[str, Any] | None:
        """One quote with its document's provenance and surrounding paragraph."""
        stmt = queries.filter_quotes(queries.quote_select(), ids=[quote_id])
        row = self._first(stmt)
        if row is None:
            return None
        found = queries.quote_dict(row)
        doc = self._first(select(documents).where(documents.c.id == row.document_id))
        para = queries.paragraph_around(doc.text, row.start, row.end)
        found["document"] = {
            "id": doc.id, "path": doc.path, "url": doc.url, "title": doc.title,
            "publisher": doc.publisher, "author": doc.author, "date": doc.date, "sha256": doc.sha256,
            "external_id": doc.external_id, "engine": doc.engine,
            "extracted_at": doc.extracted_at,
        }
        found["paragraph"] = para.to_dict()
        return found

    def speakers(self) -> Iterator[dict[str, Any]]:
        """Canonical speakers, most quoted first, with the document a speaker is the own speaker
        of (None: shared by every document that gives its key), the evidence that decided which
        (None: stored before revision 0007) and their alias keys."""
        rows = self._rows(queries.speakers_select())
        for _, group in itertools.groupby(rows, key=lambda r: r.id):
            group = list(group)
            first = group[0]
            yield {
                "id": first.id, "name": first.name, "type": first.type, "quotes": first.quotes,
                "document": first.document_id, "evidence": first.evidence,
                "aliases": [r.alias_key for r in group if r.alias_key is not None],
            }

    def outlets(self) -> Iterator[dict[str, Any]]:
        for row in self._rows(queries.outlets_select()):
            yield dict(row._mapping)

    def documents(self) -> Iterator[dict[str, Any]]:
        """Stored documents with their quote counts and ``source``: where each was read
        (``file.txt``, ``corpus.jsonl:12``, ``<stdin>``; None for text handed to the library
        and for documents stored before revision 0009 recorded it)."""
        for row in self._rows(queries.documents_select()):
            out = dict(row._mapping)
            origin, file, line = out.pop("origin"), out.pop("source_file"), out.pop("source_line")
            out["origin"] = origin
            out["source"] = (f"{label(from_storable(file))}:{line}" if file is not None and line is not None
                             else label(from_storable(file)) if file is not None
                             else "<stdin>" if origin == "stdin" else None)
            yield out

    def execute(self, sql: str, **params: Any) -> list[Any]:
        """Raw read-only SQL with bound parameters (used by tests and debugging)."""
        self._ensure()
        with self._errors(), self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))

"""A LangChain retriever over the Yiju index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

if TYPE_CHECKING:
    from index.search import Hit


class YijuRetriever(BaseRetriever):
    """Returns verbatim provisions as Documents; the metadata carries provision id, citation, document,
    version and status, so an answer can cite exactly what was retrieved.

    >>> YijuRetriever(k=3).invoke("电梯检测单位出了假报告如何处罚")[0].metadata["provision_id"]
    '特种设备安全法/93'
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: object | None = Field(default=None, description="an index.search.Searcher; loaded on first use")
    k: int = 5
    mode: str = "hybrid"
    doc_keys: list[str] | None = None
    doc_types: list[str] | None = None
    sectors: list[str] | None = None
    include_repealed: bool = False
    penalty: bool | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        if self.searcher is None:
            from index.search import Searcher

            self.searcher = Searcher()
        hits = self.searcher.search(query, k=self.k, mode=self.mode, doc_keys=self.doc_keys, doc_types=self.doc_types,
                                    sectors=self.sectors, include_repealed=self.include_repealed, penalty=self.penalty)
        return [Document(page_content=h.provision.text, metadata=to_metadata(h)) for h in hits]


def to_metadata(hit: Hit) -> dict:
    """Flat metadata of a hit (str/float/int values only, as vector stores and tracers expect)."""
    return {"provision_id": hit.provision.id, "matched_id": hit.matched_id or hit.provision.id,
            "citation": hit.provision.citation, "doc_key": hit.document.key, "doc_title": hit.document.title,
            "doc_type": hit.document.doc_type, "version_date": hit.document.version_date, "status": hit.document.status,
            "chapter": hit.provision.chapter, "score": hit.score,
            "retrieved_by": ",".join(sorted(hit.ranks))}

"""A LangChain retriever over the Yiju index."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class YijuRetriever(BaseRetriever):
    """Returns verbatim provisions as Documents with citation, version and status in the metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: object | None = None
    k: int = 5
    mode: str = "hybrid"
    doc_keys: list[str] | None = None
    include_repealed: bool = False

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        if self.searcher is None:
            from index.search import Searcher

            self.searcher = Searcher()
        hits = self.searcher.search(query, k=self.k, mode=self.mode, doc_keys=self.doc_keys,
                                    include_repealed=self.include_repealed)
        return [Document(page_content=h.provision.text, metadata={
            "provision_id": h.provision.id, "citation": h.provision.citation, "doc_key": h.document.key,
            "doc_title": h.document.title, "doc_type": h.document.doc_type, "version_date": h.document.version_date,
            "status": h.document.status, "chapter": h.provision.chapter, "score": h.score}) for h in hits]

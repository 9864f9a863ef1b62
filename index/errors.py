"""Typed index errors; each message tells the user what to do."""

from __future__ import annotations

REBUILD = "yiju index build"


class SearchIndexError(RuntimeError):
    """Base class of index problems."""


class IndexMissing(SearchIndexError):
    def __init__(self, where: str) -> None:
        super().__init__(f"尚未构建检索索引（{where}）。请运行 `{REBUILD}`。")


class IndexCorrupted(SearchIndexError):
    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__(f"检索索引已损坏（{where}：{reason}）。请运行 `{REBUILD}` 重建（损坏的索引不会被复用）。")


class IndexBusy(SearchIndexError):
    def __init__(self, pid: int) -> None:
        super().__init__(f"另一个索引构建正在进行（进程 {pid}）。请等它结束后再试。")


class IndexUnavailable(SearchIndexError):
    """The Chroma server cannot be reached."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        super().__init__(f"无法连接 Chroma 服务器 {url}（{reason}）。请检查服务是否运行（YIJU_CHROMA_URL），稍后重试。")


class SearchFailed(SearchIndexError):
    """The assistant could not search (no usable index, or the store failed mid-query); the message says what
    to do."""




class IndexModelMismatch(SearchIndexError):
    """The serving index's vectors were made by another embedding model or runtime than the configured one."""

    def __init__(self, built: str, configured: str) -> None:
        self.built, self.configured = built, configured
        super().__init__(f"索引的向量由 {built} 生成，当前配置为 {configured}，两者不能混用。请运行 `{REBUILD}` 用当前配置"
                         "重新向量化，或把 YIJU_EMBED_RUNTIME / YIJU_EMBED_MODEL 改回建索引时的设置。")

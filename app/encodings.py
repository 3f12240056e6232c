"""Bodies compressed once and kept: hashed static files, and pages kept for anonymous readers.

Flask-Compress compresses every other response as it leaves; it leaves alone one that already
says its Content-Encoding. A kept copy is named by the ETag of the body it encodes and its
encoding (`<etag>:br`, as Flask-Compress names the ETags it changes), so every representation
has its own strong validator (RFC 9110, 8.8.3).
"""

import gzip

import brotli
from flask import request

# When a client accepts both equally, Brotli: the smaller.
ENCODINGS = ("br", "gzip")


def accepted(offered=ENCODINGS) -> str | None:
    """The encoding of `offered` this request's client accepts best; None: the body as it is."""
    return request.accept_encodings.best_match(offered)


def compress(content: bytes, encoding: str, level: int) -> bytes:
    """`content` in `encoding` at `level` (Brotli quality 0-11, gzip 1-9), the same each time."""
    if encoding == "br":
        return brotli.compress(content, quality=level)
    if encoding == "gzip":
        return gzip.compress(content, compresslevel=level, mtime=0)
    raise ValueError(f"no encoder for {encoding!r}")


def representation_tag(etag: str, encoding: str | None) -> str:
    """The ETag of the body whose ETag is `etag`, sent in `encoding`."""
    return f"{etag}:{encoding}" if encoding else etag

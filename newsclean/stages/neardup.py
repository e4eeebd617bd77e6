"""Across documents: article versions and near-duplicates across sources. Pure: values
in, values out (the reduce step's I/O is newsclean/crossdoc.py).

Versions: an article's `doc_key` is its canonical URL when known, else its source path;
each distinct clean body seen for a doc_key is a version, numbered 1, 2, ... in the order
runs first saw it.

Near-duplicates: a MinHash signature (datasketch, scheme pinned so stored signatures stay
comparable across releases) over word shingles of the clean body; LSH band keys (b bands
of r rows, as datasketch's MinHashLSH picks them for the threshold) find candidates; an
article joins the cluster whose first member (its `dup_cluster`, an article_id) is the most
similar at or over the threshold, else it starts its own. Comparing to the cluster's first
member, not to any member, keeps chains of small edits from drifting into one cluster.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsclean.settings import NeardupSettings

WORD = re.compile(r"\w+", re.UNICODE)
# datasketch 2.0's default; named so a later default cannot change stored signatures.
SCHEME = "affine32"


@dataclass(frozen=True)
class Member:
    """An article already placed in a cluster: its id and its cluster's first member."""

    article_id: str
    cluster: str


# ------------------------------------------------------------------ versions


def doc_key_for(url: str | None, source_path: str) -> str:
    """The stable key of a document: its canonical URL when known, else its source path.

    >>> doc_key_for("https://example.com/a", "a.html"), doc_key_for(None, "site/a.html")
    ('https://example.com/a', 'site/a.html')
    """
    return url.strip() if url and url.strip() else source_path


def content_hash(text: str | None) -> str:
    """A 16-hex-digit hash of a clean body, whitespace-normalised: what tells versions apart.

    >>> content_hash("a  b\\n\\nc") == content_hash("a b c")
    True
    """
    return hashlib.sha256(" ".join((text or "").split()).encode()).hexdigest()[:16]


def assign_versions(new: Sequence[tuple[str, str]], known: Mapping[str, Mapping[str, int]]) -> list[int]:
    """Version numbers for new (doc_key, content_hash) pairs, in the order given, after the
    `known` versions (doc_key -> content_hash -> version) of earlier runs: a body seen
    before keeps its number, a new one gets the next.

    >>> assign_versions([("a", "x"), ("a", "y"), ("b", "z"), ("a", "x")], {"a": {"x": 1}})
    [1, 2, 1, 1]
    """
    seen = {key: dict(bodies) for key, bodies in known.items()}
    versions = []
    for key, body in new:
        bodies = seen.setdefault(key, {})
        if body not in bodies:
            bodies[body] = max(bodies.values(), default=0) + 1
        versions.append(bodies[body])
    return versions


# ------------------------------------------------------------------ signatures


def shingles(text: str, size: int) -> set[bytes]:
    """The set of `size`-word shingles of a text, lower-cased words only.

    >>> sorted(shingles("The cat sat. The cat!", 2))
    [b'cat sat', b'sat the', b'the cat']
    """
    words = WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


def has_enough_words(text: str | None, params: NeardupSettings) -> bool:
    """Whether a body is long enough to compare (shorter ones are their own cluster)."""
    return len(WORD.findall(text or "")) >= params.min_words


@lru_cache(maxsize=8)
def _template(num_perm: int, seed: int):  # noqa: ANN202  (a datasketch MinHash)
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME)


def signature(text: str, params: NeardupSettings) -> np.ndarray:
    """The MinHash signature (num_perm uint32 values) of a body's word shingles: what
    datasketch's MinHash (scheme affine32, its default SHA-1 hash) gives after
    `update_batch` of the shingles, bit for bit, with the hashing done in one pass
    (each shingle's SHA-1, its first four bytes little-endian, as `sha1_hash32`) and
    the permutations in numpy (tests/stages/test_neardup.py compares the two)."""
    a, b = _permutations(params.num_perm, params.seed)
    found = shingles(text, params.shingle_words)
    if not found:
        return np.full(params.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
    sha1 = hashlib.sha1
    hashed = np.frombuffer(b"".join([sha1(s).digest()[:4] for s in found]), dtype="<u4").astype(np.uint32)
    hashed = _fmix32(hashed).reshape(-1, 1)
    return (hashed * a + b).min(axis=0)


def datasketch_signature(text: str, params: NeardupSettings) -> np.ndarray:
    """The same signature from datasketch's MinHash itself (the reference `signature` matches)."""
    from datasketch import MinHash

    template = _template(params.num_perm, params.seed)
    sketch = MinHash(num_perm=params.num_perm, seed=params.seed, scheme=SCHEME, permutations=template.permutations)
    sketch.update_batch(list(shingles(text, params.shingle_words)))
    return sketch.hashvalues.astype(np.uint32)


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters (a, b) for the scheme, as uint32 arrays."""
    a, b = _template(num_perm, seed).permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix of affine32), wrapping."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal values.

    >>> similarity(np.array([1, 2, 3, 4], np.uint32), np.array([1, 2, 0, 0], np.uint32))
    0.5
    """
    return float(np.mean(a == b))


@lru_cache(maxsize=32)
def band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) datasketch's MinHashLSH picks for the threshold (equal weights
    of false positives and negatives)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


@lru_cache(maxsize=8)
def _band_mix(num_perm: int) -> np.ndarray:
    """Fixed odd 64-bit multipliers, one per signature value (seeded: stored keys stay valid)."""
    return np.random.default_rng(20261202).integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)


def band_keys(sig: np.ndarray, params: NeardupSettings) -> list[int]:
    """One signed 64-bit key per LSH band of a signature (band number folded in): a
    multiply-add hash of the band's values, finished with splitmix64's mixer (numpy, so
    placing a run costs microseconds per article, not a hash call per band)."""
    return band_key_rows(sig.reshape(1, -1), params)[0].tolist()


def band_key_rows(sigs: np.ndarray, params: NeardupSettings) -> np.ndarray:
    """`band_keys` of many signatures at once: rows of signatures in, rows of keys
    (int64) out (integer sums wrap, so the order of the additions does not matter)."""
    bands, rows = band_shape(params.threshold, params.num_perm)
    values = sigs[:, : bands * rows].astype(np.uint64) * _band_mix(params.num_perm)[: bands * rows]
    with np.errstate(over="ignore"):
        key = values.reshape(len(sigs), bands, rows).sum(axis=2, dtype=np.uint64)
        key ^= np.arange(bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        key ^= key >> np.uint64(30)
        key *= np.uint64(0xBF58476D1CE4E5B9)
        key ^= key >> np.uint64(27)
        key *= np.uint64(0x94D049BB133111EB)
        key ^= key >> np.uint64(31)
    return key.view(np.int64)


# ------------------------------------------------------------------ clustering


@dataclass(frozen=True)
class Placement:
    """Where a new article landed: its cluster (an article_id) and its similarity to it."""

    cluster: str
    similarity: float


def assign_clusters(
    new: Sequence[tuple[str, np.ndarray | None]],
    earlier: Mapping[int, Sequence[Member]],
    first_members: Mapping[str, np.ndarray],
    params: NeardupSettings,
    keys_of: Sequence[list[int] | None] | None = None,
) -> list[Placement]:
    """Place new articles (article_id, signature or None when too short), in the order
    given, among the clusters of earlier runs (`earlier`: band key -> members; their first
    members' signatures in `first_members`) and of the new articles before them.
    `keys_of`: each new article's band keys, in the same order, when the caller has them."""
    signatures = dict(first_members)
    run_bands: dict[int, list[Member]] = {}
    placed = []
    for n, (article_id, sig) in enumerate(new):
        if sig is None:
            placed.append(Placement(article_id, 1.0))
            continue
        keys = keys_of[n] if keys_of is not None else None
        if keys is None:
            keys = band_keys(sig, params)
        clusters = {m.cluster for key in keys for m in _members(key, earlier, run_bands) if m.article_id != article_id}
        best = _best_cluster(sig, clusters, signatures, params.threshold)
        placement = best or Placement(article_id, 1.0)
        if best is None:
            signatures[article_id] = sig
        for key in keys:
            run_bands.setdefault(key, []).append(Member(article_id, placement.cluster))
        placed.append(placement)
    return placed


def _members(key: int, *tables: Mapping[int, Sequence[Member]]) -> Iterable[Member]:
    for table in tables:
        yield from table.get(key, ())


def _best_cluster(sig: np.ndarray, clusters: set[str], signatures: Mapping[str, np.ndarray],
                  threshold: float) -> Placement | None:
    """The most similar candidate cluster at or over the threshold (ties: smallest id)."""
    scored = [(similarity(sig, signatures[c]), c) for c in sorted(clusters) if c in signatures]
    scored = [(s, c) for s, c in scored if s >= threshold]
    if not scored:
        return None
    score, cluster = min(scored, key=lambda sc: (-sc[0], sc[1]))
    return Placement(cluster, round(score, 4))


def paragraph_changes(old: Sequence[str], new: Sequence[str]) -> list[tuple[str, str]]:
    """What changed between two versions' body paragraphs, in reading order: ("-", text)
    removed, ("+", text) added (a paragraph edited is one of each); unchanged ones left out.

    >>> paragraph_changes(["a", "b", "c"], ["a", "B", "c", "d"])
    [('-', 'b'), ('+', 'B'), ('+', 'd')]
    """
    from difflib import SequenceMatcher

    changes: list[tuple[str, str]] = []
    matcher = SequenceMatcher(a=[" ".join(p.split()) for p in old], b=[" ".join(p.split()) for p in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            changes += [("-", p) for p in old[i1:i2]]
        if tag in ("insert", "replace"):
            changes += [("+", p) for p in new[j1:j2]]
    return changes

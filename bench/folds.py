"""The benchmark's two folds: tune on one, report the other.

Pages are split once, by a stable hash of their site's host (``www.`` dropped), so every
page of a site lands in the same fold and a rule tuned on a site's template is never
measured on that site. About 30% of the hosts go to the check fold: on the 116 pages of
``../shared/benchmark`` that is 35 pages of 26 sites (check) and 81 pages (tune).

Tune rules and thresholds on the tune fold only; the check fold's figures are the
headline. A change that helps tune and hurts check is overfitting: revert it.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

TUNE, CHECK = "tune", "check"
FOLDS = (TUNE, CHECK)
CHECK_SHARE_PERCENT = 30  # share of hosts in the check fold


def site_host(url: str) -> str:
    """The lower-cased host of a URL without a leading ``www.``.

    >>> site_host("https://WWW.Example.co.uk/news/1")
    'example.co.uk'
    """
    host = (urlsplit(url or "").hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def fold_of(url: str) -> str:
    """``check`` for about 30% of sites (by a sha256 of the host), else ``tune``.

    >>> fold_of("https://www.example.com/a") == fold_of("http://example.com/b")
    True
    """
    digest = hashlib.sha256(site_host(url).encode("utf-8")).hexdigest()
    return CHECK if int(digest[:8], 16) % 100 < CHECK_SHARE_PERCENT else TUNE


def split_pages(urls: dict[str, str]) -> dict[str, str]:
    """Page id -> fold, for a mapping of page id -> URL."""
    return {page_id: fold_of(url) for page_id, url in urls.items()}

"""SHA-1 and SHA-256 from CPython's own C modules, without importing hashlib.

hashlib loads OpenSSL (~4 ms of a cold start). CPython ships its own implementations: ``_sha1``, and
``_sha256`` up to 3.11, merged into ``_sha2`` in 3.12. Same digests; hashlib only where neither exists.
No other import here: `run --list` reaches this module through stamp.py.
"""

try:
    from _sha1 import sha1
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import sha1

try:
    from _sha256 import sha256  # CPython <= 3.11
except ImportError:  # pragma: no cover - covered by tests/test_build_startup.py's simulation of 3.12
    try:
        from _sha2 import sha256  # CPython >= 3.12
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import sha256

__all__ = ["sha1", "sha256"]

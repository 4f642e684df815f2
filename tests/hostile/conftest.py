"""The hostile-input suite (issue 19): one fixture per attack class, generated at test time.

Every test here failed on the code before its fix (see the commit that added it). Payloads that
are large are built in memory or under tmp_path; nothing is written into the work tree.
"""

from __future__ import annotations

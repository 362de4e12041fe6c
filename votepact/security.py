"""The Content Security Policy and the other response headers the built site asks for.

One policy, written twice: as a `_headers` file (read by Netlify and Cloudflare Pages) and as a
`<meta>` tag for hosts that cannot set headers. `frame-ancestors` only works as a header.
"""
from __future__ import annotations

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    # No DOM sink (innerHTML, script.src, eval...) takes a plain string: scripts write text only.
    "require-trusted-types-for": "'script'",
}
HEADER_ONLY = {"frame-ancestors"}


def csp(for_meta: bool = False) -> str:
    return "; ".join(f"{k} {v}" for k, v in POLICY.items() if not (for_meta and k in HEADER_ONLY))


HEADERS = {
    "Content-Security-Policy": csp(),
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=()",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def headers_file(base_path: str) -> str:
    """`_headers`: the policy for every page, and long caching for fingerprinted assets."""
    lines = [f"{base_path}*"] + [f"  {k}: {v}" for k, v in HEADERS.items()]
    lines += ["", f"{base_path}static/css/*", "  Cache-Control: public, max-age=31536000, immutable",
              "", f"{base_path}static/js/*", "  Cache-Control: public, max-age=31536000, immutable"]
    return "\n".join(lines) + "\n"

/**
 * Headers every page and dashboard answer carries. The Content-Security-Policy allows scripts
 * only with this response's nonce (Next.js puts it on its own scripts when it finds the policy
 * in the request) and from scripts those load; `frame-ancestors 'none'` and X-Frame-Options
 * keep every page out of other sites' frames (clickjacking). Styles stay 'unsafe-inline'
 * because the charts set style attributes; no script can come through that.
 */
export function securityHeaders(nonce: string, options: { development: boolean }): Record<string, string> {
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${options.development ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "content-security-policy": policy,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
  };
}

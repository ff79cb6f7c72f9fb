package io.certloop.probe.revocation;

/**
 * A linear, non-recursive walk over DER before any parser sees it. A CRL or OCSP answer comes
 * from a server the probed certificate names; nesting thousands of SEQUENCEs deep would make a
 * recursive ASN.1 parser overflow its stack, and indefinite lengths are not DER. Real CRLs and OCSP
 * answers nest fewer than ten levels.
 */
final class DerShape {

    static final int MAX_DEPTH = 32;

    private DerShape() {}

    /** True when {@code der} is exactly one definite-length DER element nested at most {@code maxDepth} deep. */
    static boolean acceptable(byte[] der, int maxDepth) {
        int[] ends = new int[maxDepth + 1];
        int depth = 0;
        ends[0] = der.length;
        int position = 0;
        boolean first = true;
        while (position < der.length) {
            if (depth == 0 && !first) {
                return false; // trailing bytes after the single top-level element
            }
            first = false;
            int tag = der[position++] & 0xff;
            if ((tag & 0x1f) == 0x1f) { // high tag number: base-128, at most 4 bytes
                int tagBytes = 0;
                do {
                    if (position >= ends[depth] || ++tagBytes > 4) {
                        return false;
                    }
                } while ((der[position++] & 0x80) != 0);
            }
            if (position >= ends[depth]) {
                return false;
            }
            int lengthByte = der[position++] & 0xff;
            long length;
            if (lengthByte < 0x80) {
                length = lengthByte;
            } else {
                int count = lengthByte & 0x7f;
                if (count == 0 || count > 4 || position + count > ends[depth]) {
                    return false; // indefinite (BER) or absurd length
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (der[position++] & 0xff);
                }
            }
            long end = position + length;
            if (end > ends[depth]) {
                return false;
            }
            if ((tag & 0x20) != 0) { // constructed: descend
                if (depth == maxDepth) {
                    return false;
                }
                ends[++depth] = (int) end;
            } else {
                position = (int) end;
            }
            while (depth > 0 && position == ends[depth]) {
                depth--;
            }
        }
        return !first && depth == 0;
    }
}
